// Plain text, at most 80 columns (72 for what goes into a mail), stable order: fit to paste.
// A commit reference `12hex ("subject")` is never broken: it stands alone on its line, whole,
// even where that line is longer than the width (as checkpatch allows for Fixes: lines).
import { COUNTER_NAMES, VIOLATIONS, hex } from '../contract/output.js';
import type { Era, RuleEntry, RuleName } from '../contract/era.js';
import { fmtCond, fmtObservable, isCount } from './cond.js';
import type { Observable } from '../contract/scenario.js';
import { ENGINE_SIMPLIFICATIONS } from '../contract/simplifications.js';
import type { Band, Outcome, RunResult, TraceStep } from '../contract/output.js';
import { VERSION } from '../version.js';

export const WIDTH = 80;

/** The tool as a header names it: its version and the hash of the history its eras came from. */
export function toolOf(eras: readonly Era[]): string {
  const h = eras.find((e) => e.history)?.history;
  return h ? `${VERSION} (history ${h})` : VERSION;
}
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
  if (e.proposal) return `proposal on ${e.base}, at ${e.release}`;
  if (isRelease(e)) return e.era ? `in ${e.era}` : 'before the named eras';
  return `${e.releases.first}..${e.releases.last ?? ''}`;
}

/** An era's commits, one reference a line; a proposal's posting. */
export function eraRefs(e: Era, indent: string, width = WIDTH): string[] {
  const out = e.commits.map((c) => `${indent}${c}`);
  if (isRelease(e) && e.era && e.eraCommits?.length) {
    out.push(...wrap(`${e.commits.length ? '' : `${e.changed.length ? `${e.id} names no commit of its own; ` : `no modelled rule changes in ${e.id}; `}`}${e.era} opens with:`, indent, `${indent}  `, width), ...e.eraCommits.map((c) => `${indent}  ${c}`));
  }
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
  /** The steps the run printed: the names in them whose release is not pinned are listed. */
  trace?: readonly TraceStep[];
}

/**
 * The legend: what the model leaves out, engine-wide and at these runs' releases, and the
 * history a run depends on that only two releases' code bounds (docs/timeline.md): a rule it
 * read, or a name it printed, whose timeline entry is `between`.
 */
export function legend(items: LegendItem[], width = WIDTH): string[] {
  const lines = ['Simplifications (docs/engine.md, docs/timeline.md):'];
  for (const s of ENGINE_SIMPLIFICATIONS) lines.push(...wrap(`- ${s}`, '  ', '    ', width));
  const seen = new Set<string>();
  const unpinned: string[] = [];
  for (const item of items) {
    const { era, rulesRead } = item;
    for (const s of era.simplifications) {
      if (seen.has(s)) continue;
      seen.add(s);
      lines.push(...wrap(`- ${s}`, '  ', '    ', width));
    }
    for (const r of rulesRead) {
      const e = era.entries[r];
      // An entry only two snapshots bound: the run puts the change at a release it cannot pin.
      const line = e && e.status !== 'verified' ? `- ${r} = ${fmtRuleValue(e.value)} from ${e.release}${e.between ? `, which only the code of ${e.between[0]} (without it) and ${e.between[1]} (with it) bound` : `: ${e.pinned}`}` : null;
      if (line && !seen.has(line)) {
        seen.add(line);
        unpinned.push(...wrap(line, '  ', '    ', width));
      }
    }
    const printed = (item.trace ?? []).map((t) => `${t.fn} ${t.does} ${t.notes.join(' ')}`).join('\n');
    for (const u of era.unpinned ?? []) {
      const line = `- ${u.name} ${u.bound}`;
      if (printed.includes(u.name) && !seen.has(line)) {
        seen.add(line);
        unpinned.push(...wrap(line, '  ', '    ', width));
      }
    }
  }
  if (unpinned.length) lines.push(...wrap('History these results depend on that only two releases bound (docs/timeline.md):', '', '  ', width), ...unpinned);
  return lines;
}

/** Where an expectation failed: in the run shown, and in which other releases of its era, with what each saw. */
export function failedWhere(x: RunResult['expectations'][number]): string {
  if (!x.failedIn) return `(saw ${fmtSeen(x.seen)})`;
  return `(${x.failedIn.map((b) => `in ${releaseRange(b)} saw ${fmtSeen(b.seen)}`).join('; ')})`;
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
  out.push(`mmutt ${toolOf([r.era])}`, `scenario ${r.scenario.name}  sha256 ${r.sha256.slice(0, 12)}`);
  out.push(...eraHeader(r.era), ...heldLine(r));
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
  for (const [k, v] of obs) out.push(`  ${r.labels?.[k] ?? k} = ${fmtValue(k, v)}`);
  out.push('', 'Counters (non-zero):');
  const nz = COUNTER_NAMES.filter((c) => outcome.counters[c] !== 0);
  if (!nz.length) out.push('  (none)');
  for (const c of nz) out.push(`  ${c.padEnd(34)} ${outcome.counters[c]}`);
  out.push('', `Violations: ${outcome.violations.length ? outcome.violations.join(', ') : 'none'}`);
  if (r.condition !== undefined && r.scenario.condition) {
    const c = r.scenario.condition;
    out.push(...wrap(`Condition ${c.quantifier} (${fmtCond(c.cond)}): ${r.condition ? 'holds' : 'does not hold'}`, '', '  '));
  }
  for (const x of r.expectations) out.push(...wrap(`Expect ${x.expect.era}: ${fmtCond(x.expect.cond)}: ${x.holds ? 'ok' : `FAILED ${failedWhere(x)}`}`, '', '  '));
  if (r.bands) out.push('', ...bandLines(r.bands, r.era.release));
  if (opts.legend !== false) out.push('', ...legend([r]));
  return `${out.join('\n')}\n`;
}

