// The mmu_notifier chain (mm/mmu_notifier.c): what the primary MMU calls, delivered to the one
// secondary MMU we model, KVM, when KVM registered that callback on this mm.
import type { Emit } from './emit.js';
import {
  emitKvmAge,
  emitKvmChangePte,
  emitKvmInvalidatePage,
  emitKvmInvalidateRangeEnd,
  emitKvmInvalidateRangeStart,
  emitKvmRelease,
  kvmListens,
  type AgeCallback,
} from './kvm.js';
import type { StepSpec } from './program.js';

/** mmu_notifier_invalidate_range_start() for these pages of one mm. */
export function invalidateRangeStart(e: Emit, pages: number[]): void {
  if (pages.some((p) => kvmListens(e, p, 'invalidate_range_start'))) emitKvmInvalidateRangeStart(e, pages);
}

/** mmu_notifier_invalidate_range_end(). */
export function invalidateRangeEnd(e: Emit, pages: number[]): void {
  if (pages.some((p) => kvmListens(e, p, 'invalidate_range_end'))) emitKvmInvalidateRangeEnd(e);
}

/**
 * set_pte_at_notify(mm, addr, ptep, pte): the PTE write (`setPte`, which reads the new value
 * from L.NEWPTE) and mmu_notifier_change_pte(), in the order of the era's rule. Without
 * set_pte_at_notify() (v6.10+) callers use plain set_pte_at().
 */
export function setPteAtNotify(e: Emit, page: number, setPte: StepSpec): void {
  const order = e.rules['mm.set_pte_at_notify'].value;
  const notify = () => {
    if (kvmListens(e, page, 'change_pte')) emitKvmChangePte(e, page);
  };
  if (order === 'change_pte-then-set_pte_at') notify();
  e.asm.emit({ ...setPte, rule: 'mm.set_pte_at_notify' });
  if (order === 'set_pte_at-then-change_pte') notify();
}


/** mmu_notifier_invalidate_page() (until v4.12). */
export function invalidatePage(e: Emit, page: number): void {
  if (kvmListens(e, page, 'invalidate_page')) emitKvmInvalidatePage(e, page);
}

/** mmu_notifier_release(): exit_mmap() tells every secondary MMU the mm is going away. */
export function release(e: Emit, page: number): void {
  if (kvmListens(e, page, 'release')) emitKvmRelease(e);
}

/** mmu_notifier_clear_flush_young() / _clear_young() / _test_young(): the answer is ORed into L.RESULT. */
export function age(e: Emit, page: number, cb: AgeCallback): void {
  if (kvmListens(e, page, cb)) emitKvmAge(e, page, cb);
}
