// Runs: a scenario under an era, canonically or by a replay token (a traced run), or explored
// (every interleaving). The runner is where an era becomes rules for the engine and its
// release's words for the trace; it fills in the output contract (src/contract/output.ts)
// that reports read.
import type { Era, RuleName } from '../contract/era.js';
import type { ExploreRun, RunResult } from '../contract/output.js';
import type { Scenario } from '../contract/scenario.js';
import { compile, type CompileOptions } from '../engine/compile.js';
import { evalCond, outcome, seenBy } from '../engine/observe.js';
import { runCanonical, schedulable } from '../engine/run.js';
import { eraForScenario, unavailable } from '../era/features.js';
import { traceInWords } from '../era/vocabulary.js';
import { explore, explorePart, type Limits, type SearchResult } from '../explore/explore.js';
import type { SharedBuffers } from '../explore/shared.js';
import { decodeToken, findWitnesses, replay } from '../explore/witness.js';

/**
 * What a report needs of a run without running it: the era as it runs the scenario (at the
 * release where a feature it uses arrived, if that is inside the era), availability, notes.
 */
export function runMeta(scenario: Scenario, era: Era): RunResult {
  const why = unavailable(scenario, era);
  const at = why ? { era, notes: [] } : eraForScenario(scenario, era);
  const r: RunResult = { scenario, sha256: scenario.sha256, era: at.era, notes: at.notes, trace: [], outcome: null, expectations: [], rulesRead: [] };
  if (why) r.unavailable = why;
  return r;
}

/** The rules the steps of a trace name, in rule order: what the run depends on. */
const rulesOfTrace = (r: RunResult): RuleName[] => [...new Set(r.trace.flatMap((t) => t.rules))].sort();

/**
 * One run: the canonical schedule, or a given one (thread numbers, as in a replay token), in
 * the words of the era's release.
 */
export function runScenario(scenario: Scenario, era: Era, schedule?: string, opts: CompileOptions = {}): RunResult {
  const meta = runMeta(scenario, era);
  if (meta.unavailable) return meta;
  const sha256 = meta.sha256;
  const machine = compile(scenario, meta.era.rules, opts);
  const { trace, final } = schedule === undefined ? runCanonical(machine) : replay(machine, decodeToken(sha256, schedule, schedulable(machine).length));
  const r: RunResult = {
    ...meta,
    ...(schedule === undefined ? {} : { replayed: schedule }),
    trace: traceInWords(meta.era.words, trace),
    outcome: outcome(machine, final),
    expectations: scenario.expect.filter((x) => x.era === era.id).map((x) => ({ expect: x, holds: evalCond(machine, final, x.cond), seen: seenBy(machine, final, x.cond) })),
  };
  r.rulesRead = rulesOfTrace(r);
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
  const machine = compile(scenario, run.era.rules);
  run.rulesRead = [...machine.rulesRead].sort();
  const exploration = explore(machine, limits);
  const found = witnesses ? findWitnesses(machine, exploration, run.sha256, limits) : [];
  return { run, exploration, witnesses: found.map((w) => ({ ...w, trace: traceInWords(run.era.words, w.trace) })) };
}

/** Worker k's part of one exploration split between workers that share `buffers` (runner/jobs.ts). */
export function explorePartOf(scenario: Scenario, era: Era, limits: Limits, buffers: SharedBuffers, k: number): { part: SearchResult; rulesRead: RuleName[] } {
  const machine = compile(scenario, runMeta(scenario, era).era.rules);
  return { part: explorePart(machine, limits, buffers, k), rulesRead: [...machine.rulesRead].sort() };
}
