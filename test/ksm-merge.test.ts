// The seed question, answered by the engine from the era rules (issue 2's "done when").
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../src/scenario/catalog.js';
import { ERAS, getEra } from './registry.js';
import type { RunResult } from '../src/contract/output.js';
import { runScenario } from '../src/runner/run.js';
import { diffRuns } from '../src/report/diff.js';

const s = loadScenario('ksm-merge');
const run = (id: string) => runScenario(s, getEra(id));
const stepsOf = (r: RunResult, thread: string) => r.trace.filter((t) => t.thread === thread);
/** The guest's first read after the merge: did it take an EPT violation? */
const readAfterMergeFaulted = (r: RunResult) => {
  const v = stepsOf(r, 'vcpu0');
  const firstStore = v.findIndex((t) => t.fn === 'guest store');
  return v.slice(0, firstStore).some((t) => t.notes.includes('EPT violation (read)'));
};

describe('ksm-merge, era by era', () => {
  it('pre-6bdb913f0a70: change_pte repoints the present sPTE read-only to the KSM page; the next read takes no EPT violation', () => {
    const r = run('pre-6bdb913f0a70');
    expect(r.outcome!.counters['kvm.spte_change']).toBeGreaterThanOrEqual(1);
    expect(r.outcome!.counters['notifier.invalidate_range_start']).toBe(0);
    const repoint = r.trace.find((t) => t.notes.some((n) => /repointed to pfn 0x12, read-only/.test(n)));
    expect(repoint?.fn).toBe('kvm_mmu_notifier_change_pte');
    expect(readAfterMergeFaulted(r)).toBe(false);
  });

  for (const id of ['post-6bdb913f0a70', 'post-369ea8242c0f']) {
    it(`${id}: range_start zaps first, change_pte finds nothing, the next read faults`, () => {
      const r = run(id);
      expect(r.outcome!.counters['kvm.spte_change']).toBe(0);
      expect(r.outcome!.counters['notifier.change_pte']).toBeGreaterThanOrEqual(1);
      const firstKvm = r.trace.find((t) => t.fn.startsWith('kvm_mmu_notifier'));
      expect(firstKvm?.fn).toBe('kvm_mmu_notifier_invalidate_range_start');
      expect(r.trace.filter((t) => t.fn === 'kvm_mmu_notifier_change_pte').every((t) => t.notes.includes('no spte present: nothing to change'))).toBe(true);
      expect(readAfterMergeFaulted(r)).toBe(true);
    });
  }

  it('post-change-pte-removal: no change_pte, and the guest sees exactly what post-369ea8242c0f showed it', () => {
    const a = run('post-369ea8242c0f');
    const b = run('post-change-pte-removal');
    expect(b.outcome!.counters['notifier.change_pte']).toBe(0);
    const guestVisible = (r: RunResult) => ({
      regs: Object.fromEntries(Object.entries(r.outcome!.observations).filter(([k]) => /^\w+:r\d+$/.test(k))),
      faults: r.outcome!.counters['kvm.fault'],
      reads: r.outcome!.counters['guest.read'],
      writes: r.outcome!.counters['guest.write'],
    });
    expect(guestVisible(b)).toEqual(guestVisible(a));
  });

  it('post-aa85986e7150: the COW copy is marked dirty when its writable sPTE is created', () => {
    expect(run('post-change-pte-removal').outcome!.observations['folio(qemu:0x7f0000000000).dirty']).toBe(0);
    expect(run('post-aa85986e7150').outcome!.observations['folio(qemu:0x7f0000000000).dirty']).toBe(1);
  });

  for (const e of ERAS) {
    it(`${e.id}: the guest reads the merged content, its write breaks COW, the other process keeps the old content, no violation`, () => {
      const r = run(e.id);
      expect(r.outcome!.observations).toMatchObject({
        'vcpu0:r0': 0xaa,
        'vcpu0:r1': 0xbb,
        'other:r2': 0xaa,
        'mem qemu:0x7f0000000000': 0xbb,
        'folio(other:0x400000).ksm': 1,
      });
      // The copy is wp_page_copy() from v4.1 (2f38ab2c3c7f), inside do_wp_page() before.
      expect(r.trace.some((t) => (t.fn === 'wp_page_copy' || t.fn === 'do_wp_page') && t.notes.some((n) => /^copy of 0x12 in new page/.test(n)))).toBe(true);
      expect(r.outcome!.violations).toEqual([]);
      expect(r.condition).toBe(true);
      expect(r.expectations.every((x) => x.holds)).toBe(true);
    });
  }

  it('diff names the first diverging step: the sPTE zap that 6bdb913f0a70 put before write_protect_page', () => {
    const d = diffRuns(run('pre-6bdb913f0a70'), run('post-6bdb913f0a70'));
    expect(d.divergence).not.toBeNull();
    expect(d.a.trace[d.divergence!]!.fn).toBe('write_protect_page');
    expect(d.b.trace[d.divergence!]!.fn).toBe('kvm_mmu_notifier_invalidate_range_start');
    expect(d.observations).toEqual([]);
  });
});
