import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One bundle for the CLI and one for the library API; the explorer's worker; and each era
// module on its own (dist/eras/, dist/eras/proposals/): the registry finds eras by file; the
// timeline (dist/eras/timeline/index.js) it imports by name.
const eras = Object.fromEntries(
  ['eras', 'eras/proposals', 'eras/timeline'].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && (dir !== 'eras/timeline' || f === 'index.ts'))
      .map((f) => [`${dir}/${f.slice(0, -3)}`, `${dir}/${f}`]),
  ),
);

export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', 'explore-worker': 'src/runner/worker.ts', ...eras },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  splitting: true,
  // Loaded at run time for TypeScript --era-file modules, never bundled.
  external: ['esbuild'],
  // yargs and its helpers are bundled: resolving and loading their ~40 files cost more start-up
  // time than parsing the options does (docs/performance.md, start-up).
  noExternal: ['yargs', /^yargs\//],
  // ...with its string-width, which builds an Intl.Segmenter on load, for the width of ASCII
  // help text: build/ascii-width.mjs measures ASCII as it does, without ICU.
  esbuildOptions(options) {
    options.alias = { ...options.alias, 'string-width': './build/ascii-width.mjs' };
  },
  // The time-travel page's script, for an html report to carry (runner/site.ts): the same code,
  // bundled for a browser (build/site.mjs).
  onSuccess: 'node build/site.mjs --app dist/site-app.js',
});
