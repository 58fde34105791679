// The width rule of every text report: each line fits, except a line that is one commit
// reference `12hex ("subject")`, which is never broken (src/report/text.ts).
import { expect } from 'vitest';
import { COMMIT_LINE } from '../src/report/text.js';

export function expectWidth(text: string, width: number): void {
  for (const line of text.split('\n')) {
    if (COMMIT_LINE.test(line)) continue;
    expect(line.length, line).toBeLessThanOrEqual(width);
  }
}
