// The catalog as a whole: every scenario runs in every era (or says plainly why it cannot),
// every notifier site is covered, and every reviewed expectation still holds.
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS, getEra } from './registry.js';
import { fmtCond } from '../src/report/cond.js';
import { runScenario } from '../src/runner/run.js';

const names = catalogNames();

describe('the catalog', () => {
  it('has the 18 scenarios the issue lists, the two that reach .clear_young and .test_young, two of concurrent invalidations, and the device TLB\'s (issue 20: its four, and a driver that sleeps)', () => {
    expect(names).toEqual(
      [
        'age-guest-cold', 'age-guest-hot', 'exit-releases-guest', 'fault-races-invalidation', 'host-cow-after-fork', 'ksm-merge',
        'idle-page-tracking', 'khugepaged-test-young',
        'ksm-merge-then-guest-write', 'madv-dontneed-guest-mapped', 'madv-free-guest-untouched', 'madv-free-no-ad-bits',
        'madv-free-then-guest-write', 'migrate-guest-page', 'mprotect-readonly-then-guest-write', 'munmap-guest-mapped',
        'numa-hint-guest-page', 'reclaim-dirty-guest-page', 'reclaim-then-guest-read', 'writeback-page-mkclean',
        'two-invalidations-fault-race', 'two-invalidations-gap-retry',
        'munmap-device-mapped', 'ksm-merge-device-mapped', 'smmu-permission-upgrade', 'oom-reap-vm-and-device', 'ksm-merge-sleeping-driver',
      ].sort(),
    );
  });

  it.each(names)('%s: every expect line holds in its era (check --judge)', (name) => {
    const s = loadScenario(name);
    expect(s.expect.length).toBeGreaterThan(0);
    for (const x of s.expect) {
      const r = runScenario(s, getEra(x.era));
      const got = r.expectations.find((y) => y.expect === x);
      expect(got?.holds, `${name}:${x.pos.line} expect ${x.era}: ${fmtCond(x.cond)}`).toBe(true);
    }
  });

  it.each(names)('%s: runs in every era or says why not', (name) => {
    const s = loadScenario(name);
    for (const e of ERAS) {
      const r = runScenario(s, e);
      if (r.outcome) expect(r.unavailable).toBeUndefined();
      else expect(r.unavailable).toMatch(/^not in this era: .+ arrived in v\d/);
    }
    expect(ERAS.some((e) => runScenario(s, e).outcome)).toBe(true);
  });

  it('reaches every notifier callback KVM registers, in some era', () => {
    const seen = new Set<string>();
    for (const n of names) {
      const s = loadScenario(n);
      for (const e of ERAS) {
        const r = runScenario(s, e);
        for (const [c, v] of Object.entries(r.outcome?.counters ?? {})) if (c.startsWith('notifier.') && v > 0) seen.add(c);
      }
    }
    expect([...seen].sort()).toEqual([
      'notifier.change_pte',
      'notifier.clear_flush_young',
      'notifier.clear_young',
      'notifier.invalidate_page',
      'notifier.invalidate_range_end',
      'notifier.invalidate_range_start',
      'notifier.release',
      'notifier.test_young',
    ]);
  });

  it('MADV_FREE is not in the first era, and says so', () => {
    const r = runScenario(loadScenario('madv-free-then-guest-write'), getEra('pre-6bdb913f0a70'));
    expect(r.outcome).toBeNull();
    expect(r.unavailable).toBe('not in this era: MADV_FREE arrived in v4.5 (854e9ed09ded ("mm: support madvise(MADV_FREE)"))');
  });
});
