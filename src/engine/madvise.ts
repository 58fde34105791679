// Range operations a process applies to its own address space (mm/madvise.c, mm/memory.c,
// mm/mmap.c, mm/mprotect.c, mm/mempolicy.c). Each brackets its page-table walk with
// invalidate_range_start/end in every era we model; what differs between eras is what KVM
// does inside the bracket and what the rmap walks that come later (reclaim) do. Its steps are
// data (step-data.ts).
import { clearLocalsData, type Emit } from './emit.js';
import { VMA_MAPPED, VMA_WRITE, WALK_LOCALS } from './layout.js';
import { bracket, flushPending, hearsInvalidateRange, tlbFlushed } from './notifier.js';
import { unreachable } from './program.js';
import { clearFlag, fieldOf, flagsOf, folioContentSettledData, folioMarkDirtyData, frameAt, lockFree, notWriteLocked, putPageData, storeCacheAt, storeContentAt, vmaMapped } from './prims.js';
import { FRAME, PG, PTE } from './state.js';
import { and, bind, bits, block, eq, goto, not, note, op, or, slot, v, when, write, type Stmt } from './step-data.js';
import type { Advice } from '../contract/scenario.js';
import type { InvalidateRangeCaller } from '../contract/era.js';

/** What a range operation does at each point of the shape they share (emitRangeOp). */
export interface RangeOp {
  fn: string;
  lock: 'read' | 'write';
  /** Why the op does nothing here (an -EINVAL), if it does nothing. */
  refuse?: string;
  /** Before the walk, under mmap_lock (a vma change). */
  before?: { does: string; effect: readonly Stmt[] };
  /** The work on one page's PTE. `drops`: what the walk says it does with the pages when it frees them itself. */
  walk: { fn: string; does: string; drops?: string; pte: (pi: number, gather: number | undefined) => readonly Stmt[] };
  after?: { fn: string; does: string; effect: readonly Stmt[] };
  /** The walk zaps PTEs into the thread's mmu_gather: tlb_finish_mmu() flushes the TLB, then frees the pages. */
  gathers?: boolean;
  /**
   * Where its CPU TLB flush calls ->invalidate_range before v6.6 (tlb_flush_mmu_tlbonly() for
   * an mmu_gather; none for flush_tlb_range(), range_end told the device already); from v6.6
   * the architecture's flush does, wherever the op flushes.
   */
  flush: readonly InvalidateRangeCaller[];
  /** Bracket the walk with invalidate_range_start/end (every range op does; the OOM reaper did not until v4.16). */
  notify?: boolean;
}

/**
 * The shape every range operation shares: take mmap_lock (read or write), check the vma,
 * invalidate_range_start, the PTE work under the PTL, invalidate_range_end, then what follows
 * (tlb_finish_mmu, the vma change), and drop mmap_lock.
 */
export function emitRangeOp(e: Emit, pages: number[], rangeOp: RangeOp): void {
  // The kernel frees zapped pages after the TLB flush. Only a secondary TLB told from that
  // flush (->invalidate_range) can see the difference: without one on this mm (KVM's sPTEs are
  // gone at range_start) the model frees them as it zaps, which gives the same outcomes in
  // fewer states (simplification: src/contract/simplifications.ts).
  const gathers = !!rangeOp.gathers && hearsInvalidateRange(e, pages);
  const gather = gathers ? e.l.threads[e.tid]!.gather.slice(0, pages.length) : [];
  const { l, asm } = e;
  const mm = l.procs[l.pages[pages[0]!]!.proc]!;
  const done = asm.label();
  const lock = slot(mm.mmapLock);
  asm.emit({
    fn: rangeOp.fn,
    does: `mmap_${rangeOp.lock}_lock()${rangeOp.before ? `; ${rangeOp.before.does}` : ''}`,
    data: () => ({
      // mmap_lock: 0 free, negative a count of readers, positive the writer.
      guard: rangeOp.lock === 'read' ? notWriteLocked(mm.mmapLock) : eq(lock, 0),
      effect: [
        when(not(vmaMapped(l, pages[0]!)), [note('no vma there: -ENOMEM'), goto(done)]),
        ...(rangeOp.refuse ? [note(rangeOp.refuse), goto(done)] : []),
        write(mm.mmapLock, rangeOp.lock === 'read' ? op(lock, '-', 1) : e.owner),
        ...(rangeOp.before?.effect ?? []),
      ],
    }),
  });
  bracket(e, pages, rangeOp.notify ?? true, () =>
    asm.emit({
      fn: rangeOp.walk.fn,
      does: `${rangeOp.walk.does}${gathers ? ', gathering the pages' : (rangeOp.walk.drops ?? '')}, under the PTL`,
      data: () => ({
        guard: lockFree(mm.ptl),
        effect: [
          ...pages.flatMap((pi, k) => {
            const work = rangeOp.walk.pte(pi, gather[k]);
            return work.length ? [block(work)] : [];
          }),
          ...flushPending(e, pages, true),
        ],
      }),
    }),
  );
  // tlb_finish_mmu() -> tlb_flush_mmu(): the CPU TLB flush (tlb_flush_mmu_tlbonly(), which
  // calls ->invalidate_range v3.19-v6.5; the architecture's flush calls it from v6.6), then the
  // gathered pages are freed (tlb_flush_mmu_free()).
  tlbFlushed(e, pages, rangeOp.flush, 'range');
  asm.emit({
    fn: rangeOp.after?.fn ?? rangeOp.fn,
    does: `${rangeOp.after ? `${rangeOp.after.does}${gathers ? ': free the gathered pages' : ''}; ` : ''}mmap_${rangeOp.lock}_unlock()`,
    data: () => ({
      effect: [
        ...flushPending(e, pages, false),
        ...gather.map((g) => when(slot(g), [putPageData(l, slot(g)), write(g, 0)])),
        ...(rangeOp.after?.effect ?? []),
        write(mm.mmapLock, rangeOp.lock === 'read' ? op(lock, '+', 1) : 0),
        ...clearLocalsData(e, WALK_LOCALS),
      ],
    }),
  });
  asm.bind(done);
}

