import { defineConfig } from 'tsup';

// One bundle for the CLI (engine and eras included) and one for the library API.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', 'explore-worker': 'src/explore/worker.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  splitting: true,
  // Loaded at run time for TypeScript --era-file modules, never bundled.
  external: ['esbuild'],
});
