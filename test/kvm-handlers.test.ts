// KVM's notifier handlers, case by case, where a mutation run (docs/reliability.md) found that
// nothing in-process told a wrong handler from the right one: the range an invalidation
// records, an invalidation that covers no guest page, and what .test_young must leave alone
// (it only asks: it clears no accessed bit, zaps nothing, access-tracks nothing and bumps no
// seq) under each way KVM ages an sPTE.
import { describe, expect, it } from 'vitest';
import type { Era } from '../src/contract/era.js';
import { DEFAULT_LIMITS, type RunResult } from '../src/contract/output.js';
import { exploreScenario, runScenario } from '../src/runner/run.js';
import { parseText } from '../src/scenario/catalog.js';
import { registry } from './registry.js';

const at = (v: string): Era => registry.forKernel(v);
const run = (text: string, v: string): RunResult => runScenario(parseText('t.mmu', text), at(v));
const obs = (r: RunResult, k: string) => r.outcome!.observations[k];
/** The changes of every step of a KVM handler in the trace, but the count of the callback delivered. */
const changesOf = (r: RunResult, fn: string) =>
  r.trace
    .filter((t) => t.fn === fn)
    .flatMap((t) => t.changes)
    .filter((c) => !c.slot.startsWith('notifier.'));

describe('kvm_mmu_notifier_invalidate_range_start(): the range it records', () => {
  const twoPages = `mmutt two-pages "QEMU drops two guest pages at once"
{
  proc qemu: vma 0x7f0000000000 +2 anon private rw
  mem qemu:0x7f0000000000 = 0xaa ; mem qemu:0x7f0000001000 = 0xbb
  vm slot0: gfn 0x100 +2 -> qemu:0x7f0000000000
  touched: vcpu0 read gfn 0x100, vcpu0 read gfn 0x101
}
qemu { madvise(0x7f0000000000, 2, MADV_DONTNEED) }
observe kvm.spte_zap`;

  it('one invalidation of gfns 0x100 and 0x101 records [0x100, 0x102): the lowest gfn to one past the highest', () => {
    const r = run(twoPages, 'v5.12');
    const c = changesOf(r, 'kvm_mmu_notifier_invalidate_range_start');
    expect(c.find((x) => /range_start/.test(x.slot))?.to).toBe('256');
    expect(c.find((x) => /range_end/.test(x.slot))?.to).toBe('258');
    expect(r.outcome!.counters['kvm.spte_zap']).toBe(2);
  });

  it('an invalidation of no guest page leaves the range empty, and the next one in progress sets it, not widens it from gfn 0', () => {
    // zap2 drops a page of QEMU's mm that is not guest memory: KVM hears it (same mm) with no
    // gfn, and records the empty range. zap1 then drops gfn 0x101 while zap2 is in progress:
    // the range becomes [0x101, 0x102), so the fault on gfn 0x100 is never in range. Widened
    // from [0, 0) it would be [0, 0x102), and the fault would retry.
    const text = `mmutt empty-then-one "an invalidation of no guest page, then one of gfn 0x101, while vcpu0 faults on gfn 0x100"
{
  proc qemu: vma 0x7f0000000000 +3 anon private rw
  mem qemu:0x7f0000000000 = 0xaa ; mem qemu:0x7f0000001000 = 0xbb ; mem qemu:0x7f0000002000 = 0xcc
  vm slot0: gfn 0x100 +2 -> qemu:0x7f0000000000
}
zap2(qemu) { madvise(0x7f0000002000, 1, MADV_DONTNEED) }
zap1(qemu) { madvise(0x7f0000001000, 1, MADV_DONTNEED) }
vcpu0      { r0 = read(gfn 0x100) }
observe vcpu0:r0, kvm.fault_retry_in_progress`;
    for (const v of ['v5.12', 'v6.13']) {
      const x = exploreScenario(parseText('t.mmu', text), at(v), DEFAULT_LIMITS, false).exploration!;
      expect(x.complete, v).toBe(true);
      expect(x.states, v).toBeGreaterThan(100); // the three threads do interleave
      expect(
        x.outcomes.map((o) => o.counters['kvm.fault_retry_in_progress']),
        v,
      ).toEqual(x.outcomes.map(() => 0));
    }
  });
});

describe('.test_young only asks', () => {
  /** kswapd ages the page (its host PTE turns old), the guest reads it, khugepaged asks twice. */
  const twice = (eptAd: 'on' | 'off') => `mmutt test-young-twice "test_young asked twice after the guest read the page"
{
  proc qemu: vma 0x7f0000000000 +1 anon private rw
  mem qemu:0x7f0000000000 = 0xaa
  vm slot0: gfn 0x100 +1 -> qemu:0x7f0000000000
  touched: vcpu0 read gfn 0x100
  options: ept_ad = ${eptAd}
}
kswapd     { age(qemu:0x7f0000000000) }
vcpu0      { r2 = read(gfn 0x100) }
khugepaged { r0 = test_young(qemu:0x7f0000000000); r1 = test_young(qemu:0x7f0000000000) }
observe khugepaged:r0, khugepaged:r1, kvm.spte_zap, spte(gfn 0x100).present`;

  it('with EPT A/D bits it clears no accessed bit: asked twice, young twice', () => {
    for (const v of ['v3.6', 'v4.12', 'v6.12']) {
      const r = run(twice('on'), v);
      expect([obs(r, 'khugepaged:r0'), obs(r, 'khugepaged:r1')], v).toEqual([1, 1]);
      expect(changesOf(r, 'kvm_mmu_notifier_test_young'), v).toEqual([]);
    }
  });

  it('without them, where aging zaps and bumps the seq (v3.18..v4.9), it zaps nothing and bumps no seq', () => {
    for (const v of ['v3.18', 'v4.9']) {
      const e = at(v);
      expect(e.rules['kvm.age.no_ad'].value, v).toBe('zap-and-seq-bump');
      const r = run(twice('off'), v);
      // kswapd's .clear_flush_young zapped the sPTE (and the read mapped it again); the tests did not.
      expect(r.outcome!.counters['kvm.spte_zap'], v).toBe(1);
      expect(obs(r, 'spte(gfn 0x100).present'), v).toBe(1);
      expect(changesOf(r, 'kvm_mmu_notifier_test_young'), v).toEqual([]);
      expect(changesOf(r, 'kvm_mmu_notifier_clear_flush_young').some((c) => /seq/.test(c.slot)), v).toBe(true);
    }
  });

  it('without them, where aging access-tracks (v4.11 on; until v6.12 a flush sends the guest read to a fault that restores it), it leaves the sPTE present: young twice', () => {
    for (const v of ['v4.11', 'v5.10', 'v6.12']) {
      expect(at(v).rules['kvm.age.no_ad'].value, v).toBe('access-track');
      const r = run(twice('off'), v);
      expect(obs(r, 'spte(gfn 0x100).present'), v).toBe(1);
      expect([obs(r, 'khugepaged:r0'), obs(r, 'khugepaged:r1')], v).toEqual([1, 1]);
      expect(changesOf(r, 'kvm_mmu_notifier_test_young'), v).toEqual([]);
    }
  });
});
