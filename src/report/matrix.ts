// Every scenario x every era in one table. In a row, eras with the same letter had the same
// outcome (observations, counters, violations); a `!` marks an outcome with a violation.
import { COUNTER_NAMES } from '../contract/output.js';
import type { Era } from '../contract/era.js';
import type { Outcome } from '../contract/output.js';
import type { RunResult } from '../contract/output.js';
import { VERSION } from '../version.js';
import { fmtValue, legend, releasesOf, wrap } from './text.js';

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
  const out = [`mmutt ${VERSION} matrix: ${rows.length} scenario(s) x ${eras.length} eras, canonical schedule`, ''];
  const nameW = Math.max(8, ...rows.map((r) => r[0]!.scenario.name.length));
  out.push(`${'scenario'.padEnd(nameW)}  ${eras.map((_, i) => `E${i + 1}`.padEnd(4)).join('')}`.trimEnd());
  const classes = rows.map((row) => outcomeLetters(row, () => '!').map((c) => c ?? '-'));
  rows.forEach((row, i) => out.push(`${row[0]!.scenario.name.padEnd(nameW)}  ${classes[i]!.map((c) => c.padEnd(4)).join('')}`.trimEnd()));
  out.push('');
  eras.forEach((e, i) => out.push(`E${i + 1} ${e.id.padEnd(25)} ${releasesOf(e)}`));
  out.push('', "A letter is an outcome; '-': the era cannot run it; '!': a violation.");
  out.push('What tells the outcomes of each row apart:');
  rows.forEach((row, i) => {
    const letters = [...new Set(classes[i]!.filter((c) => c !== '-').map((c) => c[0]!))];
    const name = row[0]!.scenario.name;
    const missing = row.filter((r) => r.unavailable);
    if (missing.length) out.push(...wrap(`${name}: ${missing[missing.length - 1]!.unavailable!}`, '  ', '    '));
    if (letters.length < 2) {
      if (!missing.length) out.push(`  ${name}: same outcome in every era`);
      return;
    }
    out.push(`  ${name}:`);
    const ran = row.filter((r) => r.outcome).map((r) => r.outcome!);
    const first = (L: string) => row[classes[i]!.findIndex((c) => c[0] === L)]!.outcome!;
    const obsLabels = Object.keys(ran[0]!.observations).filter((k) => new Set(ran.map((o) => o.observations[k])).size > 1);
    const ctrs = COUNTER_NAMES.filter((c) => !obsLabels.includes(c) && new Set(ran.map((o) => o.counters[c])).size > 1);
    for (const L of letters) {
      const o = first(L);
      const parts = [
        ...obsLabels.map((k) => `${k}=${fmtValue(k, o.observations[k]!)}`),
        ...ctrs.map((c) => `${c}=${o.counters[c]}`),
        ...(o.violations.length ? [`violations=${o.violations.join(',')}`] : []),
      ];
      out.push(...wrap(`${L}: ${parts.join(' ')}`, '    '));
    }
  });
  out.push('', ...legend([...eras]));
  return `${out.join('\n')}\n`;
}
