// Plain text, at most 80 columns (72 for what goes into a mail), stable order: fit to paste.
// A commit reference `12hex ("subject")` is never broken: it stands alone on its line, whole,
// even where that line is longer than the width (as checkpatch allows for Fixes: lines).
import { COUNTER_NAMES, VIOLATIONS, hex } from '../contract/output.js';
import type { Era, RuleName } from '../contract/era.js';
import { fmtCond, fmtObservable, isCount } from './cond.js';
import type { Observable } from '../contract/scenario.js';
import { ENGINE_SIMPLIFICATIONS } from '../contract/simplifications.js';
import type { RunResult } from '../contract/output.js';
import { VERSION } from '../version.js';

export const WIDTH = 80;
/** What goes into a mail: cite, bisect, diff. */
export const MAIL_WIDTH = 72;

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

/** A line that is one commit reference, which is never broken. */
export const COMMIT_LINE = /^\s*[0-9a-f]{12} \(".*"\)$/;

/** "1 step", "2 steps". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A path count: exact below 2^53, else `~1.5e34` (the report says it is approximate: pathCounts). */
export function fmtCount(n: number): string {
  if (n <= Number.MAX_SAFE_INTEGER) return String(n);
  return `~${n.toPrecision(2).replace('e+', 'e')}`;
}

/** What a report says when it printed a path count with `~`. */
export const APPROXIMATE = 'Path counts shown with ~ passed 2^53 and are approximate.';

/**
 * The path counts of one report, printed with fmtCount: it remembers whether one of them was
 * approximate, so that every report that prints a `~` count says so in words (note). A sum
 * of exact counts can pass 2^53 too, so the count printed decides, not the outcomes'.
 */
