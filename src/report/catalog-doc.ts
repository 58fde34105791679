// docs/catalog.md, generated from engine runs of the catalog (test/docs.test.ts keeps it
// current): what each scenario shows in each era. The why, and the commits, are in each
// scenario's description; every value in the tables comes from the engine.
import { COUNTER_NAMES } from '../contract/output.js';
import type { Era } from '../contract/era.js';
import type { RunResult } from '../contract/output.js';
import { fmtValue, outcomeLetters } from './text.js';

const cell = (r: RunResult, k: string) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '–');

export function catalogDoc(eras: readonly Era[], rows: RunResult[][]): string {
  const out = [
    '# The catalog',
    '',
    'Generated from the engine by `npm run docs`; `npm test` fails when this file is stale.',
    'One section per scenario in `scenarios/`: what it shows and which commits matter (its',
    'description), then what the engine derives in every era from the era rules. "–": the era',
    'cannot run the scenario. Counters that are the same in every era are left out.',
    '',
    '| scenario | ' + eras.map((e) => `\`${e.id}\``).join(' | ') + ' |',
    '|---|' + eras.map(() => '---|').join(''),
  ];
  for (const row of rows) {
    const cls = outcomeLetters(row, (v) => ` (${v.join(', ')})`).map((c) => c ?? '–');
    out.push(`| [${row[0]!.scenario.name}](#${row[0]!.scenario.name}) | ${cls.join(' | ')} |`);
  }
  out.push('', 'Same letter in a row: the same observations, counters and violations.', '');
  for (const row of rows) {
    const s = row[0]!.scenario;
    out.push(`## ${s.name}`, '', s.description, '');
    const ran = row.filter((r) => r.outcome);
    const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
    const ctrs = COUNTER_NAMES.filter((c) => !obs.includes(c) && new Set(ran.map((r) => r.outcome!.counters[c])).size > 1);
    out.push(`| era | ${[...obs, ...ctrs].map((k) => `\`${k}\``).join(' | ')} | violations |`);
    out.push(`|---|${[...obs, ...ctrs].map(() => '---|').join('')}---|`);
    for (const r of row) {
      if (!r.outcome) {
        out.push(`| \`${r.era.id}\` | ${r.unavailable} |`);
        continue;
      }
      const vals = [...obs.map((k) => cell(r, k)), ...ctrs.map((c) => String(r.outcome!.counters[c]))];
      out.push(`| \`${r.era.id}\` | ${vals.join(' | ')} | ${r.outcome.violations.join(', ') || 'none'} |`);
    }
    const notes = [...new Set(row.flatMap((r) => r.notes.map((n) => `\`${r.era.id}\`: ${n}`)))];
    if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
    out.push('');
  }
  return out.join('\n');
}
