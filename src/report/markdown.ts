// Markdown: the same results as the text reports, as tables for a wiki page or a PR comment.
import { COUNTER_NAMES } from '../contract/output.js';
import type { Era } from '../contract/era.js';
import type { RunResult } from '../contract/output.js';
import { bandLines, fmtValue, heldFor, outcomeLetters, releaseRange, releasesOf, toolOf } from './text.js';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

/** One scenario under several eras: one column per era. */
export function runsMarkdown(runs: RunResult[]): string {
  const s = runs[0]!.scenario;
  const out = [`## ${s.name}`, '', `mmutt ${toolOf(runs.map((r) => r.era))}, scenario sha256 \`${runs[0]!.sha256.slice(0, 12)}\``, '', s.description, ''];
  for (const r of runs) out.push(`- \`${r.era.id}\` (${releasesOf(r.era)}${r.bands ? `; the column holds for ${heldFor(r)}` : ''}): ${r.era.commits.join('; ') || r.era.title}`);
  out.push('', row(['', ...runs.map((r) => `\`${r.era.id}\``)]), row(['---', ...runs.map(() => '---')]));
  const ran = runs.filter((r) => r.outcome);
  const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
  for (const k of obs) out.push(row([`\`${k}\``, ...runs.map((r) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '–'))]));
  for (const c of COUNTER_NAMES.filter((c) => !obs.includes(c) && ran.some((r) => r.outcome!.counters[c] !== 0))) {
    out.push(row([`\`${c}\``, ...runs.map((r) => (r.outcome ? String(r.outcome.counters[c]) : '–'))]));
  }
  out.push(row(['violations', ...runs.map((r) => (r.outcome ? r.outcome.violations.join(', ') || 'none' : (r.unavailable ?? '–')))]));
  // An era whose releases do not all give its column: where they split, as the text says it.
  for (const r of runs) if (r.bands) out.push('', `\`${r.era.id}\`:`, '', '```', ...bandLines(r.bands, r.era.release), '```');
  return `${out.join('\n')}\n`;
}

/** The catalog matrix: every scenario x every era, a letter per distinct outcome. */
export function matrixMarkdown(eras: readonly Era[], rows: RunResult[][]): string {
  const out = [`# mmutt ${toolOf(eras)} matrix`, '', row(['scenario', ...eras.map((e) => `\`${e.id}\``)]), row(['---', ...eras.map(() => '---')])];
  const splits: string[] = [];
  for (const r of rows) {
    // The eras' own results, then the bands of each era whose releases split: one alphabet.
    const all = [...r, ...r.flatMap((x) => x.bands ?? [])];
    const letters = outcomeLetters(all, (v) => ` (${v.join(', ')})`).map((c) => c ?? '–');
    out.push(row([r[0]!.scenario.name, ...r.map((x, i) => `${letters[i]}${x.bands ? '*' : ''}`)]));
    let k = r.length;
    for (const x of r) {
      if (!x.bands) continue;
      splits.push(`- ${r[0]!.scenario.name}, \`${x.era.id}\` by release: ${x.bands.map((b) => `${releaseRange(b)} ${letters[k++]}`).join(', ')}`);
    }
  }
  out.push('', "Same letter in a row: the same observations, counters and violations; – : the era cannot run the scenario; * : the era's releases do not all give it (the result of the release the era ran is shown).");
  if (splits.length) out.push('', ...splits);
  return `${out.join('\n')}\n`;
}
