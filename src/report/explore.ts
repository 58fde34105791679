// Exploration reports, in the shape herd7 users read and grep (docs/output.md): the outcomes
// with their path counts, the condition, Positive/Negative, one verdict line.
import { COUNTER_NAMES, foundKey, hex, pathsCounted, stoppedBy, verdict } from '../contract/output.js';
import { fmtCond } from './cond.js';
import type { Era } from '../contract/era.js';
import type { Exploration, ExploredOutcome, ExploreBand, ExploreRun } from '../contract/output.js';
import { eraHeader, fmtCount, fmtValue, heldFor, heldLine, legend, releaseRange, pathCounts, plural, releasesOf, wrap, type PathCounts, toolOf } from './text.js';
import { runHeader } from './json.js';

/**
 * herd7's verdict line, `Observation NAME VERDICT P N`, or the number of outcomes without a
 * condition. `fmt` is the report's own (pathCounts), so that it says when P or N is approximate.
 */
export function observationLine(r: ExploreRun, fmt: (n: number) => string = fmtCount): string {
  const x = r.exploration!;
  const v = verdict(x);
  return v ? `Observation ${r.run.scenario.name} ${v.verdict} ${fmt(v.positive)} ${fmt(v.negative)}` : `Observation ${r.run.scenario.name} Outcomes ${x.outcomes.length}`;
}

/** A count of paths as a report prints it (`1 path`, `~1.5e34 paths`). */
export const pathsText = (n: number, counts: PathCounts) => `${counts.fmt(n)} ${n === 1 ? 'path' : 'paths'}`;

/** The paths to every outcome an exploration found. */
export const allPaths = (x: Exploration) => x.outcomes.reduce((n, o) => n + o.paths, 0);

/** What an exploration met none of: none at all, or (a limit or Ctrl-C stopped it) none so far. */
export const noneYet = (x: Exploration) => (x.complete ? 'none' : 'none so far');

/** An outcome as herd7 prints one; `labels` spells observations in the release's words. */
export const fmtOutcome = (o: ExploredOutcome, labels: Record<string, string> = {}) =>
  [
    ...Object.entries(o.observations).map(([k, v]) => `${labels[k] ?? k}=${fmtValue(k, v)};`),
    ...(o.violations.length ? [`harm: ${o.violations.join(', ')};`] : []),
    ...(o.deadlock ? ['DEADLOCK;'] : []),
  ].join(' ');

/** The harms found, each with the number of paths that reach it. */
export function harmsOf(x: Exploration): { harm: string; paths: number }[] {
  const by = new Map<string, number>();
  for (const o of x.outcomes) for (const v of o.violations) by.set(v, (by.get(v) ?? 0) + o.paths);
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([harm, paths]) => ({ harm, paths }));
}

export const windowText = (w: Exploration['windows'][number]) => `${w.mapping} ${w.where ?? `gfn ${hex(w.gfn)}`}, opened by ${w.openedBy.thread} ${w.openedBy.fn}`;

function outcomeLines(x: Exploration, width: number, counts: PathCounts, labels?: Record<string, string>): string[] {
  return x.outcomes.flatMap((o) => wrap(`${pathsCounted(x) ? `${pathsText(o.paths, counts)}: ` : ''}${fmtOutcome(o, labels)}`, '  ', '      ', width));
}

