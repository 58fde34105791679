// Compiled machines, shared within one process. An era's bands ask for the rules its programs
// read at each release, then run some of them, and `--era all` or a matrix meets the same rules
// again under other eras. A machine depends on the scenario and on the values of the rules it
// read while compiled (Machine.rulesRead; the engine reads rules only through its accessor), so
// a rule set that gives those rules the same values gets the same machine: among the 95
// releases a scenario meets only as many compiles as the rules it reads have distinct values.
// A canonical or replayed run does not change a machine (each starts from a copy of its
// initial state), so sharing it is safe there; explorations compile their own. A scenario's
// layout is shared the same way, and the state its prologue ends in under the rules the
// prologue reads. MMUTT_NO_SHARE=1 compiles every machine anew: for mutation
// testing (stryker.config.mjs), where the code that builds a machine changes between the
// runs of one process and a machine built under one mutant must not serve the next.
import type { EraRules, RuleName } from '../contract/era.js';
import type { Scenario } from '../contract/scenario.js';
import { compile, layoutOf, type CompileOptions, type Machine, type ProgramCache, type ScenarioLayout } from '../engine/compile.js';
import type { SecondaryMmu } from '../engine/secondary.js';
import { ruleSetKey, ruleValueKey } from '../era/timeline.js';
import { iommu } from '../iommu/index.js';
import { kvm } from '../kvm/index.js';

/**
 * The secondary MMUs on every machine's notifier chain, in registration order: KVM, on the mm
 * of the VM's memory (a scenario without memslots has no VM, and KVM hears nothing), then the
 * IOMMU, on the mm of each process a device is bound to (none without a `devN` thread).
 */
export const SECONDARY_MMUS: readonly SecondaryMmu[] = [kvm, iommu];

/** A machine of its own (not shared): an exploration's, or one with a caller's notifiers on the chain. */
export const compileMachine = (s: Scenario, rules: EraRules, opts: CompileOptions = {}): Machine => compile(s, rules, { secondaries: SECONDARY_MMUS, ...opts });

/** Machines of one scenario compiled after reading the same rules, by the values they read. */
interface ReadGroup {
  read: readonly RuleName[];
  byValues: Map<string, Machine>;
}
/**
 * What a scenario's machines share: its layout, the ends of its prologue by the rules the
 * prologue read (CompileOptions.prologues), its thread programs (CompileOptions.programs).
 */
type Shared = { layout: ScenarioLayout; prologues: Map<string, readonly number[]>; programs: ProgramCache };
const byScenario = new Map<string, { groups: ReadGroup[]; byRuleSet: Map<string, Machine>; shared?: Shared }>();
/** A scenario's key (its tokens and settled options), once per scenario object. */
const keys = new WeakMap<Scenario, string>();
let count = 0;
/** Enough for the catalog under every release; past it, the cache starts again. */
const MAX_MACHINES = 2048;

const valuesOf = (rules: EraRules, read: readonly RuleName[]) => read.map((n) => ruleValueKey(rules, n)).join(';');

const NO_SHARE = !!process.env.MMUTT_NO_SHARE;

/**
 * Forget the machines of a scenario (under any options): a caller done with it (a matrix, row
 * by row) lets them go. Kept, they would be copied by every young-generation collection until
 * promoted: a catalog's matrix spent a fifth of its time collecting garbage that was not.
 */
export function forgetMachines(s: Scenario): void {
  // Its layout, prologue ends and programs go with them (byScenario holds them).
  for (const [key, known] of byScenario) {
    if (!key.startsWith(`${s.sha256}|`)) continue;
    count -= new Set(known.byRuleSet.values()).size;
    byScenario.delete(key);
  }
}

/** The machine of a scenario (as it runs at a release: settled options) under these rules. */
export function sharedMachine(s: Scenario, rules: EraRules): Machine {
  if (NO_SHARE) return compileMachine(s, rules);
  let key = keys.get(s);
  if (key === undefined) keys.set(s, (key = `${s.sha256}|${JSON.stringify(s.options)}`));
  let known = byScenario.get(key);
  if (!known) byScenario.set(key, (known = { groups: [], byRuleSet: new Map() }));
  // The same rule set (by its values) asked again: the common case, one look-up.
  const all = ruleSetKey(rules);
  const same = known.byRuleSet.get(all);
  if (same) return same;
  for (const g of known.groups) {
    const hit = g.byValues.get(valuesOf(rules, g.read));
    if (hit) {
      known.byRuleSet.set(all, hit);
      return hit;
    }
  }
  if (++count > MAX_MACHINES) {
    byScenario.clear();
    byScenario.set(key, (known = { groups: [], byRuleSet: new Map() }));
    count = 1;
  }
  const machine = compile(s, rules, (known.shared ??= { layout: layoutOf(s, SECONDARY_MMUS), prologues: new Map(), programs: new Map() }));
  const read = [...machine.rulesRead].sort();
  const readKey = read.join(';');
  let group = known.groups.find((g) => g.read.join(';') === readKey);
  if (!group) known.groups.push((group = { read, byValues: new Map() }));
  group.byValues.set(valuesOf(rules, read), machine);
  known.byRuleSet.set(all, machine);
  return machine;
}
