// The mmu_notifier chain (mm/mmu_notifier.c): what the primary MMU calls, delivered to every
// secondary MMU registered on the mm that changes. A secondary MMU registers a set of handlers
// like struct mmu_notifier_ops; KVM registers its own (src/kvm/mmu.ts, through SecondaryMmu:
// engine/secondary.ts), and another registrant (a test's, say) needs no change to the mm code
// that calls the chain.
import type { InvalidateRangeCaller, NotifierCallback } from '../contract/era.js';
import type { Emit } from './emit.js';
import type { Label, StepSpec } from './program.js';
import type { Stmt } from './step-data.js';
import { unreachable } from './program.js';

export type AgeCallback = 'clear_flush_young' | 'clear_young' | 'test_young';

/**
 * A secondary MMU on the chain. Each handler emits the steps its callback takes; `listens`
 * says whether this MMU hears a callback about a change to a page (its mm, the ops it
 * registered in this era).
 */
export interface MmuNotifierOps {
  name: string;
  listens(e: Emit, page: number, cb: NotifierCallback): boolean;
  /** Is it registered on the mm of this page at all (mm_has_notifiers())? Absent: on every mm. */
  registeredOn?(e: Emit, page: number): boolean;
  invalidate_range_start?(e: Emit, pages: number[]): void;
  invalidate_range_end?(e: Emit, pages: number[]): void;
  invalidate_page?(e: Emit, page: number): void;
  /**
   * .invalidate_range (.arch_invalidate_secondary_tlbs from v6.6): a secondary TLB flushed
   * inside the primary update, which must not sleep; `pages` the pages mm changed, `args` the
   * range it passed for them (RangeArgs).
   */
  invalidate_range?(e: Emit, pages: number[], from: string, args: RangeArgs): void;
  /** .change_pte: the new PTE is in the calling thread's L.NEWPTE. */
  change_pte?(e: Emit, page: number): void;
  /** The aging callbacks OR whether the page was young into the caller's L.RESULT. */
  clear_flush_young?(e: Emit, page: number): void;
  clear_young?(e: Emit, page: number): void;
  test_young?(e: Emit, page: number): void;
  release?(e: Emit, page: number): void;
}

/** Deliver one callback to every registrant that hears it, in registration order. */
function notify(e: Emit, pages: number[], cb: NotifierCallback, deliver: (mn: MmuNotifierOps) => void): void {
  for (const mn of e.notifiers) if (pages.some((p) => mn.listens(e, p, cb))) deliver(mn);
}

/** mmu_notifier_invalidate_range_start() for these pages of one mm (the mm code reaches it through bracket()). */
function invalidateRangeStart(e: Emit, pages: number[]): void {
  notify(e, pages, 'invalidate_range_start', (mn) => mn.invalidate_range_start?.(e, pages));
}

/**
 * mmu_notifier_invalidate_range_end(): per registrant, ->invalidate_range first where this
 * release's __mmu_notifier_invalidate_range_end() calls it (v3.19-v6.5, "to avoid the need
 * ... to register an invalidate_range_end"), unless the caller ended with
 * mmu_notifier_invalidate_range_only_end() (v4.15-v6.5: it notified under the PTL already).
 */
function invalidateRangeEnd(e: Emit, pages: number[], onlyEnd: boolean): void {
  const calls = hearsInvalidateRange(e, pages) && calledFrom(e, ['invalidate_range_end'], onlyEnd ? ['range_only_end'] : []);
  for (const mn of e.notifiers) {
    if (calls && pages.some((p) => mn.listens(e, p, 'invalidate_range'))) mn.invalidate_range?.(e, pages, FROM.invalidate_range_end, 'pages');
    if (pages.some((p) => mn.listens(e, p, 'invalidate_range_end'))) mn.invalidate_range_end?.(e, pages);
  }
}

/** Does a registrant on these pages' mm register ->invalidate_range? (Only then does the engine ask where mm calls it: the rule tags no step of a machine without one.) */
export const hearsInvalidateRange = (e: Emit, pages: number[]) => e.notifiers.some((mn) => pages.some((p) => mn.listens(e, p, 'invalidate_range')));

/** This release calls ->invalidate_range from one of `from`, and from none of `unless`. */
function calledFrom(e: Emit, from: readonly InvalidateRangeCaller[], unless: readonly InvalidateRangeCaller[] = []): boolean {
  const callers = e.rule('mm.invalidate_range.callers');
  return from.some((c) => callers.includes(c)) && !unless.some((c) => callers.includes(c));
}