/**
 * One scenario under several eras, side by side: a column per era (A, B, ...), a row per
 * observation, per counter that differs (every counter for one era) and the violations.
 */
export function sideBySide(runs: RunResult[], width: number, keep: readonly string[] = []): string[] {
  const label = (i: number) => String.fromCharCode(65 + i);
  const ran = runs.filter((r) => r.outcome);
  const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
  const ctrs = COUNTER_NAMES.filter((c) => !obs.includes(c) && (keep.includes(c) || ran.some((r) => r.outcome!.counters[c] !== ran[0]!.outcome!.counters[c]) || (runs.length === 1 && ran.length === 1 && ran[0]!.outcome!.counters[c] !== 0)));
  // A label in the eras' words when they all spell it alike (`page(...)` in eras before folios).
  const spelt = (k: string) => {
    const names = new Set(ran.map((r) => r.labels?.[k] ?? k));
    return names.size === 1 ? [...names][0]! : k;
  };
  const rows: [string, string[]][] = [
    ...obs.map((k): [string, string[]] => [spelt(k), runs.map((r) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '-'))]),
    ...ctrs.map((c): [string, string[]] => [c, runs.map((r) => (r.outcome ? String(r.outcome.counters[c]) : '-'))]),
    ['violations', runs.map((r) => (r.outcome ? r.outcome.violations.join(',') || 'none' : '-'))],
  ];
  if (runs[0]!.scenario.condition) rows.push(['condition', runs.map((r) => (r.condition === undefined ? '-' : r.condition ? 'holds' : 'no'))]);
  // A harm's name wider than the columns have room for (`device-fault-loop` under five eras)
  // is named under the table instead: its cell says `yes`.
  const harms: string[] = [];
  const narrow = Math.max(5, ...rows.filter(([k]) => k !== 'violations').flatMap(([, v]) => v.map((x) => x.length)));
  const harmRow = rows.find(([k]) => k === 'violations')!;
  if (harmRow[1].some((x) => x.length > narrow) && 10 + runs.length * (Math.max(...harmRow[1].map((x) => x.length)) + 2) > width) {
    harmRow[1] = harmRow[1].map((x, i) => {
      if (x === 'none' || x === '-') return x;
      harms.push(`${label(i)}: violations ${x}`);
      return 'yes';
    });
  }
  const colW = Math.max(5, ...rows.flatMap(([, v]) => v.map((x) => x.length)));
  const labelW = Math.max(10, Math.min(width - runs.length * (colW + 2), Math.max(...rows.map(([k]) => k.length))));
  // `*`: a column whose era's releases do not all give it; its era line says which do.
  const out = [`${''.padEnd(labelW)}${runs.map((r, i) => `  ${`${label(i)}${r.bands ? '*' : ''}`.padStart(colW)}`).join('')}`];
  for (const [k, v] of rows) {
    const name = k.length > labelW ? `${k.slice(0, labelW - 1)}~` : k.padEnd(labelW);
    out.push(`${name}${v.map((x) => `  ${x.padStart(colW)}`).join('')}`);
  }
  for (const h of harms) out.push(...wrap(h, '', '  ', width));
  for (const r of runs) if (r.unavailable) out.push(...wrap(`${label(runs.indexOf(r))}: ${r.unavailable}`, '', '  ', width));
  for (const [i, r] of runs.entries()) if (r.bands) out.push(...wrap(`${label(i)}*: holds for ${heldFor(r)} only; the other releases of ${r.era.id} differ (its bands follow)`, '', '  ', width));
  return out;
}

/** `run --era all`: each era's report without the legend, then the eras side by side, then the legend once. */
export function runsText(runs: RunResult[], opts: { trace: boolean }): string {
  if (runs.length === 1) return runText(runs[0]!, opts);
  const parts = runs.map((r) => runText(r, { ...opts, legend: false }));
  const summary = ['Side by side:', ...runs.map((r, i) => `  ${String.fromCharCode(65 + i)} = ${r.era.id} (${releasesOf(r.era)})`), '', ...sideBySide(runs, WIDTH)];
  for (const [i, r] of runs.entries()) if (r.bands) summary.push('', `${String.fromCharCode(65 + i)} = ${r.era.id}:`, ...bandLines(r.bands, r.era.release));
  return `${parts.join('\n')}\n${summary.join('\n')}\n\n${legend(runs).join('\n')}\n`;
}

/** A result as a row of a table shows it: an outcome, or why there is none. */
export interface Ran {
  outcome: Outcome | null;
  unavailable?: string;
}

