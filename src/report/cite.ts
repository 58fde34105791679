// mmutt cite: a plain-text block to paste in a review mail: at most 72 columns, the tool
// version, the scenario and its hash, each era with its commits in the kernel's form, the
// result table, and the command that prints the same block again.
import { COUNTER_NAMES } from '../engine/counters.js';
import type { RunResult } from '../runner.js';
import { VERSION } from '../version.js';
import { fmtValue, releasesOf, wrap } from './text.js';

const W = 72;

export function citeText(runs: RunResult[], command: string, inline: boolean): string {
  const s = runs[0]!.scenario;
  const out = [`mmutt ${VERSION}: scenario ${s.name} (sha256 ${runs[0]!.sha256.slice(0, 12)})`];
  out.push(...wrap(s.description, '  ', '  ', W));
  out.push('');
  runs.forEach((r, i) => {
    out.push(...wrap(`${label(i)} = ${r.era.id}, ${releasesOf(r.era)}:`, '', '    ', W));
    for (const c of r.era.commits) out.push(...wrap(c, '    ', '      ', W));
  });
  out.push('');
  const ran = runs.filter((r) => r.outcome);
  const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
  const ctrs = COUNTER_NAMES.filter((c) => !obs.includes(c) && (ran.some((r) => r.outcome!.counters[c] !== ran[0]!.outcome!.counters[c]) || runs.length === 1));
  const rows: [string, string[]][] = [
    ...obs.map((k): [string, string[]] => [k, runs.map((r) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '-'))]),
    ...ctrs.map((c): [string, string[]] => [c, runs.map((r) => (r.outcome ? String(r.outcome.counters[c]) : '-'))]),
    ['violations', runs.map((r) => (r.outcome ? r.outcome.violations.join(',') || 'none' : '-'))],
  ];
  const colW = Math.max(6, ...rows.flatMap(([, v]) => v.map((x) => x.length)));
  const labelW = Math.min(W - runs.length * (colW + 2), Math.max(...rows.map(([k]) => k.length)));
  out.push(`${''.padEnd(labelW)}${runs.map((_, i) => `  ${label(i).padStart(colW)}`).join('')}`);
  for (const [k, v] of rows) {
    const name = k.length > labelW ? `${k.slice(0, labelW - 1)}~` : k.padEnd(labelW);
    out.push(`${name}${v.map((x) => `  ${x.padStart(colW)}`).join('')}`);
  }
  for (const r of runs) if (r.unavailable) out.push(...wrap(`${label(runs.indexOf(r))}: ${r.unavailable}`, '', '  ', W));
  out.push('', 'Reproduce:');
  out.push(...wrapCommand(command));
  if (inline) {
    out.push('', `Scenario (save as ${s.name}.mmu and run the command on it):`);
    for (const line of s.text.replace(/\n$/, '').split('\n')) out.push(`  ${line}`);
  }
  return `${out.join('\n')}\n`;
}

const label = (i: number) => String.fromCharCode(65 + i);

/** A shell command broken at spaces with `\` continuations, each line at most 72 columns. */
function wrapCommand(cmd: string): string[] {
  const out: string[] = [];
  let line = '  $';
  for (const w of cmd.split(' ')) {
    if (line.length + 1 + w.length > W - 2) {
      out.push(`${line} \\`);
      line = `    ${w}`;
    } else line = `${line} ${w}`;
  }
  out.push(line);
  return out;
}
