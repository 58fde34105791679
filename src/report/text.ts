// Plain text, at most 80 columns, stable order: fit to paste into a mail.
import type { Era } from '../era.js';
import { COUNTER_NAMES } from '../engine/counters.js';
import { fmtCond } from '../engine/observe.js';
import { ENGINE_SIMPLIFICATIONS } from '../engine/simplifications.js';
import { VIOLATIONS, hex } from '../engine/state.js';
import type { RunResult } from '../runner.js';
import { VERSION } from '../version.js';

export const WIDTH = 80;

/** Greedy word wrap; `indent` prefixes the first line, `hang` the others. */
export function wrap(text: string, indent: string, hang = indent, width = WIDTH): string[] {
  const out: string[] = [];
  let line = '';
  const prefix = () => (out.length ? hang : indent);
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && prefix().length + line.length + 1 + w.length > width) {
      out.push(prefix() + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(prefix() + line);
  return out;
}

export function releasesOf(e: Era): string {
  return `${e.releases.first}..${e.releases.last ?? ''}`;
}

export function eraHeader(e: Era): string[] {
  return [`Era ${e.id} (${releasesOf(e)})`, ...wrap(e.title, '  '), ...e.commits.flatMap((c) => wrap(c, '    ', '      '))];
}

export function fmtValue(label: string, v: number): string {
  return /^(kvm|notifier|guest)\./.test(label) || /\.(dirty|referenced|lazyfree|ksm|free|present|writable|accessed)$/.test(label) || (VIOLATIONS as readonly string[]).includes(label) ? String(v) : hex(v);
}

/** The legend: what the model leaves out, engine-wide and in this era's rules. */
export function legend(eras: Era[]): string[] {
  const lines = ['Simplifications (docs/engine.md, docs/eras.md):'];
  for (const s of ENGINE_SIMPLIFICATIONS) lines.push(...wrap(`- ${s}`, '  ', '    '));
  for (const e of eras) {
    for (const s of e.simplifications) lines.push(...wrap(`- ${eras.length > 1 ? `${e.id}: ` : ''}${s}`, '  ', '    '));
  }
  return lines;
}

export function runText(r: RunResult, opts: { trace: boolean; legend?: boolean }): string {
  const out: string[] = [];
  out.push(`mmutt ${VERSION}  scenario ${r.scenario.name}  sha256 ${r.sha256.slice(0, 12)}`);
  out.push(...eraHeader(r.era));
  if (!r.outcome) {
    out.push('', ...wrap(r.unavailable!, ''));
    return `${out.join('\n')}\n`;
  }
  for (const n of r.notes) out.push(...wrap(`Note: ${n}`, '', '  '));
  if (opts.trace) {
    out.push('', 'Trace (canonical schedule):');
    const w = Math.max(...r.trace.map((t) => t.thread.length), 4);
    const pad = ' '.repeat(6 + w);
    for (const t of r.trace) {
      const head = `${String(t.n).padStart(4)} ${t.thread.padEnd(w)} ${t.fn}`;
      const rule = t.rule ? `  [${t.rule}]` : '';
      out.push(head.length + rule.length <= WIDTH ? head + rule : head);
      out.push(...wrap(head.length + rule.length <= WIDTH ? t.does : `${t.does}${rule}`, pad));
      for (const n of t.notes) out.push(...wrap(`-> ${n}`, pad, `${pad}   `));
    }
  }
  const outcome = r.outcome;
  out.push('', 'Observations:');
  const obs = Object.entries(outcome.observations);
  if (!obs.length) out.push('  (none)');
  for (const [k, v] of obs) out.push(`  ${k} = ${fmtValue(k, v)}`);
  out.push('', 'Counters (non-zero):');
  const nz = COUNTER_NAMES.filter((c) => outcome.counters[c] !== 0);
  if (!nz.length) out.push('  (none)');
  for (const c of nz) out.push(`  ${c.padEnd(34)} ${outcome.counters[c]}`);
  out.push('', `Violations: ${outcome.violations.length ? outcome.violations.join(', ') : 'none'}`);
  if (r.condition !== undefined && r.scenario.condition) {
    const c = r.scenario.condition;
    out.push(...wrap(`Condition ${c.quantifier} (${fmtCond(c.cond)}): ${r.condition ? 'holds' : 'does not hold'}`, '', '  '));
  }
  for (const x of r.expectations) {
    out.push(...wrap(`Expect ${x.expect.era}: ${fmtCond(x.expect.cond)}: ${x.holds ? 'ok' : 'FAILED'}`, '', '  '));
  }
  if (opts.legend !== false) out.push('', ...legend([r.era]));
  return `${out.join('\n')}\n`;
}
