// Every trace step names the era rules that decided it, read through the engine's one accessor
// (Emit.rule / Emit.ruleRead): so every rule must tag some step somewhere in the catalog, and a
// step is never tagged with a rule it did not read.
import { describe, expect, it } from 'vitest';
import { RULE_NAMES, type RuleName } from '../src/contract/era.js';
import { runScenario } from '../src/runner/run.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS, PROPOSALS } from './registry.js';

describe('rule tags', () => {
  const seen = new Map<RuleName, string>();
  const tagsOf = new Map<string, Set<RuleName>>(); // kernel function -> rules seen on its steps
  for (const name of catalogNames()) {
    const s = loadScenario(name);
    for (const era of [...ERAS, ...PROPOSALS]) {
      for (const t of runScenario(s, era).trace) {
        for (const r of t.rules) {
          if (!seen.has(r)) seen.set(r, `${name} ${era.id} step ${t.n} ${t.fn}`);
          tagsOf.set(t.fn, new Set([...(tagsOf.get(t.fn) ?? []), ...t.rules]));
        }
      }
    }
  }

  it.each(RULE_NAMES)('%s tags at least one step of the catalog', (rule) => {
    expect(seen.get(rule), `no step in the catalog is tagged ${rule}`).toBeDefined();
  });

  it('aging steps name the aging rules they read, and khugepaged\'s test_young never names a dirty-marking rule', () => {
    expect(tagsOf.get('kvm_mmu_notifier_test_young')?.has('kvm.age.no_ad_mark_dirty')).toBe(false);
    expect(tagsOf.get('kvm_mmu_notifier_clear_flush_young')?.has('kvm.age.flush')).toBe(true);
  });
});
