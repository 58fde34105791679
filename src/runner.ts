// Scenario x era -> one canonical run: its trace, its outcome, and the scenario's expectations.
import type { Era } from './era.js';
import { compile, type Machine } from './engine/compile.js';
import { evalCond, outcome, seenBy, type Outcome } from './engine/observe.js';
import { runCanonical, schedulable, type TraceStep } from './engine/run.js';
import { partial, unavailable } from './engine/features.js';
import { explore, type Limits } from './explore/explore.js';
import { decodeToken, findWitnesses, replay } from './explore/witness.js';
import type { Witness } from './explore/witness.js';
import type { Exploration } from './explore/explore.js';
import type { Expectation, Scenario } from './scenario/types.js';

export interface RunResult {
  scenario: Scenario;
  sha256: string;
  era: Era;
  /** Why this era cannot run the scenario ("not in this era: ..."); then there is no outcome. */
  unavailable?: string;
  /** Features that arrived inside the era: from which release the result applies. */
  notes: string[];
  machine?: Machine;
  /** The replay token whose schedule ran, when it was not the canonical one. */
  replayed?: string;
  trace: TraceStep[];
  outcome: Outcome | null;
  /** Whether the scenario's condition (exists / ~exists / forall) holds, when it has one. */
  condition?: boolean;
  /** This era's `expect` lines, whether each holds, and the values its observables had. */
  expectations: { expect: Expectation; holds: boolean; seen: Record<string, number> }[];
}

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
export function runScenario(scenario: Scenario, era: Era, schedule?: string): RunResult {
  const meta = runMeta(scenario, era);
  if (meta.unavailable) return meta;
  const sha256 = meta.sha256;
  const machine = compile(scenario, era);
  const { trace, final } = schedule === undefined ? runCanonical(machine) : replay(machine, decodeToken(sha256, schedule, schedulable(machine).length));
  const r: RunResult = {
    scenario,
    sha256,
    era,
    notes: meta.notes,
    machine,
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

/** An explored run: the run's facts (scenario, era, availability), the exploration, and witnesses. */
export interface ExploreRun {
  run: RunResult;
  exploration: Exploration | null;
  witnesses: Witness[];
}

/** Every interleaving (docs/explore.md); with `witnesses`, a shortest schedule for each finding. */
export function exploreScenario(scenario: Scenario, era: Era, limits: Limits, witnesses: boolean): ExploreRun {
  const run = runMeta(scenario, era);
  if (run.unavailable) return { run, exploration: null, witnesses: [] };
  const machine = compile(scenario, era);
  const exploration = explore(machine, limits);
  return { run, exploration, witnesses: witnesses ? findWitnesses(machine, exploration, run.sha256, limits) : [] };
}
