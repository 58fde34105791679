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
});
