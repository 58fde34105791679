// The time-travel page's script (docs/site.md), for an html report to carry: the build writes it
// beside the command line (dist/site-app.js, build/site.mjs). Run from sources there is none,
// and a report is the page without scripts.
import { existsSync, readFileSync } from 'node:fs';
import { BUILT, PACKAGE_ROOT } from '../input.js';

export function siteScript(): string | null {
  if (!BUILT) return null;
  const file = new URL('dist/site-app.js', PACKAGE_ROOT);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
