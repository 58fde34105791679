// The site bundle's entry. In the page: start the page once its elements exist (the script is
// at the end of the body). Started from its own text as a Web Worker: the explorer.
import { start } from './app.js';
import { startWorker } from './worker.js';

if (typeof document === 'undefined') startWorker();
else start();
