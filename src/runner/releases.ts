// Runs over mainline releases: `matrix --releases` and `bisect`. Consecutive releases where the
// scenario meets the same rules it reads, features and EPT A/D bits form one span
// (runner/bands.ts, as an era's bands do) and share one run; a span that recurs later shares
// the same run too.
import type { Era, RuleEntry, RuleName, Timeline } from '../contract/era.js';
import { verdict, type BisectFlip, type BisectRange, type Bisection, type ExploreRun, type ReleaseChange, type RunResult, type Verdict } from '../contract/output.js';
import type { Cond, Scenario } from '../contract/scenario.js';
import { evalCond } from '../engine/observe.js';
import { runToEnd, schedulable } from '../engine/run.js';
import { settled, unavailable } from '../era/features.js';
import { releaseKey } from '../era/release.js';
import { entriesAt, eraOfRelease, historyHash, releaseEra, resolveRelease, ruleSetKey, rulesOf } from '../era/timeline.js';
import { UserError } from '../errors.js';
import { runScenario } from './run.js';
import { groupReleases, type Span } from './bands.js';
import { sharedMachine } from './machines.js';

/** The releases from a to b (inclusive), checked. */
export function releasesBetween(t: Timeline, between?: [string, string]): string[] {
  if (!between) return [...t.releases];
  const [a, b] = between.map((v) => resolveRelease(t, v)) as [string, string];
  if (releaseKey(a) > releaseKey(b)) throw new UserError(`--between ${a} ${b}: the first release must be the older one`);
  return t.releases.slice(t.releases.indexOf(a), t.releases.indexOf(b) + 1);
}

/** One canonical run per distinct span key. */
export function runSpans(s: Scenario, ss: Span[]): Map<string, RunResult> {
  const runs = new Map<string, RunResult>();
  for (const sp of ss) if (!runs.has(sp.key)) runs.set(sp.key, runScenario(s, sp.era));
  return runs;
}

/**
 * matrix --releases: each scenario at every mainline release, in spans (one run each), each
 * span with what its first release changes for the scenario; and how many distinct rule sets
 * history has.
 */
export function releaseRows(scenarios: Scenario[], t: Timeline, named: readonly Era[]): { rows: { spans: { first: string; last: string; run: RunResult; changes: ReleaseChange[] }[] }[]; ruleSets: number } {
  const rows = scenarios.map((s) => {
    const ss = groupReleases(s, releasesBetween(t), (r) => releaseEra(t, r, named));
    const runs = runSpans(s, ss);
    return {
      spans: ss.map((sp, i) => {
        const run = runs.get(sp.key)!;
        const prev = i > 0 ? runs.get(ss[i - 1]!.key)! : undefined;
        return { first: sp.first, last: sp.last, run, changes: prev ? changesAt(t, sp.first, [...prev.rulesRead, ...run.rulesRead], ss[i - 1]!.key.split('|')[1] !== sp.key.split('|')[1]) : [] };
      }),
    };
  });
  // How many rule sets history has (releases that differ in any rule), whatever the scenarios read.
  const ruleSets = new Set(releasesBetween(t).map((r) => ruleSetKey(releaseEra(t, r, named).rules))).size;
  return { rows, ruleSets };
}

/** What a release changes for a scenario: its entries for the rules the runs on either side read, and the features that arrive (when the scenario's availability or EPT A/D bits change there). */
function changesAt(t: Timeline, release: string, read: RuleName[], featuresMatter: boolean): ReleaseChange[] {
  return [
    ...t.rules.filter((e) => e.release === release && read.includes(e.rule)).map((e) => ({ rule: e.rule, value: e.value, ...(e.commit ? { commit: e.commit } : {}) })),
    ...(featuresMatter ? t.features.filter((f) => f.release === release).map((f) => ({ feature: f.name, ...(f.commit ? { commit: f.commit } : {}) })) : []),
  ];
}

