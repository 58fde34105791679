// mmutt check: one line per file (ok, or each line that failed with what the run saw), then
// the count. Files that did not parse are reported by the CLI on stderr, every one of them.
import { verdict, type CheckedFile, type ExploreRun } from '../contract/output.js';
import { fmtCond } from './cond.js';
import { observationLine } from './explore.js';
import { failedWhere, pathCounts, plural, releaseRange } from './text.js';

/** `check` without --judge: each file that parsed. */
export const parsedText = (files: { file: string; name: string }[]) => files.map((f) => `${f.file}: ok (${f.name})\n`).join('');

export function judgedText(files: CheckedFile[]): { text: string; failed: number } {
  const out: string[] = [];
  const paths = pathCounts();
  const saw = (e: ExploreRun) => observationLine(e, paths.fmt).split(' ').slice(2).join(' ');
  let judged = 0;
  let failed = 0;
  for (const { file: f, scenario: s, expects, results } of files) {
    const bad: string[] = [];
    for (const { expect: x, run: r, holds } of expects) {
      judged++;
      const got = r.expectations.find((y) => y.expect === x);
      if (!holds) bad.push(`${f}:${x.pos.line}:${x.pos.col}: expect ${x.era}: ${fmtCond(x.cond)}: FAILED ${r.unavailable || !got ? `(${r.unavailable ?? 'not run'})` : failedWhere(got)}`);
    }
    for (const { result: x, run: r, holds, elsewhere } of results) {
      judged++;
      if (holds) continue;
      // A release or era that cannot run the scenario has no exploration to quote: say why.
      const why = () => {
        const v = r.exploration ? verdict(r.exploration)?.verdict : undefined;
        return [...(v !== x.verdict ? [`saw ${r.exploration ? saw(r) : 'nothing: not explored'}`] : []), ...elsewhere.map((b) => `in ${releaseRange(b)} saw ${saw({ ...r, exploration: b.exploration })}`)].join('; ');
      };
      bad.push(`${f}:${x.pos.line}:${x.pos.col}: result ${x.era}: ${x.verdict}: FAILED (${r.run.unavailable ?? why()})`);
    }
    failed += bad.length;
    const counts = [plural(s.expect.length, 'expectation'), ...(s.results.length ? [plural(s.results.length, 'result')] : [])].join(' and ');
    out.push(...(bad.length ? bad : [`${f}: ok (${counts} ${s.expect.length + s.results.length === 1 ? 'holds' : 'hold'})`]));
  }
  out.push(`judged ${judged} in ${plural(files.length, 'file')}: ${failed ? `${failed} FAILED` : 'all hold'}`, ...paths.note());
  return { text: `${out.join('\n')}\n`, failed };
}
