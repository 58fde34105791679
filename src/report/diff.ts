// Two eras, one scenario: what differs in the outcome, and where the traces first part ways;
// or, explored, which outcomes, verdicts, windows and harms differ. Printed at 72 columns: a
// diff goes into a mail.
import type { Era } from '../contract/era.js';
import { COUNTER_NAMES, pathsCounted, verdict, type Compared, type ExploreRun, type RunResult, type TraceStep } from '../contract/output.js';
import { exploreBandLines, exploredSummary, explorationsApart, fmtOutcome, windowText } from './explore.js';
import { MAIL_WIDTH, bandLines, eraRefs, fmtValue, heldFor, pathCounts, plural, releasesOf, toolOf, wrap, type PathCounts } from './text.js';
import { VERSION } from '../version.js';
import { toJson } from './json.js';

const W = MAIL_WIDTH;

export interface RunDiff {
  a: RunResult;
  b: RunResult;
  observations: { label: string; a: number; b: number }[];
  counters: { name: string; a: number; b: number }[];
  violations: { a: string[]; b: string[] } | null;
  /** Set when an era cannot run the scenario: then nothing else is compared. */
  unavailable: { a?: string; b?: string } | null;
  /** Index (0-based) of the first step that differs, or null when the traces are identical. */
  divergence: number | null;
}

const stepKey = (t: TraceStep | undefined) => (t ? JSON.stringify([t.thread, t.fn, t.does, t.notes]) : '');

export function diffRuns(a: RunResult, b: RunResult): RunDiff {
  if (!a.outcome || !b.outcome) {
    const unavailable: { a?: string; b?: string } = {};
    if (a.unavailable) unavailable.a = a.unavailable;
    if (b.unavailable) unavailable.b = b.unavailable;
    return { a, b, observations: [], counters: [], violations: null, unavailable, divergence: null };
  }
  const [oa, ob] = [a.outcome, b.outcome];
  const labels = [...new Set([...Object.keys(oa.observations), ...Object.keys(ob.observations)])];
  const observations = labels.map((label) => ({ label, a: oa.observations[label] ?? 0, b: ob.observations[label] ?? 0 })).filter((x) => x.a !== x.b);
  const counters = COUNTER_NAMES.map((name) => ({ name, a: oa.counters[name], b: ob.counters[name] })).filter((x) => x.a !== x.b);
  const va = oa.violations;
  const vb = ob.violations;
  const violations = va.join() === vb.join() ? null : { a: [...va], b: [...vb] };
  let divergence: number | null = null;
  for (let i = 0; i < Math.max(a.trace.length, b.trace.length); i++) {
    if (stepKey(a.trace[i]) !== stepKey(b.trace[i])) {
      divergence = i;
      break;
    }
  }
  return { a, b, observations, counters, violations, unavailable: null, divergence };
}

export const sameOutcome = (d: RunDiff) =>
  !d.observations.length && !d.counters.length && !d.violations && (!d.unavailable || d.unavailable.a === d.unavailable.b);

function stepLine(t: TraceStep | undefined): string[] {
  if (!t) return ['    (trace ended)'];
  return [...wrap(`${t.n} ${t.thread} ${t.fn}${t.rules.length ? `  [${t.rules.join(', ')}]` : ''}`, '    ', '      ', W), ...wrap(t.does, '      ', '      ', W), ...t.notes.flatMap((n) => wrap(n, '      ', '        ', W))];
}

/** An era as a diff names it: its releases, and those the result compared holds for when they are fewer. */
const sideOf = (side: string, r: RunResult, bands?: { first: string; last: string; release: string }[]) => {
  const held = heldFor({ era: r.era, ...(bands ? { bands } : {}) });
  return wrap(`${side} = ${r.era.id} (${releasesOf(r.era)}${held !== releasesOf(r.era) ? `; compared: ${held}, the rules of ${r.era.release}` : ''})`, '  ', '    ', W);
};

/**
 * The head of every diff: the tier, and on the same line what changed (a reader who stops at
 * the first line must not take "Same verdict" for "nothing changed"); the scenario; the two
 * eras with their commits.
 */
