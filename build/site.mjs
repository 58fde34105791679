// `npm run site`: the time-travel page (docs/site.md) as one static file, site/index.html (or in
// the folder given), no server needed (it opens from file:// as from any static host). Its
// script is src/site/main.ts bundled for a browser with the engine, the runner and the reports
// the command line uses: one code base. The script is inline: the page starts its explorer
// (a Web Worker) from the script's own text, which a page opened from file:// can do when it
// cannot load a second file. What the command line reads from files comes
// bundled: the catalog's texts (mmutt:catalog) and the era modules (mmutt:eras: every module
// in eras/ and eras/proposals/, as the registry finds them). The few Node modules the shared
// code imports are replaced: node:crypto by a SHA-256 of our own (the scenario's and the
// history's hashes must be the command line's), the others by stubs that say they are not in
// a browser (reading a file, a worker thread, esbuild for a TypeScript --era-file: the page
// does none of these).
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { eraModulesSource } from './era-modules.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `--app FILE`: the script alone (tsup's build writes dist/site-app.js this way: an html report
// carries it, runner/site.ts); else the page, in the folder given or site/.
const appOnly = process.argv[2] === '--app';
const out = resolve(appOnly ? process.argv[3] : (process.argv[2] ?? join(root, 'site')));
const t0 = performance.now();

const mmu = (dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.mmu')).sort();

const virtual = {
  'mmutt:catalog': `export default ${JSON.stringify(mmu('scenarios').map((f) => ({ name: f.slice(0, -4), text: readFileSync(join(root, 'scenarios', f), 'utf8') })))};`,
  'mmutt:eras': eraModulesSource(root),
  'node:crypto': `export { createHash } from ${JSON.stringify(join(root, 'build/site-sha256.mjs'))};`,
};
const stub = (name) => `const no = () => { throw new Error(${JSON.stringify(`${name} is not in a browser`)}); };
export default new Proxy({}, { get: () => no });
export const existsSync = () => false, readdirSync = no, readFileSync = no, writeFileSync = no, mkdtempSync = no, rmSync = no, openSync = no, readSync = no, closeSync = no, statSync = no, fstatSync = no;
export const tmpdir = no, join = (...p) => p.join('/'), relative = no, dirname = (p) => p.split('/').slice(0, -1).join('/'), isAbsolute = (p) => p.startsWith('/'), sep = '/', resolve = (...p) => p.join('/'), fileURLToPath = (u) => String(u), pathToFileURL = (p) => new URL('file://' + p);
export const parentPort = null, workerData = null, Worker = no;`;

const result = await build({
  entryPoints: [join(root, 'src/site/main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  metafile: true,
  write: false,
  // src/input.ts finds the package by its own URL: in the page there is no package.
  define: { 'import.meta.url': '"file:///mmutt/site/app.js"', 'process.env.MMUTT_NO_SHARE': 'undefined' },
  plugins: [
    {
      name: 'mmutt-site',
      setup(b) {
        b.onResolve({ filter: /^(mmutt:|node:|esbuild$)/ }, (a) => ({ path: a.path, namespace: a.path in virtual ? 'virtual' : 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'virtual' }, (a) => ({ contents: virtual[a.path], loader: 'js', resolveDir: root }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => ({ contents: stub(a.path), loader: 'js' }));
      },
    },
  ],
});
// Inline: nothing in the script may end its element.
const app = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
if (appOnly) {
  writeFileSync(out, app);
  process.exit(0);
}
const page = readFileSync(join(root, 'src/site/index.html'), 'utf8').replace('/*mmutt:app*/', () => app);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'index.html'), page);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`site: ${join(out, 'index.html')} (${kb(statSync(join(out, 'index.html')).size)}, the script inline), built in ${Math.round(performance.now() - t0)} ms`);
