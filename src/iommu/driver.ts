// The IOMMU driver's side of a device bound to a process: the struct mmu_notifier_ops it
// registers on the process's mm (amd_iommu_v2's iommu_mn, v3.3-v6.6; the SVA drivers'
// after), which flush the device's TLB (ATC). Its steps are data (engine/step-data.ts).
import type { NotifierCallback } from '../contract/era.js';
import type { CounterName } from '../contract/output.js';
import type { Emit } from '../engine/emit.js';
import type { MmuNotifierOps } from '../engine/notifier.js';
import { bump, violateData } from '../engine/prims.js';
import { bits, eq, incr, slot, when, write, type Stmt } from '../engine/step-data.js';
import type { Layout } from '../engine/layout.js';
import { ATC, atcOf, devicesOn, iommuOf, iotlbOf, type DeviceSlot } from './layout.js';

/**
 * The driver's notifier, one registration per bound device: it hears a callback about a page
 * of a process a device is bound to, when the driver registered that callback in this release
 * (iommu.notifier_ops).
 */
export const iommuMmuNotifier: MmuNotifierOps = {
  name: 'iommu',
  // Before .release (v3.17) amd_iommu_v2 unbound a PASID from a PROFILE_TASK_EXIT notifier,
  // task_exit(), which do_exit() calls before exit_mm(): the chain's release stands for it.
  listens: (e, page, cb) => devicesOn(e.l, page).length > 0 && (cb === 'release' || e.rule('iommu.notifier_ops').includes(cb)),
  registeredOn: (e, page) => devicesOn(e.l, page).length > 0,
  // amd_iommu_v2's mn_invalidate_range() (v3.19): one page flushes that page, a larger range
  // the PASID's whole device TLB; .arch_invalidate_secondary_tlbs does the same from v6.6. An
  // empty range (arm64's range flush v6.6..v6.13) is size 0, which arm-smmu-v3-sva takes as
  // "all": the ASID's whole TLB and ATC_INV_SIZE_ALL (read at 6.6 and 6.12:
  // docs/evidence/arm64-empty-range.md).
  invalidate_range: (e, pages, from, args) => {
    // amd_iommu_v2 (x86) flushes one page, or the PASID's whole TLB for a larger range; the
    // SMMU's SVA driver (arm64) invalidates the range it is given, all for size 0 or (0, -1UL).
    const one = args === 'pages' && (pages.length === 1 || iommuOf(e.l).arch === 'arm64');
    const what = one ? `flush the ${pages.length === 1 ? 'page' : 'pages'} from the device TLB (ATC)` : "flush the PASID's whole device TLB (ATC)";
    const why = args === 'empty' ? ': the range arrives empty (start == end), which the SVA driver takes for all' : args === 'all' ? ' (0, -1UL)' : '';
    handler(e, pages, 'invalidate_range', 'iommu.invalidate_range', `${what}${why}, ${from}`, (d) => flush(e.l, d, one ? pages : d.pages));
  },
  invalidate_page: (e, page) => handler(e, [page], 'invalidate_page', 'iommu.invalidate_page', 'flush the page from the device TLB (ATC)', (d) => flush(e.l, d, [page])),
  change_pte: (e, page) => handler(e, [page], 'change_pte', 'iommu.change_pte', 'flush the page from the device TLB (ATC)', (d) => flush(e.l, d, [page])),
  // It flushes the page and answers "not young": the device's accesses do not keep a page.
  clear_flush_young: (e, page) => handler(e, [page], 'clear_flush_young', 'iommu.clear_flush_young', 'flush the page from the device TLB (ATC); answer not young', (d) => flush(e.l, d, [page])),
  // amd_iommu_v2 (v3.3-v3.18): range_start points the PASID at an empty page table, so every
  // translation faults until range_end puts mm->pgd back (nested from v3.18: a count);
  // setting the table flushes the PASID's TLB (simplification: the count is kept in every release).
  invalidate_range_start: (e, pages) =>
    handler(e, pages, 'invalidate_range_start', 'iommu.invalidate_range_start', "point the PASID at an empty page table; flush the PASID's device TLB (ATC)", (d) => [
      incr(d.emptyTable, 1),
      ...flush(e.l, d, d.pages),
    ]),
  invalidate_range_end: (e, pages) =>
    handler(e, pages, 'invalidate_range_end', null, "put the process's page table back when no other range is open", (d) => [incr(d.emptyTable, -1)]),
  release: (e, page) => {
    const own = e.rule('iommu.notifier_ops').includes('release');
    handler(e, [page], own ? 'release' : 'task_exit', own ? 'iommu.release' : null, `${own ? 'the mm is going away' : 'PROFILE_TASK_EXIT, from do_exit() before exit_mm()'}: unbind the PASID (no more translations), flush its device TLB (ATC)`, (d) => [
      write(d.released, 1),
      ...flush(e.l, d, d.pages),
    ]);
  },
};

