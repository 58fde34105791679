// Runs: a scenario under an era, canonically or by a replay token (a traced run), or explored
// (every interleaving). The runner is where an era becomes rules for the engine; it fills in
// the output contract (src/contract/output.ts) that reports read.
import type { Era } from '../contract/era.js';
import type { Bisection, ExploreRun, RunResult } from '../contract/output.js';
import type { Cond, Scenario } from '../contract/scenario.js';
import { compile, type CompileOptions } from '../engine/compile.js';
import { evalCond, outcome, seenBy } from '../engine/observe.js';
import { runCanonical, schedulable } from '../engine/run.js';
import { partial, unavailable } from '../era/features.js';
import { explore, type Limits } from '../explore/explore.js';
import { decodeToken, findWitnesses, replay } from '../explore/witness.js';

/** What a report needs of a run without running it: availability and notes (for worker results). */
export function runMeta(scenario: Scenario, era: Era): RunResult {
  const r: RunResult = { scenario, sha256: scenario.sha256, era, notes: partial(scenario, era), trace: [], outcome: null, expectations: [] };
  const why = unavailable(scenario, era);
  if (why) {
    r.unavailable = why;
    r.notes = [];
  }
  return r;
}

/**
 * One run: the canonical schedule, or a given one (thread numbers, as in a replay token).
 */
export function runScenario(scenario: Scenario, era: Era, schedule?: string, opts: CompileOptions = {}): RunResult {
  const meta = runMeta(scenario, era);
  if (meta.unavailable) return meta;
  const sha256 = meta.sha256;
  const machine = compile(scenario, era.rules, opts);
  const { trace, final } = schedule === undefined ? runCanonical(machine) : replay(machine, decodeToken(sha256, schedule, schedulable(machine).length));
  const r: RunResult = {
    scenario,
    sha256,
    era,
    notes: meta.notes,
    ...(schedule === undefined ? {} : { replayed: schedule }),
    trace,
    outcome: outcome(machine, final),
    expectations: scenario.expect.filter((x) => x.era === era.id).map((x) => ({ expect: x, holds: evalCond(machine, final, x.cond), seen: seenBy(machine, final, x.cond) })),
  };
  // One schedule, one final state: exists and forall ask the same question of it.
  if (scenario.condition) {
    const c = evalCond(machine, final, scenario.condition.cond);
    r.condition = scenario.condition.quantifier === '~exists' ? !c : c;
  }
  return r;
}

/** Every interleaving (docs/explore.md); with `witnesses`, a shortest schedule for each finding. */
export function exploreScenario(scenario: Scenario, era: Era, limits: Limits, witnesses: boolean): ExploreRun {
  const run = runMeta(scenario, era);
  if (run.unavailable) return { run, exploration: null, witnesses: [] };
  const machine = compile(scenario, era.rules);
  const exploration = explore(machine, limits);
  return { run, exploration, witnesses: witnesses ? findWitnesses(machine, exploration, run.sha256, limits) : [] };
}

/**
 * mmutt bisect: walk the released eras in order, the truth of a condition in each one's
 * canonical run, and the first era where it flips (reports say which commits open it).
 */
export function bisect(s: Scenario, eras: readonly Era[], cond: Cond): Bisection {
  const truths = eras.map((era) => {
    const why = unavailable(s, era);
    if (why) return { era, holds: null, why };
    const m = compile(s, era.rules);
    return { era, holds: evalCond(m, runCanonical(m).final, cond) };
  });
  let prev: boolean | null = null;
  let flip: Era | null = null;
  for (const t of truths) {
    if (t.holds === null) continue;
    if (prev !== null && t.holds !== prev) {
      flip = t.era;
      break;
    }
    prev = t.holds;
  }
  return { truths, flip };
}
