import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The library API; the explorer's worker; each era module on its own (dist/eras/,
// dist/eras/proposals/): the registry finds eras by file; the timeline
// (dist/eras/timeline/index.js) it imports by name. The command line is dist/cli.js
// (src/start.ts), which runs dist/cli.cjs, the CLI as one script (build/cli-bundle.mjs, after
// this build) from V8's code cache.
const eras = Object.fromEntries(
  ['eras', 'eras/proposals', 'eras/timeline'].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && (dir !== 'eras/timeline' || f === 'index.ts'))
      .map((f) => [`${dir}/${f.slice(0, -3)}`, `${dir}/${f}`]),
  ),
);

export default defineConfig({
  entry: { cli: 'src/start.ts', index: 'src/index.ts', 'explore-worker': 'src/runner/worker.ts', ...eras },
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
  // The CLI's script (build/cli-bundle.mjs); the time-travel page's script, for an html report
  // to carry (runner/site.ts): the same code, bundled for a browser (build/site.mjs).
  onSuccess: 'node build/cli-bundle.mjs && node build/site.mjs --app dist/site-app.js',
});