type Spans = { first: string; last: string; release: string }[] | undefined;
function head(tier: Tier, changed: string[], mode: string, a: RunResult, b: RunResult, bands: [Spans, Spans]): string[] {
  // A name observed and counted both (`kvm.spte_change`) is said once.
  const first = tier === 'exact' || tier === 'unavailable' || !changed.length ? TIER_TEXT[tier] : `${TIER_TEXT[tier]}; changed: ${[...new Set(changed)].join(', ')}`;
  return [
    ...wrap(first, '', '  ', W),
    `mmutt ${toolOf([a.era, b.era])}`,
    ...wrap(`diff${mode}: scenario ${a.scenario.name} (sha256 ${a.sha256.slice(0, 12)})`, '', '  ', W),
    ...sideOf('A', a, bands[0]),
    ...eraRefs(a.era, '      ', W),
    ...sideOf('B', b, bands[1]),
    ...eraRefs(b.era, '      ', W),
    '',
  ];
}

/** Each era whose releases do not all give its result: where they split. */
function bandsOf(sides: [string, RunResult][]): string[] {
  return sides.flatMap(([side, r]) => (r.bands ? ['', `${side} = ${r.era.id}:`, ...bandLines(r.bands, r.era.release, W)] : []));
}

/** What changed between two runs, by name: observations, counters, harms, the condition. */
const changedNames = (d: RunDiff) => [
  ...d.observations.map((x) => x.label),
  ...d.counters.map((x) => x.name),
  ...(d.violations ? ['violations'] : []),
  ...(d.a.condition !== d.b.condition ? ['condition'] : []),
];

export function diffText(d: RunDiff): string {
  const { a, b } = d;
  const out = head(tierOf(d), changedNames(d), '', a, b, [a.bands, b.bands]);
  if (d.unavailable) {
    out.push(...wrap(`A: ${d.unavailable.a ?? 'runs'}`, '', '  ', W), ...wrap(`B: ${d.unavailable.b ?? 'runs'}`, '', '  ', W));
    out.push(...bandsOf([['A', a], ['B', b]]));
    return `${out.join('\n')}\n`;
  }
  out.push(d.observations.length ? 'Observations that differ:' : 'Observations: same');
  const w = Math.min(36, Math.max(8, ...d.observations.map((x) => x.label.length), ...d.counters.map((x) => x.name.length)));
  for (const x of d.observations) out.push(...wrap(`${x.label.padEnd(w)}  A ${fmtValue(x.label, x.a)}  B ${fmtValue(x.label, x.b)}`, '  ', '    ', W));
  out.push(d.counters.length ? 'Counters that differ:' : 'Counters: same');
  for (const x of d.counters) out.push(`  ${x.name.padEnd(w)}  A ${x.a}  B ${x.b}`);
  out.push(...wrap(d.violations ? `Violations differ: A ${d.violations.a.join(', ') || 'none'}; B ${d.violations.b.join(', ') || 'none'}` : `Violations: same (${a.outcome!.violations.join(', ') || 'none'})`, '', '  ', W));
  out.push('');
  if (d.divergence === null) out.push('Traces: identical');
  else {
    out.push(`Traces diverge at step ${d.divergence + 1}:`);
    out.push(`  A ${a.era.id}:`, ...stepLine(a.trace[d.divergence]));
    out.push(`  B ${b.era.id}:`, ...stepLine(b.trace[d.divergence]));
  }
  out.push(...bandsOf([['A', a], ['B', b]]));
  return `${out.join('\n')}\n`;
}

export function diffJson(d: RunDiff) {
  return {
    schema: 'mmutt/diff@1',
    tool: toolJson([d.a.era, d.b.era]),
    tier: tierOf(d),
    scenario: { name: d.a.scenario.name, sha256: d.a.sha256 },
    eras: [d.a.era.id, d.b.era.id],
    changed: changedNames(d),
    observations: d.observations,
    counters: d.counters,
    violations: d.violations,
    unavailable: d.unavailable,
    ...(d.a.bands || d.b.bands ? { bands: { a: d.a.bands ?? null, b: d.b.bands ?? null } } : {}),
    divergence:
      d.divergence === null
        ? null
        : {
            step: d.divergence + 1,
            a: d.a.trace[d.divergence] ? { thread: d.a.trace[d.divergence]!.thread, fn: d.a.trace[d.divergence]!.fn } : null,
            b: d.b.trace[d.divergence] ? { thread: d.b.trace[d.divergence]!.thread, fn: d.b.trace[d.divergence]!.fn } : null,
          },
  };
}