type Value = boolean | Verdict | null;
export type ExploreMany = (pairs: { scenario: Scenario; era: Era }[]) => Promise<ExploreRun[]>;

/** The condition's value under each era: the canonical run's truth, or (exploring) the verdict of `exists COND`. */
async function values(s: Scenario, cond: Cond, eras: Era[], exploreMany?: ExploreMany): Promise<Value[]> {
  if (!exploreMany) {
    return eras.map((era) => {
      if (unavailable(s, era)) return null;
      const m = sharedMachine(settled(s, era).scenario, era.rules);
      return evalCond(m, runToEnd(m, m.init, schedulable(m)), cond);
    });
  }
  const asked: Scenario = { ...s, condition: { quantifier: 'exists', cond, pos: { line: 0, col: 0 } } };
  const runs = await exploreMany(eras.map((era) => ({ scenario: asked, era })));
  return runs.map((r) => (r.exploration ? (verdict(r.exploration)?.verdict ?? null) : null));
}

/** The release's era with one entry undone: its rule back at the value it had the release before. */
function undo(t: Timeline, named: readonly Era[], release: string, entry: RuleEntry): Era {
  const era = releaseEra(t, release, named);
  const before = t.releases[t.releases.indexOf(release) - 1];
  const prev = before ? entriesAt(t, before)[entry.rule] : entry;
  return { ...era, rules: { ...era.rules, [entry.rule]: rulesOf({ ...entriesAt(t, release), [entry.rule]: prev })[entry.rule] } };
}

/**
 * mmutt bisect: the condition at every release from `between[0]` to `between[1]` (one run per
 * span of identical rules), the first release where it flips and every later flip, each with
 * the timeline entries of that release and which of them alone make the difference.
 */
export async function bisectReleases(s: Scenario, cond: Cond, t: Timeline, named: readonly Era[], opts: { between?: [string, string]; exploreMany?: ExploreMany }): Promise<Bisection> {
  const releases = releasesBetween(t, opts.between);
  const ss = groupReleases(s, releases, (r) => releaseEra(t, r, named));
  const keys = [...new Set(ss.map((x) => x.key))];
  const firstOf = new Map(keys.map((k) => [k, ss.find((x) => x.key === k)!.era]));
  const vals = await values(s, cond, keys.map((k) => firstOf.get(k)!), opts.exploreMany);
  const valueOf = new Map(keys.map((k, i) => [k, vals[i]!]));
  const ranges: BisectRange[] = [];
  for (const sp of ss) {
    const value = valueOf.get(sp.key)!;
    const prev = ranges[ranges.length - 1];
    // Releases that cannot run it join one range only for the same reason (each names its own feature).
    const why = value === null ? (unavailable(s, sp.era) ?? 'the exploration did not finish') : undefined;
    if (prev && prev.value === value && prev.why === why) prev.last = sp.last;
    else ranges.push(why ? { first: sp.first, last: sp.last, value, why } : { first: sp.first, last: sp.last, value });
  }
  const flips: BisectFlip[] = [];
  let prev: Value = null;
  for (const r of ranges) {
    if (r.value === null) continue;
    if (prev !== null && r.value !== prev) {
      const entries = t.rules.filter((e) => e.release === r.first);
      const undone = await values(s, cond, entries.map((e) => undo(t, named, r.first, e)), opts.exploreMany);
      const f: BisectFlip = { release: r.first, from: prev, to: r.value, entries, decisive: entries.filter((_, i) => undone[i] === prev), features: t.features.filter((x) => x.release === r.first) };
      const era = eraOfRelease(named, r.first);
      if (era) f.era = era.id;
      flips.push(f);
    }
    prev = r.value;
  }
  return { history: historyHash(t), explore: !!opts.exploreMany, between: [releases[0]!, releases[releases.length - 1]!], ranges, flip: flips[0] ?? null, flips, runs: keys.length };
}
