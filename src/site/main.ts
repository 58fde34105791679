// The site bundle's entry. In a page (the site's, or an html report that carries the page):
// start it in its root, on the view the report embeds if any. Started from its own text as a
// Web Worker: the explorer.
import { start, type View } from './app.js';
import { startWorker } from './worker.js';

if (typeof document === 'undefined') startWorker();
else {
  const embedded = document.getElementById('mmutt-view')?.textContent;
  start(document.getElementById('mmutt-site')!, embedded ? (JSON.parse(embedded) as View) : undefined);
}