/** The tiers of tools/memory-model's cmplitmushist.sh, from "nothing changed" to "the result changed". */
export type Tier = 'exact' | 'unavailable' | 'same-outcome' | 'same-verdict' | 'changed' | 'timeout';

export const TIER_TEXT: Record<Tier, string> = {
  exact: 'Exact output match',
  // A feature one of the two has not got: nothing to compare, and no result changed.
  unavailable: 'Not in this release',
  'same-outcome': 'Same outcomes and counts',
  'same-verdict': 'Same verdict',
  changed: '!!! Result changed',
  // A limit (--max-states, --max-memory, --timeout) or Ctrl-C stopped a search: nothing is known of what it did not reach.
  timeout: '!!! Incomplete: a search was stopped',
};

/** Canonical runs: the trace too (exact), the outcome, or only the condition's truth. */
export function tierOf(d: RunDiff): Tier {
  if (d.unavailable) return 'unavailable';
  if (sameOutcome(d)) return d.divergence === null ? 'exact' : 'same-outcome';
  if (d.a.condition !== undefined && d.a.condition === d.b.condition && !d.violations) return 'same-verdict';
  return 'changed';
}

/** Two explorations of one scenario: outcomes (by what they observe, harms, condition), windows, verdicts. */
export interface ExploreDiff {
  a: ExploreRun;
  b: ExploreRun;
  /** Outcome keys only in A, only in B, and in both with their path counts. */
  onlyA: string[];
  onlyB: string[];
  /** Outcomes in both: their path counts, and the least counters (of the paths to it) that differ. */
  both: { key: string; a: number; b: number; counters: { name: string; a: number; b: number }[] }[];
  windowsOnlyA: string[];
  windowsOnlyB: string[];
  /** Both explorations counted paths (neither was reduced nor stopped): only then are path counts compared or shown. */
  counted: boolean;
}

export function diffExplored(a: ExploreRun, b: ExploreRun): ExploreDiff {
  const d = explorationsApart(a.exploration, b.exploration);
  // Least counters are known when both searches met every path (a stopped one has met some).
  const complete = !!a.exploration?.complete && !!b.exploration?.complete;
  return {
    a,
    b,
    onlyA: d.onlyHere.map((o) => o.key),
    onlyB: d.onlyThere.map((o) => o.key),
    both: d.both.map(({ o, t, moved }) => ({ key: o.key, a: o.paths, b: t.paths, counters: complete ? moved.map((name) => ({ name, a: o.counters[name], b: t.counters[name] })) : [] })),
    windowsOnlyA: d.windowsHere.map((w) => w.key),
    windowsOnlyB: d.windowsThere.map((w) => w.key),
    counted: !!a.exploration && !!b.exploration && pathsCounted(a.exploration) && pathsCounted(b.exploration),
  };
}

/** Explored runs: the same outcomes with the same path counts and windows (exact), the same outcomes, the same verdict, or not. */
export function exploreTierOf(d: ExploreDiff): Tier {
  const [xa, xb] = [d.a.exploration, d.b.exploration];
  if (!xa || !xb) return d.a.run.unavailable || d.b.run.unavailable ? 'unavailable' : 'changed';
  if (!xa.complete || !xb.complete) return 'timeout';
  const sameSet = !d.onlyA.length && !d.onlyB.length;
  const sameWindows = !d.windowsOnlyA.length && !d.windowsOnlyB.length;
  // Reduced searches count no paths: the same outcomes are all they can show.
  // Counters that differ are a changed result, as in a canonical diff (its "Same verdict").
  const sameCounters = d.both.every((x) => !x.counters.length);
  if (sameSet && sameWindows && sameCounters) return d.counted && d.both.every((x) => x.a === x.b) ? 'exact' : 'same-outcome';
  const [va, vb] = [verdict(xa), verdict(xb)];
  const harm = (x: typeof xa) => x.outcomes.some((o) => o.violations.length);
  if (va && vb && va.verdict === vb.verdict && harm(xa) === harm(xb)) return 'same-verdict';
  return 'changed';
}

