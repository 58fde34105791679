// Every scenario x every era in one table. In a row, eras with the same letter had the same
// outcome (observations, counters, violations); a `!` marks an outcome with a violation.
import { COUNTER_NAMES } from '../contract/output.js';
import type { Era } from '../contract/era.js';
import type { Outcome } from '../contract/output.js';
import type { RunResult } from '../contract/output.js';
import { VERSION } from '../version.js';
import { fmtValue, legend, plural, releasesOf, wrap } from './text.js';

const key = (o: Outcome | null) => (o ? JSON.stringify([o.observations, o.counters, o.violations]) : null);

/**
 * One row of the matrix: a letter per distinct outcome (A for the first era's), null for an
 * era that cannot run the scenario. `harm` decorates an outcome with violations.
 */
export function outcomeLetters(row: RunResult[], harm: (violations: string[]) => string): (string | null)[] {
  const seen: string[] = [];
  return row.map((r) => {
    const k = key(r.outcome);
    if (k === null) return null;
    if (!seen.includes(k)) seen.push(k);
    return String.fromCharCode(65 + seen.indexOf(k)) + (r.outcome!.violations.length ? harm(r.outcome!.violations) : '');
  });
}

export function matrixText(eras: readonly Era[], rows: RunResult[][]): string {
  const out = [`mmutt ${VERSION} matrix: ${plural(rows.length, 'scenario')} x ${plural(eras.length, 'era')}, canonical schedule`, ''];
  const nameW = Math.max(8, ...rows.map((r) => r[0]!.scenario.name.length));
  out.push(`${'scenario'.padEnd(nameW)}  ${eras.map((_, i) => `E${i + 1}`.padEnd(4)).join('')}`.trimEnd());
  const classes = rows.map((row) => outcomeLetters(row, () => '!').map((c) => c ?? '-'));
  rows.forEach((row, i) => out.push(`${row[0]!.scenario.name.padEnd(nameW)}  ${classes[i]!.map((c) => c.padEnd(4)).join('')}`.trimEnd()));
  out.push('');
  eras.forEach((e, i) => out.push(`E${i + 1} ${e.id.padEnd(25)} ${releasesOf(e)}`));
  out.push('', "A letter is an outcome; '-': the era cannot run it; '!': a violation.");
  out.push('What tells the outcomes of each row apart:');
  rows.forEach((row, i) => out.push(...apart(row, classes[i]!, 'every era')));
  out.push('', ...legend(rows.flat()));
  return `${out.join('\n')}\n`;
}

/** What tells a row's outcomes apart: the observations and counters that differ, by letter. */
function apart(row: RunResult[], classes: string[], everywhere: string, named = true): string[] {
  const out: string[] = [];
  const letters = [...new Set(classes.filter((c) => c !== '-').map((c) => c[0]!))];
  const name = named ? `${row[0]!.scenario.name}: ` : '';
  const missing = row.filter((r) => r.unavailable);
  if (missing.length) out.push(...wrap(`${name}-: ${missing[missing.length - 1]!.unavailable!}`, '  ', '      '));
  if (letters.length < 2) {
    if (!missing.length) out.push(`  ${name}same outcome in ${everywhere}`);
    return out;
  }
  if (named) out.push(`  ${row[0]!.scenario.name}:`);
  const ran = row.filter((r) => r.outcome).map((r) => r.outcome!);
  const first = (L: string) => row[classes.findIndex((c) => c[0] === L)]!.outcome!;
  const obsLabels = Object.keys(ran[0]!.observations).filter((k) => new Set(ran.map((o) => o.observations[k])).size > 1);
  const ctrs = COUNTER_NAMES.filter((c) => !obsLabels.includes(c) && new Set(ran.map((o) => o.counters[c])).size > 1);
  for (const L of letters) {
    const o = first(L);
    const parts = [
      ...obsLabels.map((k) => `${k}=${fmtValue(k, o.observations[k]!)}`),
      ...ctrs.map((c) => `${c}=${o.counters[c]}`),
      ...(o.violations.length ? [`violations=${o.violations.join(',')}`] : []),
    ];
    out.push(...wrap(`${L}: ${parts.join(' ')}`, named ? '    ' : '  ', named ? '       ' : '     '));
  }
  return out;
}

/** One scenario over mainline releases: spans of releases with one rule set, each with its run. */
export interface ReleaseRow {
  spans: { first: string; last: string; run: RunResult }[];
}

/**
 * matrix --releases: for each scenario the ranges of releases with identical results
 * (`v4.13..v5.11 A`), so a reviewer sees where history changed the answer; runs whose rule
 * sets are identical were shared.
 */
export function releaseMatrixText(rows: ReleaseRow[], runs: number, releases: number): string {
  const out = [`mmutt ${VERSION} matrix --releases: ${plural(rows.length, 'scenario')} x ${plural(releases, 'release')} (${plural(runs, 'distinct rule set')}), canonical schedule`, ''];
  for (const row of rows) {
    const results = row.spans.map((sp) => sp.run);
    const classes = outcomeLetters(results, () => '!').map((c) => c ?? '-');
    // Merge consecutive spans with the same result.
    const ranges: { first: string; last: string; cls: string; why?: string }[] = [];
    row.spans.forEach((sp, i) => {
      const prev = ranges[ranges.length - 1];
      if (prev && prev.cls === classes[i]) prev.last = sp.last;
      else ranges.push({ first: sp.first, last: sp.last, cls: classes[i]!, ...(sp.run.unavailable ? { why: sp.run.unavailable } : {}) });
    });
    out.push(results[0]!.scenario.name);
    const w = Math.max(...ranges.map((r) => `${r.first}..${r.last}`.length));
    for (const r of ranges) out.push(`  ${`${r.first}..${r.last}`.padEnd(w)}  ${r.cls}`);
    out.push(...apart(results, classes, 'every release', false));
    out.push('');
  }
  out.push("A letter is an outcome; '-': the release cannot run it; '!': a violation. `mmutt bisect` names the commit of a change.");
  out.push('', ...legend(rows.flatMap((r) => r.spans.map((sp) => sp.run))));
  return `${out.join('\n')}\n`;
}