/**
 * Zap one PTE (zap_pte_range): drop the mapping; a file page's dirty bit goes to the folio. With
 * `gather`, the page goes into that slot of the thread's mmu_gather, to be freed after the TLB
 * flush; without, it is put at once (exit_mmap() after .release, fork's error path, and a zap no
 * secondary TLB hears of from the flush: emitRangeOp).
 */
export function zapPte(e: Emit, pi: number, gather?: number): Stmt[] {
  const { l } = e;
  const pteSlot = l.pages[pi]!.pte;
  const pte = v('pte');
  const pfn = v('pfn');
  return [
    bind('pte', slot(pteSlot)),
    write(pteSlot, 0),
    when(
      bits(pte, PTE.SWAP),
      // free_swap_and_cache(): the swap copy goes (a swap-cache page is dropped by reclaim later).
      [write(storeContentAt(l, op(pte, '>>>', PTE.SHIFT)), 0)],
      [
        when(bits(pte, PTE.PRESENT), [
          bind('pfn', op(pte, '>>>', PTE.SHIFT)),
          when(not(bits(flagsOf(l, pfn), PG.ZERO)), [
            // Anon PTEs lose their dirty bit ("we don't need up-to-date accessed/dirty bits"); a file
            // page keeps it in the folio.
            when(and(bits(pte, PTE.DIRTY), bits(flagsOf(l, pfn), PG.FILE)), [folioMarkDirtyData(l, pfn)]),
            write(frameAt(l, pfn, FRAME.MAPCOUNT), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '-', 1)),
            gather === undefined ? putPageData(l, pfn) : write(gather, pfn),
          ]),
        ]),
      ],
    ),
  ];
}

/** madvise(): each advice the engine knows; one it does not know does not compile. */
export function emitMadvise(e: Emit, pages: number[], advice: Advice): void {
  switch (advice) {
    case 'MADV_DONTNEED':
      return emitRangeOp(e, pages, {
        fn: 'madvise_dontneed_single_vma',
        lock: 'read',
        walk: { fn: 'zap_pte_range', does: 'clear the PTEs', drops: ' and drop the pages', pte: (pi, gather) => zapPte(e, pi, gather) },
        after: { fn: 'zap_page_range_single', does: 'tlb_finish_mmu()', effect: [] },
        gathers: true,
        flush: ['tlb_flush_mmu_tlbonly'],
      });
    case 'MADV_FREE':
      return emitMadvFree(e, pages);
    default:
      return unreachable(advice);
  }
}

