// Every scenario x every era in one table. In a row, eras with the same letter had the same
// outcome (observations, counters, violations); a `!` marks an outcome with a violation.
import type { Era } from '../contract/era.js';
import type { Band, ReleaseChange, RunResult } from '../contract/output.js';
import { apart, fmtRuleValue, legend, outcomeLetters, plural, releaseRange, releasesOf, wrap, type Ran, toolOf } from './text.js';

/**
 * A row's results with the bands of every era whose releases split: the eras' own results
 * first (one per column), then each split era's bands, so that one alphabet names them all.
 */
function withBands(row: RunResult[]): { results: Ran[]; classes: string[]; splits: { era: number; bands: Band[]; letters: string[] }[] } {
  const results: Ran[] = [...row];
  const splits: { era: number; bands: Band[]; at: number }[] = [];
  row.forEach((r, i) => {
    if (!r.bands) return;
    splits.push({ era: i, bands: r.bands, at: results.length });
    results.push(...r.bands);
  });
  const classes = outcomeLetters(results, () => '!').map((c) => c ?? '-');
  return { results, classes, splits: splits.map((x) => ({ era: x.era, bands: x.bands, letters: classes.slice(x.at, x.at + x.bands.length) })) };
}

export function matrixText(eras: readonly Era[], rows: RunResult[][]): string {
  const out = [`mmutt ${toolOf(eras)}`, `matrix: ${plural(rows.length, 'scenario')} x ${plural(eras.length, 'era')}, canonical schedule`, ''];
  const nameW = Math.max(8, ...rows.map((r) => r[0]!.scenario.name.length));
  out.push(`${'scenario'.padEnd(nameW)}  ${eras.map((_, i) => `E${i + 1}`.padEnd(5)).join('')}`.trimEnd());
  const all = rows.map(withBands);
  rows.forEach((row, i) => out.push(`${row[0]!.scenario.name.padEnd(nameW)}  ${row.map((r, k) => `${all[i]!.classes[k]}${r.bands ? '*' : ''}`.padEnd(5)).join('')}`.trimEnd()));
  out.push('');
  eras.forEach((e, i) => out.push(`E${i + 1} ${e.id.padEnd(25)} ${releasesOf(e)}`));
  out.push('', ...wrap("A letter is an outcome; '-': the era cannot run it; '!': a violation; '*': the era's releases do not all give it (the result of the release the era ran is shown; its bands are listed below).", ''));
  out.push('What tells the outcomes of each row apart:');
  rows.forEach((row, i) => {
    const { results, classes, splits } = all[i]!;
    out.push(...apart(results, classes, 'every era', row[0]!.scenario.name));
    for (const sp of splits) out.push(...wrap(`E${sp.era + 1} by release: ${sp.bands.map((b, k) => `${releaseRange(b)} ${sp.letters[k]}`).join(', ')}`, '    ', '      '));
  });
  out.push('', ...legend(rows.flat()));
  return `${out.join('\n')}\n`;
}

/** One scenario over mainline releases: spans of releases with one rule set, each with its run. */
export interface ReleaseRow {
  /** Each span's first release changes what `changes` says (nothing for the first span). */
  spans: { first: string; last: string; run: RunResult; changes: ReleaseChange[] }[];
}

/**
 * matrix --releases: for each scenario the ranges of releases with identical results
 * (`v4.13..v5.11 A`), so a reviewer sees where history changed the answer; runs whose rule
 * sets are identical were shared.
 */
export function releaseMatrixText(rows: ReleaseRow[], runs: number, releases: number): string {
  const out = [`mmutt ${toolOf(rows.flatMap((r) => r.spans.map((sp) => sp.run.era)))}`, `matrix --releases: ${plural(rows.length, 'scenario')} x ${plural(releases, 'release')}`, `(${plural(runs, 'distinct rule set')}), canonical schedule`, ''];
  for (const row of rows) {
    const results = row.spans.map((sp) => sp.run);
    const classes = outcomeLetters(results, () => '!').map((c) => c ?? '-');
    // Merge consecutive spans with the same result.
    const ranges: { first: string; last: string; cls: string; why?: string; changes: ReleaseChange[] }[] = [];
    row.spans.forEach((sp, i) => {
      const prev = ranges[ranges.length - 1];
      if (prev && prev.cls === classes[i]) prev.last = sp.last;
      else ranges.push({ first: sp.first, last: sp.last, cls: classes[i]!, ...(sp.run.unavailable ? { why: sp.run.unavailable } : {}), changes: sp.changes });
    });
    out.push(results[0]!.scenario.name);
    const w = Math.max(...ranges.map((r) => releaseRange(r).length));
    // A letter with a harm mark is as wide as one without and a space: the changes line up.
    const cw = Math.max(...ranges.map((r) => r.cls.length));
    // Each boundary with the commits that land there (the rules this scenario reads, the features it needs).
    for (const r of ranges) {
      const head = `  ${releaseRange(r).padEnd(w)}  ${r.cls.padEnd(cw)}`;
      const why = r.changes.map((c) => `${'rule' in c ? `${c.rule} = ${fmtRuleValue(c.value)}` : `+${c.feature}`} (${c.commit ? c.commit.slice(0, 12) : 'commit not identified'})`);
      out.push(...(why.length ? wrap(why.join('; '), `${head}  `, ''.padEnd(head.length + 4)) : [head.trimEnd()]));
    }
    out.push(...apart(results, classes, 'every release'));
    out.push('');
  }
  out.push(...wrap("A letter is an outcome; '-': the release cannot run it; '!': a violation. Beside a range: what its first release changes for the scenario (a rule its steps read, a feature it needs: +) with the commit; `mmutt bisect` says which of them decides.", ''));
  out.push('', ...legend(rows.flatMap((r) => r.spans.map((sp) => sp.run))));
  return `${out.join('\n')}\n`;
}