export function exploreText(r: ExploreRun, opts: { stats: boolean; legend?: boolean }): string {
  const { run } = r;
  const out = [`mmutt ${toolOf([run.era])}`, `scenario ${run.scenario.name}  sha256 ${run.sha256.slice(0, 12)}  (explore)`, ...eraHeader(run.era), ...heldLine({ era: run.era, ...(r.bands ? { bands: r.bands } : {}) })];
  const x = r.exploration;
  if (!x) {
    out.push('', ...wrap(run.unavailable!, ''));
    return `${out.join('\n')}\n`;
  }
  for (const n of run.notes) out.push(...wrap(`Note: ${n}`, '', '  '));
  const counts = pathCounts();
  out.push('', `Outcomes ${x.outcomes.length}${x.complete ? '' : ' (so far: the exploration stopped)'}`);
  out.push(...outcomeLines(x, 80, counts, run.labels));
  out.push('', x.windows.length ? 'Windows (a stale secondary mapping outside any invalidation bracket):' : `Windows: ${noneYet(x)}`);
  for (const w of x.windows) {
    const wit = r.witnesses.find((y) => y.target === `window ${w.key}`);
    out.push(...wrap(`${windowText(w)}${wit?.windowSteps !== undefined ? `, lasts ${plural(wit.windowSteps, 'step')}` : ''}`, '  ', '    '));
  }
  if (r.witnesses.length) {
    out.push('', 'Witnesses (shortest schedules; replay with --replay TOKEN):');
    for (const w of r.witnesses) {
      out.push(...wrap(`${w.shown ?? w.target}: ${w.token}`, '  ', '    '));
      for (const st of w.trace) out.push(...wrap(`${String(st.n).padStart(3)} ${st.thread} ${st.fn}${st.notes.length ? `: ${st.notes.join('; ')}` : ''}`, '    ', '        '));
    }
  }
  const v = verdict(x);
  const c = run.scenario.condition;
  out.push('');
  if (c) out.push(...wrap(`Condition ${c.quantifier} (${fmtCond(c.cond)})`, '', '  '));
  if (v) out.push(`Positive: ${counts.fmt(v.positive)} Negative: ${counts.fmt(v.negative)}`);
  out.push(observationLine(r, counts.fmt));
  if (!x.complete) {
    out.push(...wrap(`Incomplete: ${stoppedBy(x)} after ${plural(x.states, 'state')}${x.stopped === 'memory' ? ` (${(x.bytes / 1048576).toFixed(1)} MiB held)` : ''}; the outcomes above were found, others may exist${x.reduced ? '' : '; Positive and Negative count them, not paths (a path is counted when the search has finished its states)'}.`, '', '  '));
  }
  out.push(...counts.note());
  if (x.reduced) out.push(...wrap(`Reduced (--reduce, persistent and sleep sets): ${x.complete ? 'every outcome, harm and window is found, but ' : ''}the states are those of the reduced search and paths are not counted; Positive and Negative count outcomes.`, '', '  '));
  out.push(`Hash=${run.sha256.slice(0, 32)}`);
  out.push(`States ${x.states}  Transitions ${x.transitions}${x.cycles ? `  Cycles ${x.cycles}` : ''}`);
  if (opts.stats) out.push(`Time ${(x.elapsedMs / 1000).toFixed(3)}s  Memory ${(x.bytes / 1048576).toFixed(1)} MiB  ${(x.states / Math.max(x.elapsedMs / 1000, 1e-6)).toFixed(0)} states/s${x.workers > 1 ? `  Workers ${x.workers}` : ''}`);
  if (r.bands) {
    const counts2 = pathCounts();
    out.push('', ...exploreBandLines(r, 80, counts2), ...counts2.note());
  }
  if (opts.legend !== false) out.push('', ...legend([run]));
  return `${out.join('\n')}\n`;
}

/** `run --era all --explore`: each era without the legend, the verdicts side by side, the legend once. */
export function exploresText(runs: ExploreRun[], opts: { stats: boolean }): string {
  if (runs.length === 1) return exploreText(runs[0]!, opts);
  const parts = runs.map((r) => exploreText(r, { ...opts, legend: false }));
  const summary = ['Side by side (every interleaving):'];
  const counts = pathCounts();
  for (const r of runs) {
    summary.push(`  ${r.run.era.id} (${releasesOf(r.run.era)})`);
    summary.push(...exploredSummary(r, 80, '    ', counts));
  }
  summary.push(...counts.note());
  return `${parts.join('\n')}\n${summary.join('\n')}\n\n${legend(runs.map((r) => r.run)).join('\n')}\n`;
}

