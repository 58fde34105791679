// Scenario x era -> one canonical run: its trace, its outcome, and the scenario's expectations.
import type { Era } from './era.js';
import { compile, type Machine } from './engine/compile.js';
import { evalCond, outcome, type Outcome } from './engine/observe.js';
import { runCanonical, type TraceStep } from './engine/run.js';
import { scenarioHash } from './scenario/parse.js';
import { partial, unavailable } from './engine/features.js';
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
  trace: TraceStep[];
  outcome: Outcome | null;
  /** Whether the scenario's condition (exists / ~exists / forall) holds, when it has one. */
  condition?: boolean;
  /** This era's `expect` lines and whether each holds. */
  expectations: { expect: Expectation; holds: boolean }[];
}

export function runScenario(scenario: Scenario, era: Era): RunResult {
  const sha256 = scenarioHash(scenario.text);
  const why = unavailable(scenario, era);
  if (why) return { scenario, sha256, era, unavailable: why, notes: [], trace: [], outcome: null, expectations: [] };
  const machine = compile(scenario, era);
  const { trace, final } = runCanonical(machine);
  const r: RunResult = {
    scenario,
    sha256,
    era,
    notes: partial(scenario, era),
    machine,
    trace,
    outcome: outcome(machine, final),
    expectations: scenario.expect.filter((x) => x.era === era.id).map((x) => ({ expect: x, holds: evalCond(machine, final, x.cond) })),
  };
  // One schedule, one final state: exists and forall ask the same question of it.
  if (scenario.condition) {
    const c = evalCond(machine, final, scenario.condition.cond);
    r.condition = scenario.condition.quantifier === '~exists' ? !c : c;
  }
  return r;
}
