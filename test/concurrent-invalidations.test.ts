// Two invalidations in progress over different ranges (issue 16, section 7). From v5.12
// (4a42d848db95) a fault retries only for an invalidation that covers its address, so KVM
// keeps one range for all of them: kvm_mmu_notifier_invalidate_range_start() (later
// kvm_mmu_invalidate_begin()) sets it for the first and widens it to the smallest range
// covering every one that begins while others are in progress (min of the starts, max of the
// ends), and cannot shrink it until the last one ends. The catalog's
// two-invalidations-fault-race and two-invalidations-gap-retry explore it; here the same
// explorations run under a KVM without the widening, a mutant made in this test only, to show
// that they would catch its loss.
import { afterEach, describe, expect, it } from 'vitest';
import type { Era } from '../src/contract/era.js';
import type { Exploration } from '../src/contract/output.js';
import type { Emit } from '../src/engine/emit.js';
import { kvmOf } from '../src/kvm/layout.js';
import { kvmMmuNotifier } from '../src/kvm/mmu.js';
import type { StepSpec } from '../src/engine/program.js';
import { get, put, type State } from '../src/engine/state.js';
import { holds, runEffect } from '../src/engine/step-data.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { exploreScenario } from '../src/runner/run.js';
import { loadScenario } from '../src/scenario/catalog.js';
import { ERAS, getEra, registry } from './registry.js';

const RACE = 'two-invalidations-fault-race';
const GAP = 'two-invalidations-gap-retry';

/** What every kvm_mmu_notifier_invalidate_range_start() step saw after it ran: the count and the range. */
type Seen = { inProgress: number; start: number; end: number };

const original = kvmMmuNotifier.invalidate_range_start!;
afterEach(() => {
  kvmMmuNotifier.invalidate_range_start = original;
});

/**
 * KVM's invalidate_range_start, its first step (the one that takes mmu_lock and records the
 * range) wrapped: `widen: false` puts back the range an invalidation already in progress had,
 * as if the second one's range were never added (the mutant); `seen` gets what each step left.
 */
function instrument(opts: { widen: boolean; seen?: Seen[] }): void {
  kvmMmuNotifier.invalidate_range_start = (e: Emit, pages: number[]) => {
    const { asm, l } = e;
    const k = kvmOf(l);
    const emit = asm.emit;
    asm.emit = (step: StepSpec) => {
      if (step.callback !== 'invalidate_range_start' || !step.data) return emit.call(asm, step);
      // The mutant is made here only, as code around the step's own description.
      const { guard, effect } = typeof step.data === 'function' ? step.data() : step.data;
      emit.call(asm, {
        fn: step.fn,
        does: step.does,
        callback: step.callback,
        ...(guard === undefined ? {} : { enabled: (s: State) => holds(guard, s) }),
        exec: (s: State, notes) => {
          const before = get(s, k.inProgress) > 0 ? [get(s, k.rangeStart), get(s, k.rangeEnd)] : null;
          const r = runEffect(effect, s, notes);
          if (!opts.widen && before) {
            put(s, k.rangeStart, before[0]!);
            put(s, k.rangeEnd, before[1]!);
          }
          opts.seen?.push({ inProgress: get(s, k.inProgress), start: get(s, k.rangeStart), end: get(s, k.rangeEnd) });
          return r;
        },
      });
    };
    try {
      original(e, pages);
    } finally {
      asm.emit = emit;
    }
  };
}

const explored = (name: string, era: Era): Exploration => {
  const x = exploreScenario(loadScenario(name), era, DEFAULT_LIMITS, false).exploration!;
  expect(x.complete).toBe(true);
  return x;
};
const harms = (x: Exploration) => [...new Set(x.outcomes.flatMap((o) => o.violations))].sort();
const retriedInProgress = (x: Exploration) => x.outcomes.some((o) => o.counters['kvm.fault_retry_in_progress'] > 0);

/** v5.12, where the range arrived, and every named era from there on. */
const RANGED: Era[] = [registry.forKernel('v5.12'), ...ERAS.filter((e) => e.rules['kvm.fault.retry'].value !== 'in-progress-or-seq')];

describe('two invalidations in progress over different ranges', () => {
  it('the eras from v5.12 retry by range, and there are some', () => {
    expect(RANGED.length).toBeGreaterThan(1);
    for (const e of RANGED) expect(e.rules['kvm.fault.retry'].value, e.id).toMatch(/^in-range/);
  });

  it.each(RANGED.map((e) => [e.id, e] as const))('%s: a fault racing both never maps a page either frees; the exploration does reach two invalidations with the range widened over both', (_, era) => {
    const seen: Seen[] = [];
    instrument({ widen: true, seen });
    const x = explored(RACE, era);
    expect(harms(x)).toEqual([]);
    // Meaningful: some schedule has both in progress, the range covering gfns 0x100 and 0x101,
    // and a fault that was held back by it.
    expect(seen.some((v) => v.inProgress === 2 && v.start === 0x100 && v.end === 0x102)).toBe(true);
    expect(retriedInProgress(x)).toBe(true);
  });

  it.each(RANGED.map((e) => [e.id, e] as const))('%s: without the widening, the explorer finds the fault mapping a page the second invalidation frees', (_, era) => {
    instrument({ widen: false });
    const x = explored(RACE, era);
    expect(harms(x)).toContain('freed-frame-access');
  });

  it('before v5.12 any invalidation in progress holds the fault back: no harm even without the widening', () => {
    for (const era of [registry.forKernel('v5.11'), getEra('post-369ea8242c0f'), getEra('pre-6bdb913f0a70')]) {
      instrument({ widen: false });
      expect(harms(explored(RACE, era)), era.id).toEqual([]);
    }
  });

  it('the widened range has a gap: a fault between the two ranges retries from v5.12 too, and would not without the widening', () => {
    for (const era of RANGED) {
      instrument({ widen: true });
      const x = explored(GAP, era);
      expect(harms(x), era.id).toEqual([]);
      expect(retriedInProgress(x), era.id).toBe(true);
      instrument({ widen: false });
      expect(retriedInProgress(explored(GAP, era)), `${era.id} without widening`).toBe(false);
    }
  });
});