export function exploreDiffText(d: ExploreDiff): string {
  const { a, b } = d;
  const out = head(exploreTierOf(d), exploreChanged(d), ' --explore', a.run, b.run, [a.bands, b.bands]);
  const counts = pathCounts();
  out.push('A:', ...exploredSummary(a, W, '  ', counts), 'B:', ...exploredSummary(b, W, '  ', counts));
  if (a.exploration && b.exploration) out.push(...outcomesAndWindows(d, counts));
  for (const [side, x] of [['A', a], ['B', b]] as const) if (x.bands) out.push('', `${side} = ${x.run.era.id}:`, ...exploreBandLines(x, W, counts));
  const note = counts.note(W);
  if (note.length) out.push('', ...note);
  return `${out.join('\n')}\n`;
}

/** What changed between two explorations, by name. */
function exploreChanged(d: ExploreDiff): string[] {
  const [xa, xb] = [d.a.exploration, d.b.exploration];
  if (!xa || !xb) return [];
  const [va, vb] = [verdict(xa), verdict(xb)];
  return [
    ...(va?.verdict !== vb?.verdict ? ['verdict'] : []),
    ...(d.onlyA.length || d.onlyB.length ? ['outcomes'] : []),
    ...(d.counted && d.both.some((x) => x.a !== x.b) ? ['path counts'] : []),
    ...(d.windowsOnlyA.length || d.windowsOnlyB.length ? ['windows'] : []),
    ...new Set(d.both.flatMap((x) => x.counters.map((c) => c.name))),
  ];
}

/** Where two explorations (both of which ran) part: outcomes, with their path counts, and windows. */
function outcomesAndWindows(d: ExploreDiff, counts: PathCounts): string[] {
  const { a, b } = d;
  const out: string[] = [];
  const { counted } = d;
  const byKey = new Map([...a.exploration!.outcomes, ...b.exploration!.outcomes].map((o) => [o.key, o]));
  const list = (title: string, keys: string[], paths: (k: string) => string) => {
    if (!keys.length) return;
    out.push('', title);
    for (const k of keys) out.push(...wrap(`${counted ? `${paths(k)} ` : ''}${fmtOutcome(byKey.get(k)!)}`, '  ', '      ', W));
  };
  const stopped = !a.exploration!.complete || !b.exploration!.complete;
  const only = (side: string) => `Outcomes only in ${side}${counted ? ' (paths)' : ''}${stopped ? ', so far' : ''}:`;
  list(only('A'), d.onlyA, (k) => `${counts.fmt(byKey.get(k)!.paths)}:`);
  list(only('B'), d.onlyB, (k) => `${counts.fmt(byKey.get(k)!.paths)}:`);
  const moved = counted ? d.both.filter((x) => x.a !== x.b) : [];
  const same = stopped ? ' so far (a search was stopped: paths not counted)' : !counted ? ' (--reduce: paths not counted)' : moved.length ? ', with other path counts' : ', with the same path counts';
  if (!d.onlyA.length && !d.onlyB.length) out.push('', `Outcomes: the same ${plural(d.both.length, 'outcome')} in both${same}`);
  list('Outcomes in both whose path counts differ (A / B):', moved.map((x) => x.key), (k) => {
    const x = d.both.find((y) => y.key === k)!;
    return `${counts.fmt(x.a)} / ${counts.fmt(x.b)}:`;
  });
  const leastMoved = d.both.filter((x) => x.counters.length);
  if (leastMoved.length) {
    out.push('', 'Outcomes in both with other least counters (A / B):');
    for (const x of leastMoved) {
      out.push(...wrap(fmtOutcome(byKey.get(x.key)!), '  ', '      ', W));
      // A counter a line: a name is never parted from its values.
      for (const c of x.counters) out.push(`    ${c.name} ${c.a} / ${c.b}`);
    }
  }
  const win = (title: string, keys: string[], x: ExploreRun) => {
    if (!keys.length) return;
    out.push('', title);
    for (const k of keys) out.push(...wrap(windowText(x.exploration!.windows.find((w) => w.key === k)!), '  ', '    ', W));
  };
  win('Windows only in A:', d.windowsOnlyA, a);
  win('Windows only in B:', d.windowsOnlyB, b);
  return out;
}