/** Where a delivery comes from, as its step says it. */
const FROM: Record<InvalidateRangeCaller, string> = {
  tlb_flush_mmu_tlbonly: "from the mmu_gather's flush",
  invalidate_range_end: 'from invalidate_range_end',
  range_only_end: 'from invalidate_range_end',
  ksm: "with the PTE's flush, under the PTL",
  wp_page_copy: "with the PTE's flush, under the PTL",
  rmap: 'in the rmap walk, under the PTL',
  rmap_file: 'in the rmap walk, under the PTL',
  migrate: 'in the rmap walk, under the PTL',
  page_mkclean: 'in the rmap walk, under the PTL',
  arch_tlb_flush: "from the architecture's flush",
};

/** What the secondary MMUs keep of a PTE change whose CPU TLB flush comes later (`pending`), and of that flush done (SecondaryMmu.flushPending). */
export const flushPending = (e: Emit, pages: number[], pending: boolean): Stmt[] => e.l.secondaries.flatMap((r) => r.flushPending?.(e.l, pages, pending) ?? []);

/**
 * The range ->invalidate_range gets for the pages mm changed: theirs (`pages`), the whole
 * address space (0, -1UL: x86's and arm64's flush_tlb_mm() from v6.6), or an empty one
 * (start == end: arm64's range flush v6.6..v6.13, arm64.flush_tlb_range.notify).
 */
export type RangeArgs = 'pages' | 'all' | 'empty';

/**
 * Which CPU TLB flush: of one page (flush_tlb_page(), from ptep_clear_flush()), of a range
 * (flush_tlb_range(): the mmu_gather's tlb_flush(), mprotect), of the whole mm (flush_tlb_mm():
 * fork). From v6.6 the architecture's flush passes its own range to the notifier.
 */
export type CpuFlush = 'page' | 'range' | 'mm';

/**
 * The CPU TLB flush of these pages (ptep_clear_flush(), the mmu_gather's tlb_flush(), arm64's
 * flush of a permission upgrade): a secondary TLB that snoops the broadcast invalidation drops
 * its entries, then ->invalidate_range where this release calls it from here (`from`, or the
 * architecture's flush from v6.6).
 */
export function tlbFlushed(e: Emit, pages: number[], from: readonly InvalidateRangeCaller[], how: CpuFlush): void {
  for (const r of e.l.secondaries) r.tlbiSnooped?.(e, pages);
  invalidateRange(e, pages, [...from, 'arch_tlb_flush'], how);
}

/**
 * mmu_notifier_invalidate_range(mm, start, end) where mm flushed the CPU TLB for these pages:
 * `from` names the callers that reach it at this place (the site's own before v6.6:
 * ptep_clear_flush_notify(), tlb_flush_mmu_tlbonly(); `arch_tlb_flush` from v6.6, when
 * the architecture's flush calls mmu_notifier_arch_invalidate_secondary_tlbs()). Delivered to
 * every registrant of the callback, once, if this release calls it from one of them.
 */
function invalidateRange(e: Emit, pages: number[], from: readonly InvalidateRangeCaller[], how: CpuFlush): void {
  if (!hearsInvalidateRange(e, pages)) return;
  const callers = e.rule('mm.invalidate_range.callers');
  const by = from.find((c) => callers.includes(c));
  if (by === undefined) return;
  const args = by === 'arch_tlb_flush' ? archRange(e, how) : 'pages';
  notify(e, pages, 'invalidate_range', (mn) => mn.invalidate_range?.(e, pages, FROM[by], args));
}

/**
 * The range the architecture's flush passes (v6.6+): flush_tlb_mm() (0, -1UL) on both; arm64's
 * __flush_tlb_range() advanced `start` to `end` in its loop before the call until f7edb07ad7c6
 * (docs/evidence/arm64-empty-range.md); x86's flush_tlb_mm_range() passes (start, end).
 * Simplification: x86's batched reclaim flush ((0, -1UL) from arch_tlbbatch_add_pending()) is
 * not modelled: reclaim flushes its page.
 */