const outcomeKey = (o: Outcome | null) => (o ? JSON.stringify([o.observations, o.counters, o.violations]) : null);

/**
 * One row of a table: a letter per distinct outcome (A for the first), null for a column that
 * cannot run the scenario. `harm` decorates an outcome with violations.
 */
export function outcomeLetters(row: Ran[], harm: (violations: string[]) => string): (string | null)[] {
  const seen: string[] = [];
  return row.map((r) => {
    const k = outcomeKey(r.outcome);
    if (k === null) return null;
    if (!seen.includes(k)) seen.push(k);
    return String.fromCharCode(65 + seen.indexOf(k)) + (r.outcome!.violations.length ? harm(r.outcome!.violations) : '');
  });
}

/**
 * What tells a row's outcomes apart: the observations and counters that differ, by letter.
 * `name` (a scenario's) heads the lines when the row is one of many.
 */
export function apart(row: Ran[], classes: string[], everywhere: string, name?: string, width = WIDTH): string[] {
  const out: string[] = [];
  const letters = [...new Set(classes.filter((c) => c !== '-').map((c) => c[0]!))];
  const head = name === undefined ? '' : `${name}: `;
  const missing = row.filter((r) => r.unavailable);
  if (missing.length) out.push(...wrap(`${head}-: ${missing[missing.length - 1]!.unavailable!}`, '  ', '      ', width));
  if (letters.length < 2) {
    if (!missing.length) out.push(`  ${head}same outcome in ${everywhere}`);
    return out;
  }
  if (name !== undefined) out.push(`  ${name}:`);
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
    out.push(...wrap(`${L}: ${parts.join(' ')}`, name !== undefined ? '    ' : '  ', name !== undefined ? '       ' : '     ', width));
  }
  return out;
}

/** Releases first..last, or the one release. */
export const releaseRange = (b: { first: string; last: string }) => (b.first === b.last ? b.first : `${b.first}..${b.last}`);

/** The releases a result holds for: the whole era, or the band of the release that ran. */
export function heldFor(r: { era: Era; bands?: { first: string; last: string; release: string }[] }): string {
  // The band of the release that ran names it (runner/bands.ts: eraSpans, toBands), also when
  // that release is inside its band (a proposal's base, at the release the proposal applies to).
  const b = r.bands?.find((x) => x.release === r.era.release);
  return b ? releaseRange(b) : releasesOf(r.era);
}

/** The line under an era's header when its releases do not all give the result shown. */
export function heldLine(r: { era: Era; bands?: { first: string; last: string; release: string }[] }, width = WIDTH): string[] {
  if (!r.bands) return [];
  return wrap(`These results hold for ${heldFor(r)} (the rules of ${r.era.release} ran); the era's other releases differ: see "Across the era"`, '  ', '    ', width);
}

/**
 * Where an era's releases split: each band of releases with its letter (`-`: cannot run it),
 * and what tells the letters apart. Every release in a band gives that band's values.
 */
export function bandLines(bands: Band[], release: string, width = WIDTH): string[] {
  // Lower case: the upper-case letters of a cite or diff name its eras.
  const classes = outcomeLetters(bands, () => '!').map((c) => c?.toLowerCase() ?? '-');
  const w = Math.max(...bands.map((b) => releaseRange(b).length));
  const out = wrap("Across the era (every release run; a band's releases give the same):", '', '  ', width);
  bands.forEach((b, i) => out.push(`  ${releaseRange(b).padEnd(w)}  ${classes[i]}${b.release === release ? '  (the result shown)' : ''}`.trimEnd()));
  const cond = bands.filter((b) => b.outcome).map((b) => b.condition);
  const lines = apart(bands, classes, 'every release', undefined, width);
  if (new Set(cond).size > 1) {
    const said = new Set<string>();
    bands.forEach((b, i) => {
      const L = classes[i]![0]!;
      if (!b.outcome || b.condition === undefined || said.has(L)) return;
      said.add(L);
      lines.push(`  ${L}: condition ${b.condition ? 'holds' : 'does not hold'}`);
    });
  }
  return [...out, ...lines];
}

/** A timeline entry: since when, its commit and status, why, and the code read for it (`first`: the release the history starts at). */
export function entryLines(e: RuleEntry, first: string, indent: string): string[] {
  const since = e.release === first ? `since ${e.release} (where the history starts)` : `since ${e.release}`;
  return [
    // `verified`, or `between vA and vB` (the status names itself once).
    ...wrap(`${since}: ${e.commit ?? 'no commit identified'}; ${e.status === 'between' && e.between ? `between ${e.between[0]} and ${e.between[1]}` : e.status}`, indent, `${indent}  `),
    ...wrap(e.why, indent, indent),
    // A commit id in its 12-digit kernel form (docs/timeline.md has the whole one).
    ...e.read.flatMap((r) => wrap(`read: ${r.repo}@${r.at.replace(/^([0-9a-f]{12})[0-9a-f]{28}$/, '$1')} ${r.path} ${r.fn}: ${r.saw}`, indent, `${indent}  `)),
  ];
}
