// Ends the test run with the plain closing line CI reads in any language:
// "N passed, N failed, N skipped", after vitest's own summary; before it, each skipped test by
// name (a test that skips says why in its name, and how to get what it needs).
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped.push(`skipped: ${t.fullName}`);
      }
    }
    process.stdout.write(`\n${skipped.map((l) => `${l}\n`).join('')}${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
  }
}