/**
 * herd7's verdict line on one line when it fits the width; else the verdict, then its counts
 * on the next line as `run` labels them (`Positive: P Negative: N`). A mail (cite, diff: 72
 * columns) needs it; the verdict line of `run`'s own report stays whole, for grep.
 */
function observationLines(r: ExploreRun, width: number, indent: string, counts: PathCounts): string[] {
  const line = observationLine(r, counts.fmt);
  const v = verdict(r.exploration!);
  if (indent.length + line.length <= width || !v) return wrap(line, indent, `${indent}  `, width);
  return [...wrap(`Observation ${r.run.scenario.name} ${v.verdict}`, indent, `${indent}  `, width), `${indent}  Positive: ${counts.fmt(v.positive)} Negative: ${counts.fmt(v.negative)}`];
}

/**
 * A few lines for one explored era: its verdict line, windows and harms (cite, diff,
 * summaries). The report that prints them says, after them, whether `counts` was approximate.
 */
export function exploredSummary(r: ExploreRun, width: number, indent: string, counts: PathCounts): string[] {
  const x = r.exploration;
  if (!x) return wrap(r.run.unavailable!, indent, `${indent}  `, width);
  const out = observationLines(r, width, indent, counts);
  out.push(
    ...wrap(
      `${plural(x.outcomes.length, 'outcome')}${pathsCounted(x) ? `, ${pathsText(allPaths(x), counts)}` : x.complete ? ' (--reduce: the verdict counts outcomes, not paths)' : ` so far: incomplete, ${stoppedBy(x)} after ${plural(x.states, 'state')} (the verdict counts outcomes, not paths)`}`,
      indent,
      `${indent}  `,
      width,
    ),
  );
  const harms = harmsOf(x);
  out.push(...wrap(`harms: ${harms.length ? harms.map((h) => `${h.harm}${pathsCounted(x) ? ` (${counts.fmt(h.paths)} paths)` : ''}`).join(', ') : noneYet(x)}`, indent, `${indent}  `, width));
  if (!x.windows.length) out.push(`${indent}windows: ${noneYet(x)}`);
  for (const w of x.windows) out.push(...wrap(`window: ${windowText(w)}`, indent, `${indent}  `, width));
  return out;
}

const bandKey = (b: ExploreBand) => foundKey(b.unavailable, b.exploration);

/**
 * Where an explored era's releases split: each band with its letter (`-`: cannot run it) and,
 * per letter, what its exploration found. Every release of a band finds the same.
 */
export function exploreBandLines(r: ExploreRun, width: number, counts: PathCounts): string[] {
  const bands = r.bands ?? [];
  const keys = [...new Set(bands.filter((b) => b.exploration).map(bandKey))];
  // Lower case: the upper-case letters of a cite or diff name its eras.
  const letter = (b: ExploreBand) => (b.exploration ? String.fromCharCode(97 + keys.indexOf(bandKey(b))) : '-');
  const w = Math.max(...bands.map((b) => releaseRange(b).length));
  const out = wrap("Across the era (every release explored; a band's releases find the same):", '', '  ', width);
  for (const b of bands) out.push(`  ${releaseRange(b).padEnd(w)}  ${letter(b)}${b.release === r.run.era.release ? '  (the result shown)' : ''}`);
  // Each letter's block; one that prints as an earlier letter's does says what differs.
  const blocks = new Map<string, { lines: string[]; band: ExploreBand }>();
  for (const b of bands) {
    const L = letter(b);
    if (blocks.has(L)) continue;
    const one: ExploreRun = { run: { ...r.run, ...(b.unavailable ? { unavailable: b.unavailable } : {}) }, exploration: b.exploration, witnesses: [] };
    const lines = [...exploredSummary(one, width, '     ', counts), ...(b.exploration ? [`     States ${b.exploration.states}  Transitions ${b.exploration.transitions}`] : [])];
    const twin = [...blocks].find(([, k]) => k.lines.join('\n') === lines.join('\n'));
    out.push(`  ${L}:`, ...lines);
    if (twin && b.exploration && twin[1].band.exploration) out.push(...unprinted(b.exploration, twin[0], twin[1].band.exploration, width));
    blocks.set(L, { lines, band: b });
  }
  return out;
}