function archRange(e: Emit, how: CpuFlush): RangeArgs {
  if (how === 'mm') return 'all';
  if (how === 'page' || e.l.arch !== 'arm64') return 'pages';
  const passes = e.rule('arm64.flush_tlb_range.notify');
  switch (passes) {
    case 'empty':
      return 'empty';
    case 'range':
      return 'pages';
    default:
      return unreachable(passes);
  }
}

/** mm_has_notifiers(): a registrant is on the mm of these pages. */
export const hasNotifiers = (e: Emit, pages: number[]) => e.notifiers.some((mn) => pages.some((p) => mn.registeredOn?.(e, p) ?? true));

/** mmu_notifier_invalidate_page() (until v4.12). */
export function invalidatePage(e: Emit, page: number): void {
  notify(e, [page], 'invalidate_page', (mn) => mn.invalidate_page?.(e, page));
}

/** mmu_notifier_release(): exit_mmap() tells every secondary MMU the mm is going away. */
export function release(e: Emit, page: number): void {
  notify(e, [page], 'release', (mn) => mn.release?.(e, page));
}

/** mmu_notifier_clear_flush_young() / _clear_young() / _test_young(): the answer is ORed into L.RESULT. */
export function age(e: Emit, page: number, cb: AgeCallback): void {
  notify(e, [page], cb, (mn) => mn[cb]?.(e, page));
}

/**
 * set_pte_at_notify(mm, addr, ptep, pte): the PTE write (`setPte`, which reads the new value
 * from L.NEWPTE) and mmu_notifier_change_pte(), in the order of the era's rule. Before it
 * existed (v2.6.27-v2.6.31) the caller's ptep_clear_flush_notify() sent .invalidate_page under
 * the PTL before the new PTE was set. Until 6bdb913f0a70 (v3.7), a secondary MMU without
 * .change_pte got .invalidate_page instead (__mmu_notifier_change_pte). Without
 * set_pte_at_notify() (v6.10+) callers use plain set_pte_at(). The PTE write is printed as the
 * call the era's rule says the caller made: set_pte_at_notify() where it existed, else set_pte_at().
 */
export function setPteAtNotify(e: Emit, page: number, setPte: StepSpec): void {
  const order = e.rule('mm.set_pte_at_notify');
  const setPteNotify: StepSpec = { ...setPte, fn: 'set_pte_at_notify' };
  const changePte = (fallback: boolean) =>
    e.notifiers.forEach((mn) => {
      if (mn.listens(e, page, 'change_pte')) mn.change_pte?.(e, page);
      else if (fallback && mn.listens(e, page, 'invalidate_page')) mn.invalidate_page?.(e, page);
    });
  switch (order) {
    case 'ptep_clear_flush_notify':
      invalidatePage(e, page);
      e.asm.emit(setPte);
      return;
    case 'set_pte_at-then-change_pte':
      e.asm.emit(setPteNotify);
      changePte(true);
      return;
    case 'change_pte-then-set_pte_at':
      changePte(false);
      e.asm.emit(setPteNotify);
      return;
    case 'set_pte_at-only':
      e.asm.emit(setPte);
      return;
    default:
      unreachable(order);
  }
}

/**
 * mmu_notifier_invalidate_range_start() ... `body` ... mmu_notifier_invalidate_range_end(),
 * when `on` (the era's rule for this site, or what the site's own test says: fork brackets a
 * COW mapping only); just `body` when not. `body` gets a label to jump
 * to when it gives up: that path ends the range too (after `failure.before`, the steps it
 * takes first), then goes on at `failure.then`. Without `failure`, a give-up joins the end.
 * `onlyEnd`: the caller ends with mmu_notifier_invalidate_range_only_end() where the release has it.
 */
export function bracket(e: Emit, pages: number[], on: boolean, body: (failed: Label) => void, failure?: { then: Label; before?: () => void }, onlyEnd = false): void {
  const { asm } = e;
  const failed = asm.label();
  if (on) invalidateRangeStart(e, pages);
  if (!failure) {
    body(failed);
    asm.bind(failed);
    if (on) invalidateRangeEnd(e, pages, onlyEnd);
    return;
  }
  body(failed);
  if (on) invalidateRangeEnd(e, pages, onlyEnd);
  const ok = asm.label();
  asm.jump(ok);
  asm.bind(failed);
  failure.before?.();
  if (on) invalidateRangeEnd(e, pages, onlyEnd);
  asm.jump(failure.then);
  asm.bind(ok);
}
