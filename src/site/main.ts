// The site bundle's entry: start the page once its elements exist (the script is at the end of the body).
import { start } from './app.js';

start();