/**
 * One step per device bound to the pages' mm: the callback's handler. A driver that sleeps
 * while its device invalidates (`device_wait = sleep`) does so in every handler: where the
 * thread that delivers the callback holds the page-table lock (a spinlock), that is a sleep in
 * atomic context. Where a delivery runs under the PTL, by release (the code read:
 * docs/evidence/iommu-callback-context.md), is where the engine's steps hold it: KSM's and the
 * COW break's ptep_clear_flush_notify() (v3.19-v4.14: KSM's from range_end after), the rmap
 * walk's where it frees the page (v4.13-; v4.13-v4.14 page_mkclean_one() and migration too),
 * .invalidate_page before v4.13 where the walk called it before pte_unmap_unlock(), .change_pte
 * and .clear_flush_young always, x86's arch flush from a caller that holds it (v6.6-); never
 * range_end or the mmu_gather's flush at tlb_finish_mmu(). Every in-tree registrant spins.
 */
function handler(e: Emit, pages: number[], callback: NotifierCallback | 'task_exit', counter: CounterName | null, does: string, work: (d: DeviceSlot) => Stmt[]): void {
  const devices = devicesOn(e.l, pages[0]!);
  const ptl = e.l.procs[e.l.pages[pages[0]!]!.proc]!.ptl;
  // The callback by its struct mmu_notifier_ops name, in the newest kernel's word (a release
  // prints its own: .invalidate_range until v6.6).
  const name = callback === 'invalidate_range' ? 'arch_invalidate_secondary_tlbs' : callback;
  // ptep_clear_flush_young_notify() calls .clear_flush_young under the PTL in every release;
  // the engine tests and clears the host's young bit in a step of its own and delivers the
  // callback after it (rmap.ts emitYoungTest), so that delivery is atomic by where it comes from.
  const underPtl = callback === 'clear_flush_young' ? 1 : eq(slot(ptl), e.owner);
  const slept = (d: DeviceSlot): Stmt[] =>
    iommuOf(e.l).sleeps ? [when(underPtl, violateData(e.l, 'sleep-in-atomic', [`${d.name}'s driver slept in its ${name} callback, under the PTL (a spinlock)`]))] : [];
  for (const d of devices) {
    e.asm.emit({
      fn: `${name} (${d.name})`,
      does,
      // amd_iommu_v2's task_exit() is no mmu_notifier callback: it is called from do_exit().
      ...(callback === 'task_exit' ? {} : { callback }),
      handler: d.name,
      data: () => ({ effect: [...(counter ? [bump(e.l, counter)] : []), ...slept(d), ...work(d)] }),
    });
  }
}

/**
 * Drop the device's ATC entries for these pages (each one present counts as a flushed entry),
 * and an arm64 SMMU's TLB entries: arm-smmu-v3-sva's handler issues the TLBI itself without BTM;
 * with BTM the CPU's own flush, which the mm code makes first, reached it already.
 */
function flush(l: Layout, d: DeviceSlot, pages: readonly number[]): Stmt[] {
  return pages.flatMap((pi) => {
    const atc = atcOf(d, pi);
    return [...(atc < 0 ? [] : [when(bits(slot(atc), ATC.PRESENT), [write(atc, 0), bump(l, 'iommu.atc_flush')])]), ...dropSmmuTlb(d, [pi])];
  });
}

/** Drop an arm64 SMMU's TLB entries for these pages (none on x86). */
const dropSmmuTlb = (d: DeviceSlot, pages: readonly number[]): Stmt[] => pages.flatMap((pi) => (iotlbOf(d, pi) < 0 ? [] : [write(iotlbOf(d, pi), 0)]));

/** An arm64 SMMU with BTM snoops the CPU's broadcast TLB invalidation: its TLB entries for the pages go (not the ATC: only the driver invalidates that). */
export function emitTlbiSnooped(e: Emit, pages: number[]): void {
  const { arch, btm } = iommuOf(e.l);
  if (arch !== 'arm64' || !btm) return;
  for (const d of devicesOn(e.l, pages[0]!)) {
    e.asm.emit({
      fn: `SMMU broadcast TLB invalidation (${d.name})`,
      does: "BTM: the CPU's TLB invalidation drops the SMMU's TLB entries for the range",
      data: () => ({ effect: dropSmmuTlb(d, pages) }),
    });
  }
}