/** MADV_FREE: madvise_free_single_vma() -> madvise_free_pte_range(). */
function emitMadvFree(e: Emit, pages: number[]): void {
  const { l } = e;
  const pte = v('pte');
  const pfn = v('pfn');
  emitRangeOp(e, pages, {
    fn: 'madvise_free_single_vma',
    lock: 'read',
    ...(l.vmas[l.pages[pages[0]!]!.vma]!.anon ? {} : { refuse: 'MADV_FREE on a file vma: -EINVAL' }),
    walk: {
      fn: 'madvise_free_pte_range',
      does: 'folio_clear_dirty(); clean and age the PTEs; folio_mark_lazyfree()',
      pte: (pi) => {
        const pteSlot = l.pages[pi]!.pte;
        return [
          bind('pte', slot(pteSlot)),
          when(
            bits(pte, PTE.SWAP),
            [write(storeContentAt(l, op(pte, '>>>', PTE.SHIFT)), 0), write(pteSlot, 0)],
            [
              when(bits(pte, PTE.PRESENT), [
                bind('pfn', op(pte, '>>>', PTE.SHIFT)),
                bind('f', flagsOf(l, pfn)),
                // A shared folio (KSM, the zero page, mapped twice) is skipped.
                when(not(or(bits(v('f'), PG.ZERO | PG.KSM), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '!==', 1))), [
                  when(bits(v('f'), PG.SWAPCACHE), [
                    bind('index', fieldOf(l, pfn, FRAME.INDEX)),
                    write(storeCacheAt(l, v('index')), 0),
                    write(storeContentAt(l, v('index')), 0),
                    clearFlag(l, pfn, PG.SWAPCACHE),
                    putPageData(l, pfn),
                  ]),
                  // The user asked for the content to be dropped: earlier writes no longer count.
                  clearFlag(l, pfn, PG.DIRTY | PG.SWAPBACKED),
                  folioContentSettledData(l, pfn),
                  write(pteSlot, op(pte, '&', ~(PTE.DIRTY | PTE.YOUNG))),
                  note('folio ', { hex: pfn }, ' is lazyfree'),
                ]),
              ]),
            ],
          ),
        ];
      },
    },
    after: { fn: 'madvise_free_single_vma', does: 'tlb_finish_mmu()', effect: [] },
    flush: ['tlb_flush_mmu_tlbonly'],
  });
}

export function emitMunmap(e: Emit, pages: number[]): void {
  const { l } = e;
  const vma = l.vmas[l.pages[pages[0]!]!.vma]!;
  emitRangeOp(e, pages, {
    fn: 'do_vmi_munmap',
    lock: 'write',
    walk: { fn: 'unmap_vmas', does: 'zap the PTEs', pte: (pi, gather) => zapPte(e, pi, gather) },
    after: { fn: 'unmap_region', does: 'tlb_finish_mmu(); remove the vma', effect: [write(vma.state, 0)] },
    gathers: true,
    flush: ['tlb_flush_mmu_tlbonly'],
  });
}

export function emitMprotect(e: Emit, pages: number[], writable: boolean): void {
  const { l } = e;
  const vma = l.vmas[l.pages[pages[0]!]!.vma]!;
  emitRangeOp(e, pages, {
    fn: 'mprotect_fixup',
    lock: 'write',
    before: { does: `vm_flags ${writable ? '|= VM_WRITE' : '&= ~VM_WRITE'}`, effect: [write(vma.state, VMA_MAPPED | (writable ? VMA_WRITE : 0))] },
    walk: {
      fn: 'change_pte_range',
      does: writable ? 'PTEs stay read-only until a write fault' : 'write-protect the PTEs',
      pte: (pi) => {
        const idx = l.pages[pi]!.pte;
        return writable ? [] : [when(bits(slot(idx), PTE.PRESENT), [write(idx, op(slot(idx), '&', ~PTE.WRITE))])];
      },
    },
    after: { fn: 'change_protection', does: 'flush_tlb_range() done', effect: [] },
    flush: [],
  });
}

export function emitNumaHint(e: Emit, pages: number[]): void {
  const { l } = e;
  const pte = v('pte');
  const pfn = v('pfn');
  emitRangeOp(e, pages, {
    fn: 'change_prot_numa',
    lock: 'read',
    flush: [],
    walk: {
      fn: 'change_pte_range',
      does: 'MM_CP_PROT_NUMA: make the PTEs PROT_NONE (skipping KSM pages and shared COW pages)',
      pte: (pi) => {
        const idx = l.pages[pi]!.pte;
        const prot = write(idx, op(pte, '|', PTE.PROTNONE));
        return [
          bind('pte', slot(idx)),
          when(and(bits(pte, PTE.PRESENT), not(bits(pte, PTE.PROTNONE))), [
            bind('pfn', op(pte, '>>>', PTE.SHIFT)),
            // change_pte_range(): skip KSM pages, and in a COW mapping a page someone else holds.
            when(not(bits(flagsOf(l, pfn), PG.KSM | PG.ZERO)), [l.vmas[l.pages[pi]!.vma]!.shared ? prot : when(eq(fieldOf(l, pfn, FRAME.REFCOUNT), 1), [prot])]),
          ]),
        ];
      },
    },
  });
}