/**
 * What tells exploration `x` from `y` (none: a release that cannot run the scenario): outcomes,
 * least counters, path counts, windows. A band's "as a, but", a matrix cell's "other ...", a diff.
 */
export function explorationsApart(x: Exploration | null, y: Exploration | null) {
  const [ox, oy, wx, wy] = [x?.outcomes ?? [], y?.outcomes ?? [], x?.windows ?? [], y?.windows ?? []];
  const theirs = new Map(oy.map((o) => [o.key, o]));
  const mine = new Set(ox.map((o) => o.key));
  const windowsThere = new Set(wy.map((w) => w.key));
  const windowsHere = new Set(wx.map((w) => w.key));
  return {
    onlyHere: ox.filter((o) => !theirs.has(o.key)),
    onlyThere: oy.filter((o) => !mine.has(o.key)),
    /** Outcomes both found, in x's order, with the least counters that differ. */
    both: ox.flatMap((o) => {
      const t = theirs.get(o.key);
      return t ? [{ o, t, moved: COUNTER_NAMES.filter((n) => o.counters[n] !== t.counters[n]) }] : [];
    }),
    windowsHere: wx.filter((w) => !windowsThere.has(w.key)),
    windowsThere: wy.filter((w) => !windowsHere.has(w.key)),
  };
}

/** What a band found that its summary does not print and another band's (`M`'s) differs in. */
function unprinted(x: Exploration, M: string, y: Exploration, width: number): string[] {
  const d = explorationsApart(x, y);
  const line = (text: string) => wrap(text, '       ', '         ', width);
  const out = [
    ...d.onlyHere.flatMap((o) => line(`outcome not in ${M}: ${fmtOutcome(o)}`)),
    ...d.onlyThere.flatMap((o) => line(`no outcome ${fmtOutcome(o)}`)),
    ...d.both.flatMap(({ o, t, moved }) =>
      moved.length ? line(`${fmtOutcome(o)} least counters ${moved.map((n) => `${n} ${o.counters[n]} (${M}: ${t.counters[n]})`).join(', ')}`) : o.paths !== t.paths ? line(`${fmtOutcome(o)} ${fmtCount(o.paths)} paths (${M}: ${fmtCount(t.paths)})`) : [],
    ),
    ...d.windowsHere.flatMap((w) => line(`window not in ${M}: ${windowText(w)}`)),
    ...d.windowsThere.flatMap((w) => line(`no window ${windowText(w)}`)),
  ];
  return out.length ? [`     as ${M}, but:`, ...out] : [];
}

export function exploreJson(r: ExploreRun, opts: { stats: boolean }) {
  const { run } = r;
  const x = r.exploration;
  const v = x ? verdict(x) : null;
  return {
    ...runHeader(run, 'explore'),
    complete: x ? x.complete : true,
    ...(x?.stopped ? { stopped: x.stopped } : {}),
    ...(x?.approximate ? { approximate: true } : {}),
    ...(x?.reduced ? { reduced: true } : {}),
    stats: { states: x?.states ?? 0, transitions: x?.transitions ?? 0, ...(opts.stats && x ? { ms: Math.round(x.elapsedMs), bytes: x.bytes, workers: x.workers } : {}) },
    outcomes: (x?.outcomes ?? []).map((o) => ({
      observations: o.observations,
      counters: o.counters,
      violations: o.violations,
      ...(o.deadlock ? { deadlock: true } : {}),
      ...(o.condition !== undefined ? { condition: o.condition } : {}),
      ...(pathsCounted(x!) ? { paths: o.paths } : {}),
      ...(witnessFor(r, o.key) ? { witness: witnessFor(r, o.key) } : {}),
    })),
    windows: (x?.windows ?? []).map((w) => {
      const wit = r.witnesses.find((y) => y.target === `window ${w.key}`);
      return { mapping: w.mapping, gfn: w.gfn, openedBy: w.openedBy, ...(wit ? { steps: wit.windowSteps, witness: wit.token } : {}) };
    }),
    ...(v ? { verdict: v.verdict, positive: v.positive, negative: v.negative } : {}),
    ...(r.bands ? { bands: r.bands.map((b) => ({ first: b.first, last: b.last, release: b.release, ...(b.unavailable ? { unavailable: b.unavailable } : {}), ...(b.exploration ? bandFound(b.exploration) : {}) })) } : {}),
  };
}