export function exploreDiffJson(d: ExploreDiff) {
  const v = (r: ExploreRun) => (r.exploration ? verdict(r.exploration) : null);
  const obs = (k: string) => [...(d.a.exploration?.outcomes ?? []), ...(d.b.exploration?.outcomes ?? [])].find((o) => o.key === k)!;
  const fmt = (k: string) => ({ observations: obs(k).observations, violations: obs(k).violations, ...(obs(k).condition !== undefined ? { condition: obs(k).condition } : {}) });
  const { counted } = d;
  return {
    schema: 'mmutt/diff@1',
    tool: toolJson([d.a.run.era, d.b.run.era]),
    mode: 'explore',
    tier: exploreTierOf(d),
    scenario: { name: d.a.run.scenario.name, sha256: d.a.run.sha256 },
    eras: [d.a.run.era.id, d.b.run.era.id],
    verdicts: [v(d.a), v(d.b)],
    outcomes: {
      onlyA: d.onlyA.map((k) => ({ ...fmt(k), ...(counted ? { paths: obs(k).paths } : {}) })),
      onlyB: d.onlyB.map((k) => ({ ...fmt(k), ...(counted ? { paths: obs(k).paths } : {}) })),
      both: d.both.map((x) => ({ ...fmt(x.key), ...(counted ? { paths: [x.a, x.b] } : {}), ...(x.counters.length ? { counters: Object.fromEntries(x.counters.map((c) => [c.name, [c.a, c.b]])) } : {}) })),
    },
    changed: exploreChanged(d),
    windows: { onlyA: d.windowsOnlyA, onlyB: d.windowsOnlyB },
    unavailable: d.a.run.unavailable || d.b.run.unavailable ? { a: d.a.run.unavailable, b: d.b.run.unavailable } : null,
  };
}

/** The tool and history a JSON result came from. */
const toolJson = (eras: { history?: string }[]) => ({ version: VERSION, ...(eras.find((e) => e.history) ? { history: eras.find((e) => e.history)!.history } : {}) });

/** A comparison as text, as JSON, and its tier: canonical runs or explorations alike. */
export function comparedOutput(c: Compared): ComparedOutput {
  if (!c.explored) {
    const d = diffRuns(c.a, c.b);
    return { text: () => diffText(d), json: () => diffJson(d), tier: tierOf(d), changed: [...new Set(changedNames(d))] };
  }
  const d = diffExplored(c.a, c.b);
  return { text: () => exploreDiffText(d), json: () => exploreDiffJson(d), tier: exploreTierOf(d), changed: exploreChanged(d) };
}
export interface ComparedOutput {
  text: () => string;
  json: () => unknown;
  tier: Tier;
  /** What changed, by name, as the diff's first line says it. */
  changed: string[];
}

/** `diff` as printed: one comparison, or (diff --all) the catalog's, as text or JSON. */
export function diffOutput(a: Era, b: Era, explored: boolean, diffs: ({ name: string } & ComparedOutput)[], all: boolean, format: 'text' | 'json'): string {
  if (format === 'json') return toJson(all ? diffs.map((d) => d.json()) : diffs[0]!.json());
  return all ? diffAllText(a, b, explored, diffs) : diffs[0]!.text();
}

/** diff --all: the tier of every catalog scenario, and how many are in each tier. */
function diffAllText(a: Era, b: Era, explored: boolean, diffs: { name: string; tier: Tier; changed: string[] }[]): string {
  const out = [`mmutt ${toolOf([a, b])}`, `diff --all${explored ? ' --explore' : ''}  A = ${a.id}  B = ${b.id}`, `(${diffs.length} scenarios)`, ''];
  // Each scenario's tier and, as a diff's first line says, what changed.
  for (const d of diffs) {
    const what = d.tier === 'exact' || d.tier === 'unavailable' || !d.changed.length ? '' : `: ${d.changed.join(', ')}`;
    out.push(...wrap(`${d.name}${what}`, `${TIER_TEXT[d.tier].padEnd(26)} `, ' '.repeat(29), W));
  }
  out.push('');
  for (const t of Object.keys(TIER_TEXT) as Tier[]) {
    const n = diffs.filter((d) => d.tier === t).length;
    if (n) out.push(`${TIER_TEXT[t]}: ${n}`);
  }
  return `${out.join('\n')}\n`;
}