export function pathCounts() {
  let approximate = false;
  return {
    fmt(n: number): string {
      if (n > Number.MAX_SAFE_INTEGER) approximate = true;
      return fmtCount(n);
    },
    /** APPROXIMATE, wrapped to the width, if a count printed so far was approximate; else nothing. */
    note: (width = WIDTH) => (approximate ? wrap(APPROXIMATE, '', '  ', width) : []),
  };
}
export type PathCounts = ReturnType<typeof pathCounts>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 2024-03-19 -> 19 Mar 2024, as a mail archive dates a posting. */
export const fmtDate = (d: string) => {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[m - 1]} ${y}`;
};

/** Is this one mainline release (--kernel vX.Y), not a named era? */
export const isRelease = (e: Era) => e.id === e.release && e.releases.first === e.releases.last && !e.proposal;

/** The releases an era covers; for one release, the named era it is in; for a proposal the era it applies to (it is in no release). */
export function releasesOf(e: Era): string {
  if (e.proposal) return `proposal on ${e.base}`;
  if (isRelease(e)) return e.era ? `in ${e.era}` : 'before the named eras';
  return `${e.releases.first}..${e.releases.last ?? ''}`;
}

/** An era's commits, one reference a line; a proposal's posting. */
export function eraRefs(e: Era, indent: string, width = WIDTH): string[] {
  const out = e.commits.map((c) => `${indent}${c}`);
  if (e.proposal) {
    out.push(...wrap(e.proposal.date ? `posted ${fmtDate(e.proposal.date)}: "${e.proposal.subject}"` : `not posted: ${e.proposal.subject}`, indent, `${indent}  `, width));
    if (e.proposal.messageId) out.push(...wrap(`Message-ID <${e.proposal.messageId}>`, indent, indent, width));
  }
  return out;
}

export function eraHeader(e: Era): string[] {
  return [`${isRelease(e) ? 'Kernel' : 'Era'} ${e.id} (${releasesOf(e)})`, ...wrap(e.title, '  '), ...eraRefs(e, '    ')];
}

/** A rule's value as it reads in a report: JSON, a list spaced so that it wraps. */
export const fmtRuleValue = (v: unknown) => JSON.stringify(v).replace(/,/g, ', ');

export function fmtValue(label: string, v: number): string {
  return /^(kvm|notifier|guest)\./.test(label) || /\.(dirty|referenced|lazyfree|ksm|free|present|writable|accessed)$/.test(label) || (VIOLATIONS as readonly string[]).includes(label) ? String(v) : hex(v);
}

/** What a legend covers: an era (at the release it ran) and the rules the run depends on. */
export interface LegendItem {
  era: Era;
  rulesRead: readonly RuleName[];
}

/**
 * The legend: what the model leaves out, engine-wide and at these runs' releases, and the
 * recalled history a run depends on (docs/timeline.md): a rule it read whose timeline entry
 * is not verified.
 */
export function legend(items: LegendItem[], width = WIDTH): string[] {
  const lines = ['Simplifications (docs/engine.md, docs/timeline.md):'];
  for (const s of ENGINE_SIMPLIFICATIONS) lines.push(...wrap(`- ${s}`, '  ', '    ', width));
  const seen = new Set<string>();
  const recalled: string[] = [];
  for (const { era, rulesRead } of items) {
    for (const s of era.simplifications) {
      if (seen.has(s)) continue;
      seen.add(s);
      lines.push(...wrap(`- ${s}`, '  ', '    ', width));
    }
    for (const r of rulesRead) {
      const e = era.entries[r];
      // What is recalled: a citation (its note says what), else the release (how it is bounded).
      const why = e?.cite.find((c) => c.status === 'recalled')?.note ?? e?.pinned;
      const line = e && e.status === 'recalled' ? `- ${r} = ${fmtRuleValue(e.value)} since ${e.release}: ${why}` : null;
      if (line && !seen.has(line)) {
        seen.add(line);
        recalled.push(...wrap(line, '  ', '    ', width));
      }
    }
  }
  if (recalled.length) lines.push('Recalled history these results depend on (not verified against source):', ...recalled);
  return lines;
}

/** A condition's observables with the values a run saw: why an `expect` failed. */
export const fmtSeen = (seen: { obs: Observable; value: number }[]) =>
  seen
    .map(({ obs, value }) => {
      const k = fmtObservable(obs);
      return `${k} = ${isCount(obs) ? value : hex(value)}`;
    })
    .join(', ');

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
    out.push('', r.replayed ? `Trace (the schedule of replay token ${r.replayed}):` : 'Trace (canonical schedule):');
    const w = Math.max(...r.trace.map((t) => t.thread.length), 4);
    const pad = ' '.repeat(6 + w);
    for (const t of r.trace) {
      const head = `${String(t.n).padStart(4)} ${t.thread.padEnd(w)} ${t.fn}`;
      const rule = t.rules.length ? `  [${t.rules.join(', ')}]` : '';
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
    out.push(...wrap(`Expect ${x.expect.era}: ${fmtCond(x.expect.cond)}: ${x.holds ? 'ok' : `FAILED (saw ${fmtSeen(x.seen)})`}`, '', '  '));
  }
  if (opts.legend !== false) out.push('', ...legend([r]));
  return `${out.join('\n')}\n`;
}

/**
 * One scenario under several eras, side by side: a column per era (A, B, ...), a row per
 * observation, per counter that differs (every counter for one era) and the violations.
 */
export function sideBySide(runs: RunResult[], width: number): string[] {
  const label = (i: number) => String.fromCharCode(65 + i);
  const ran = runs.filter((r) => r.outcome);
  const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
  const ctrs = COUNTER_NAMES.filter((c) => !obs.includes(c) && (ran.some((r) => r.outcome!.counters[c] !== ran[0]!.outcome!.counters[c]) || (runs.length === 1 && ran[0]!.outcome!.counters[c] !== 0)));
  const rows: [string, string[]][] = [
    ...obs.map((k): [string, string[]] => [k, runs.map((r) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '-'))]),
    ...ctrs.map((c): [string, string[]] => [c, runs.map((r) => (r.outcome ? String(r.outcome.counters[c]) : '-'))]),
    ['violations', runs.map((r) => (r.outcome ? r.outcome.violations.join(',') || 'none' : '-'))],
  ];
  if (runs[0]!.scenario.condition) rows.push(['condition', runs.map((r) => (r.condition === undefined ? '-' : r.condition ? 'holds' : 'no'))]);
  const colW = Math.max(5, ...rows.flatMap(([, v]) => v.map((x) => x.length)));
  const labelW = Math.max(10, Math.min(width - runs.length * (colW + 2), Math.max(...rows.map(([k]) => k.length))));
  const out = [`${''.padEnd(labelW)}${runs.map((_, i) => `  ${label(i).padStart(colW)}`).join('')}`];
  for (const [k, v] of rows) {
    const name = k.length > labelW ? `${k.slice(0, labelW - 1)}~` : k.padEnd(labelW);
    out.push(`${name}${v.map((x) => `  ${x.padStart(colW)}`).join('')}`);
  }
  for (const r of runs) if (r.unavailable) out.push(...wrap(`${label(runs.indexOf(r))}: ${r.unavailable}`, '', '  ', width));
  return out;
}

/** `run --era all`: each era's report without the legend, then the eras side by side, then the legend once. */
export function runsText(runs: RunResult[], opts: { trace: boolean }): string {
  if (runs.length === 1) return runText(runs[0]!, opts);
  const parts = runs.map((r) => runText(r, { ...opts, legend: false }));
  const summary = ['Side by side:', ...runs.map((r, i) => `  ${String.fromCharCode(65 + i)} = ${r.era.id} (${releasesOf(r.era)})`), '', ...sideBySide(runs, WIDTH)];
  return `${parts.join('\n')}\n${summary.join('\n')}\n\n${legend(runs).join('\n')}\n`;
}
