// The mmu_notifier chain takes any secondary MMU that registers handlers, as the kernel's
// takes any struct mmu_notifier_ops: here a test-only one that records every callback on every
// mm, registered after KVM without a change to the mm code that calls the chain.
import { describe, expect, it } from 'vitest';
import { NOTIFIER_CALLBACKS, type NotifierCallback } from '../src/contract/era.js';
import type { MmuNotifierOps } from '../src/engine/notifier.js';
import { runScenario } from '../src/runner/run.js';
import { loadScenario } from '../src/scenario/catalog.js';
import { getEra } from './registry.js';

const step = (cb: NotifierCallback) => ({ fn: `recorder_${cb}`, does: `record .${cb}`, exec: () => {} });
const recorder: MmuNotifierOps = {
  name: 'recorder',
  listens: () => true,
  ...Object.fromEntries(NOTIFIER_CALLBACKS.map((cb) => [cb, (e: { asm: { emit: (s: object) => void } }) => e.asm.emit(step(cb))])),
};

describe('a second secondary MMU on the notifier chain', () => {
  for (const [scenario, era] of [
    ['ksm-merge', 'pre-6bdb913f0a70'],
    ['ksm-merge', 'post-369ea8242c0f'],
    ['reclaim-dirty-guest-page', 'post-6bdb913f0a70'],
    ['age-guest-hot', 'post-aa85986e7150'],
  ] as const) {
    it(`${scenario} in ${era}: hears every callback KVM hears, after KVM, and those on other mms; KVM's outcome is unchanged`, () => {
      const s = loadScenario(scenario);
      const alone = runScenario(s, getEra(era));
      const both = runScenario(s, getEra(era), undefined, { notifiers: [recorder] });
      const kvm = both.trace.filter((t) => t.callback);
      const rec = both.trace.filter((t) => t.fn.startsWith('recorder_'));
      // Every delivery to KVM is followed, on the same thread, by the recorder's.
      for (const k of kvm) {
        const after = both.trace.find((t) => t.n > k.n && t.thread === k.thread && t.fn === `recorder_${k.callback}`);
        expect(after, `${k.n} ${k.fn}`).toBeDefined();
      }
      expect(rec.length).toBeGreaterThanOrEqual(kvm.length);
      expect(both.outcome).toEqual(alone.outcome);
    });
  }

  it('hears what KVM does not: KSM on the other process\'s mm (from 6bdb913f0a70 its pages are bracketed too)', () => {
    const both = runScenario(loadScenario('ksm-merge'), getEra('post-369ea8242c0f'), undefined, { notifiers: [recorder] });
    const rec = both.trace.filter((t) => t.fn === 'recorder_invalidate_range_start').length;
    const kvm = both.trace.filter((t) => t.callback === 'invalidate_range_start').length;
    expect(rec).toBeGreaterThan(kvm);
  });

  it('a secondary MMU without .change_pte gets .invalidate_page instead until v3.7 (__mmu_notifier_change_pte), nothing after', () => {
    const noChangePte: MmuNotifierOps = { ...recorder, name: 'no-change-pte', listens: (_e, _p, cb) => cb !== 'change_pte' };
    const run = (era: string) => runScenario(loadScenario('ksm-merge'), getEra(era), undefined, { notifiers: [noChangePte] }).trace;
    const heard = (era: string) => run(era).filter((t) => t.fn.startsWith('recorder_')).map((t) => t.fn);
    const kvmChangePte = (era: string) => runScenario(loadScenario('ksm-merge'), getEra(era)).trace.filter((t) => t.callback === 'change_pte').length;
    // pre-6bdb913f0a70: each .change_pte KVM gets is followed, on its thread, by an .invalidate_page for the other.
    const pre = run('pre-6bdb913f0a70');
    const changes = pre.filter((t) => t.callback === 'change_pte');
    expect(changes.length).toBeGreaterThan(0);
    for (const k of changes) expect(pre.find((t) => t.n > k.n && t.thread === k.thread && t.fn.startsWith('recorder_'))?.fn, `${k.n}`).toBe('recorder_invalidate_page');
    expect(heard('pre-6bdb913f0a70')).not.toContain('recorder_change_pte');
    // From 6bdb913f0a70 the range bracket tells it; no .invalidate_page stands in for .change_pte.
    expect(kvmChangePte('post-6bdb913f0a70')).toBeGreaterThan(0);
    expect(heard('post-6bdb913f0a70')).not.toContain('recorder_invalidate_page');
    expect(heard('post-6bdb913f0a70')).toContain('recorder_invalidate_range_start');
  });

  it('a secondary MMU that registers only some handlers gets only those, in every era', () => {
    const some: MmuNotifierOps = { name: 'ranges-only', listens: () => true, invalidate_range_start: recorder.invalidate_range_start!, invalidate_range_end: recorder.invalidate_range_end! };
    for (const era of ['pre-6bdb913f0a70', 'post-6bdb913f0a70', 'post-369ea8242c0f', 'post-change-pte-removal', 'post-aa85986e7150']) {
      for (const name of ['ksm-merge', 'reclaim-dirty-guest-page', 'age-guest-hot', 'khugepaged-test-young', 'exit-releases-guest']) {
        const r = runScenario(loadScenario(name), getEra(era), undefined, { notifiers: [some] });
        expect(new Set(r.trace.filter((t) => t.fn.startsWith('recorder_')).map((t) => t.fn)), `${name} ${era}`).toEqual(
          new Set(r.trace.filter((t) => t.callback === 'invalidate_range_start' || t.callback === 'invalidate_range_end').map((t) => `recorder_${t.callback}`)),
        );
      }
    }
  });
});

