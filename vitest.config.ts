import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run the built bundle (dist/), which `npm test` builds first.
    testTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // A missing golden (file snapshot) fails; `vitest run -u` writes it after review.
    update: 'none',
  },
});
