// Compiled machines, shared within one process. An era's bands ask for the rules its programs
// read at each release, then run some of them, and `--era all` or a matrix meets the same rules
// again under other eras. A machine depends on the scenario and on the values of the rules it
// read while compiled (Machine.rulesRead; the engine reads rules only through its accessor), so
// a rule set that gives those rules the same values gets the same machine: among the 95
// releases a scenario meets only as many compiles as the rules it reads have distinct values.
// A canonical or replayed run does not change a machine (each starts from a copy of its
// initial state), so sharing it is safe there; explorations compile their own. A scenario's
// layout is shared the same way. MMUTT_NO_SHARE=1 compiles every machine anew: for mutation
// testing (stryker.config.mjs), where the code that builds a machine changes between the
// runs of one process and a machine built under one mutant must not serve the next.
import type { EraRules, RuleName } from '../contract/era.js';
import type { Scenario } from '../contract/scenario.js';
import { compile, layoutOf, type Machine, type ScenarioLayout } from '../engine/compile.js';

interface Compiled {
  read: RuleName[];
  /** The values of `read` it was compiled with. */
  values: string;
  machine: Machine;
}
const byScenario = new Map<string, Compiled[]>();
/** A scenario's key (its tokens and settled options), once per scenario object. */
const keys = new WeakMap<Scenario, string>();
let count = 0;
/** Enough for the catalog under every release; past it, the cache starts again. */
const MAX_MACHINES = 2048;

const valuesOf = (rules: EraRules, read: readonly RuleName[]) => read.map((n) => JSON.stringify(rules[n].value)).join(';');

const layouts = new WeakMap<Scenario, ScenarioLayout>();
const NO_SHARE = !!process.env.MMUTT_NO_SHARE;

/** The machine of a scenario (as it runs at a release: settled options) under these rules. */
export function sharedMachine(s: Scenario, rules: EraRules): Machine {
  if (NO_SHARE) return compile(s, rules);
  let key = keys.get(s);
  if (key === undefined) keys.set(s, (key = `${s.sha256}|${JSON.stringify(s.options)}`));
  let list = byScenario.get(key);
  if (!list) byScenario.set(key, (list = []));
  const hit = list.find((c) => valuesOf(rules, c.read) === c.values);
  if (hit) return hit.machine;
  if (++count > MAX_MACHINES) {
    byScenario.clear();
    byScenario.set(key, (list = []));
    count = 1;
  }
  let layout = layouts.get(s);
  if (!layout) layouts.set(s, (layout = layoutOf(s)));
  const machine = compile(s, rules, { layout });
  const read = [...machine.rulesRead].sort();
  list.push({ read, values: valuesOf(rules, read), machine });
  return machine;
}