/** A band's exploration in JSON: what the run's own fields say of it. */
function bandFound(x: Exploration) {
  const v = verdict(x);
  return {
    complete: x.complete,
    stats: { states: x.states, transitions: x.transitions },
    outcomes: x.outcomes.map((o) => ({ observations: o.observations, counters: o.counters, violations: o.violations, ...(o.deadlock ? { deadlock: true } : {}), ...(o.condition !== undefined ? { condition: o.condition } : {}), ...(pathsCounted(x) ? { paths: o.paths } : {}) })),
    windows: x.windows.map((w) => ({ mapping: w.mapping, gfn: w.gfn, openedBy: w.openedBy })),
    ...(v ? { verdict: v.verdict, positive: v.positive, negative: v.negative } : {}),
  };
}

function witnessFor(r: ExploreRun, key: string): string | undefined {
  return r.witnesses.find((w) => w.outcomeKey === key)?.token;
}

/** A band of releases in a list: its cell with the verdict's path counts (bands may differ only there), or its states. */
function bandCell(b: ExploreBand, counts: PathCounts): string {
  const x = b.exploration;
  const v = x && x.complete ? verdict(x) : null;
  return `${cell(b)}${v ? ` ${counts.fmt(v.positive)}/${counts.fmt(v.negative)}` : x ? ` (${x.states} states)` : ''}`;
}

/** What tells two explorations apart that a matrix cell does not show, in a few words. */
function apartBy(x: Exploration, y: Exploration): string {
  const d = explorationsApart(x, y);
  if (d.onlyHere.length || d.onlyThere.length) return 'other outcomes';
  if (d.both.some((b) => b.moved.length)) return 'other least counters';
  if (d.both.some(({ o, t }) => o.paths !== t.paths)) return 'other path counts';
  if (d.windowsHere.length || d.windowsThere.length) return 'other windows';
  return 'other states';
}

/** A matrix cell: the verdict (or the number of outcomes), `!` for harm, T/I when stopped, - when not in the era. */
function cell(r: { exploration: Exploration | null }): string {
  const x = r.exploration;
  if (!x) return '-';
  const harm = x.outcomes.some((o) => o.violations.length) ? '!' : '';
  // A stopped search's harm is one found so far: shown all the same.
  if (!x.complete) return `${x.stopped === 'interrupted' ? 'I' : 'T'}${harm}`;
  const v = verdict(x);
  return `${v ? v.verdict[0] : String(x.outcomes.length)}${harm}`;
}

/**
 * matrix --explore: per cell the verdict of the scenario's condition, by its initial (or,
 * without one, the number of distinct outcomes), `!` if some path does harm, `T` if the exploration stopped at
 * a limit, `I` if it was interrupted, `-` if the era cannot run the scenario.
 */
