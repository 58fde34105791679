// The command line as one CommonJS script, dist/cli.cjs, for dist/cli.js (src/start.ts) to run
// from V8's code cache (`node dist/cli.cjs` runs it too, compiled anew): Node 20 keeps no compiled code of ES modules between runs
// (module.enableCompileCache() came in Node 22), and compiling and linking the CLI's modules
// was a quarter of a command's start-up (docs/performance.md, start-up). tsup's build runs
// this after its own (tsup.config.ts, onSuccess). Bundled as the ES modules are: yargs in, its
// string-width measured as ASCII (build/ascii-width.mjs), esbuild left out (loaded for a
// TypeScript --era-file only).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { eraModulesSource } from './era-modules.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/cli.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['esbuild'],
  alias: { 'string-width': join(root, 'build/ascii-width.mjs') },
  // The sources find the package's folder and the explorer's worker from import.meta.url:
  // in a CommonJS bundle, the bundle's own file.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: '"use strict";\nconst importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  // The era modules come in the bundle (src/era/modules.ts finds them by file otherwise):
  // loading them as ES modules, uncached, was a tenth of a run's start-up.
  plugins: [
    {
      name: 'mmutt-eras',
      setup(b) {
        b.onResolve({ filter: /^\.\/modules\.js$/ }, (a) => (a.importer === join(root, 'src/era/registry.ts') ? { path: 'eras', namespace: 'mmutt' } : undefined));
        b.onResolve({ filter: /^mmutt:eras$/ }, () => ({ path: 'all', namespace: 'mmutt' }));
        b.onLoad({ filter: /^eras$/, namespace: 'mmutt' }, () => ({ contents: "import bundled from 'mmutt:eras'; export const eraModules = async () => bundled;", loader: 'js', resolveDir: root }));
        b.onLoad({ filter: /^all$/, namespace: 'mmutt' }, () => ({ contents: eraModulesSource(root), loader: 'js', resolveDir: root }));
      },
    },
  ],
  logLevel: 'warning',
});