export function exploreMatrixText(eras: readonly Era[], rows: ExploreRun[][]): string {
  const out = [`mmutt ${toolOf(eras)}`, `matrix --explore: ${plural(rows.length, 'scenario')} x ${plural(eras.length, 'era')}, every interleaving`, ''];
  const nameW = Math.max(8, ...rows.map((r) => r[0]!.run.scenario.name.length));
  // `*`: the era's releases do not all find this (the bands are listed below the table).
  const shown = (r: ExploreRun) => `${cell(r)}${r.bands ? '*' : ''}`;
  const colW = Math.max(4, ...rows.flatMap((row) => row.map((r) => shown(r).length + 1)));
  out.push(`${'scenario'.padEnd(nameW)}  ${eras.map((_, i) => `E${i + 1}`.padEnd(colW)).join('')}`.trimEnd());
  for (const row of rows) out.push(`${row[0]!.run.scenario.name.padEnd(nameW)}  ${row.map((r) => shown(r).padEnd(colW)).join('')}`.trimEnd());
  out.push('');
  eras.forEach((e, i) => out.push(`E${i + 1} ${e.id.padEnd(25)} ${releasesOf(e)}`));
  out.push(
    '',
    ...wrap(
      "N, S, A: the verdict (Never, Sometimes, Always) of the scenario's condition over every interleaving; a number: without a condition, the number of distinct outcomes; '!': some interleaving does harm (with T or I: one found before the search stopped); 'T': stopped at a limit; 'I': interrupted; '-': the era cannot run the scenario; '*': the era's releases do not all find it (the release the era ran is shown).",
      '',
    ),
  );
  const counts = pathCounts();
  const splits = rows.flatMap((row) =>
    row.flatMap((r, i) => {
      if (!r.bands) return [];
      // A band whose cell reads as an earlier one's says what differs.
      const cells = r.bands.map((b) => bandCell(b, counts));
      const shown = r.bands.map((b, j) => {
        const twin = cells.findIndex((c, k) => k < j && c === cells[j]);
        const x = b.exploration;
        const y = twin >= 0 ? r.bands![twin]!.exploration : null;
        return `${releaseRange(b)} ${cells[j]}${x && y ? ` (${apartBy(x, y)})` : ''}`;
      });
      return wrap(`${r.run.scenario.name} E${i + 1} by release: ${shown.join(', ')}`, '  ', '    ');
    }),
  );
  if (splits.length) out.push('', ...wrap('Eras whose releases split (each band explored; `run --era ID --explore` shows what differs):', ''), ...splits, ...counts.note());
  // Every harm found: the release the era ran, and each other band of its releases.
  const harms = rows.flatMap((row) =>
    row.flatMap((r) => {
      const v = r.exploration ? harmsOf(r.exploration).map((h) => h.harm) : [];
      const own = v.length ? [`  ${r.run.scenario.name} in ${r.run.era.id}: ${v.join(', ')}`] : [];
      const inBands = (r.bands ?? []).flatMap((b) => {
        const h = b.release !== r.run.era.release && b.exploration ? harmsOf(b.exploration).map((x) => x.harm) : [];
        return h.length ? wrap(`${r.run.scenario.name} in ${r.run.era.id}, ${releaseRange(b)}: ${h.join(', ')}`, '  ', '    ') : [];
      });
      return [...own, ...inBands];
    }),
  );
  if (harms.length) out.push('', 'Harms found:', ...harms);
  return `${out.join('\n')}\n`;
}

/**
 * `run --explore --format markdown`: one scenario explored under some eras, a column each, as
 * the text report says it: the verdict, each outcome with its paths, harms, windows, the size
 * of the search and whether a limit stopped it; a split era's bands below.
 */
export function exploresMarkdown(runs: ExploreRun[]): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const first = runs[0]!.run;
  const s = first.scenario;
  const counts = pathCounts();
  const out = [`## ${s.name} (explored)`, '', `mmutt ${toolOf(runs.map((r) => r.run.era))}, scenario sha256 \`${first.sha256.slice(0, 12)}\``, '', s.description, ''];
  for (const r of runs) out.push(`- \`${r.run.era.id}\` (${releasesOf(r.run.era)}${r.bands ? `; the column holds for ${heldFor({ era: r.run.era, bands: r.bands })}` : ''}): ${r.run.era.commits.join('; ') || r.run.era.title}`);
  if (s.condition) out.push('', `Condition ${s.condition.quantifier} (${fmtCond(s.condition.cond)})`);
  out.push('', row(['', ...runs.map((r) => `\`${r.run.era.id}\``)]), row(['---', ...runs.map(() => '---')]));
  // An era that cannot run the scenario says why once, in the verdict's row.
  const cell = (f: (x: Exploration) => string, why = false) => runs.map((r) => (r.exploration ? f(r.exploration) : why ? (r.run.unavailable ?? '–') : '–'));
  out.push(row(['verdict (P N)', ...cell((x) => observationLine({ ...runs[0]!, exploration: x }, counts.fmt).split(' ').slice(2).join(' '), true)]));
  const outcomes = new Map<string, ExploredOutcome>();
  for (const r of runs) for (const o of r.exploration?.outcomes ?? []) if (!outcomes.has(o.key)) outcomes.set(o.key, o);
  for (const [key, o] of outcomes) {
    out.push(row([`\`${fmtOutcome(o, first.labels)}\``, ...cell((x) => {
      const here = x.outcomes.find((y) => y.key === key);
      return here ? (pathsCounted(x) ? pathsText(here.paths, counts) : 'found') : '–';
    })]));
  }
  out.push(row(['harms', ...cell((x) => harmsOf(x).map((h) => `**${h.harm}**${pathsCounted(x) ? ` (${counts.fmt(h.paths)} paths)` : ''}`).join(', ') || noneYet(x))]));
  out.push(row(['windows', ...cell((x) => x.windows.map(windowText).join('; ') || noneYet(x))]));
  out.push(row(['states, transitions', ...cell((x) => `${x.states}, ${x.transitions}`)]));
  out.push(row(['search', ...cell((x) => (x.complete ? (x.reduced ? 'complete, reduced (P and N count outcomes)' : 'complete') : `incomplete: ${stoppedBy(x)} (P and N count the outcomes found)`))]));
  for (const r of runs) if (r.bands) out.push('', `\`${r.run.era.id}\`:`, '', '```', ...exploreBandLines(r, 80, counts), '```');
  const note = counts.note(Infinity);
  if (note.length) out.push('', ...note);
  return `${out.join('\n')}\n`;
}

/** matrix --explore --format markdown: the same cells, with the verdict line's counts and the harms. */
export function exploreMatrixMarkdown(eras: readonly Era[], rows: ExploreRun[][]): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [`# mmutt ${toolOf(eras)} matrix --explore`, '', row(['scenario', ...eras.map((e) => `\`${e.id}\``)]), row(['---', ...eras.map(() => '---')])];
  const counts = pathCounts();
  for (const r of rows) {
    out.push(
      row([
        r[0]!.run.scenario.name,
        ...r.map((x) => {
          if (!x.exploration) return '–';
          const v = verdict(x.exploration);
          const harms = harmsOf(x.exploration).map((h) => h.harm);
          const head = v ? `${v.verdict} ${counts.fmt(v.positive)}/${counts.fmt(v.negative)}` : `${plural(x.exploration.outcomes.length, 'outcome')}`;
          return `${head}${harms.length ? ` **${harms.join(', ')}**` : ''}${x.exploration.windows.length ? ` (${plural(x.exploration.windows.length, 'window')})` : ''}${x.bands ? ' *' : ''}`;
        }),
      ]),
    );
  }
  out.push('', "A verdict with its positive/negative path counts, as herd7's Observation line; without a condition, the number of outcomes. Harms in bold; – : the era cannot run the scenario; * : the era's releases do not all find it (the release the era ran is shown).");
  // Each split era's bands, as the text says them.
  const splits = rows.flatMap((r) => r.flatMap((x) => (x.bands ? [`- ${x.run.scenario.name}, \`${x.run.era.id}\` by release: ${x.bands.map((b) => `${releaseRange(b)} ${bandCell(b, counts)}`).join(', ')}`] : [])));
  if (splits.length) out.push('', ...splits, '', 'N, S, A: Never, Sometimes, Always; ! : some interleaving does harm; - : the releases cannot run it.');
  const note = counts.note(Infinity);
  if (note.length) out.push('', ...note);
  return `${out.join('\n')}\n`;
}
