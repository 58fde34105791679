// Range operations a process applies to its own address space (mm/madvise.c, mm/memory.c,
// mm/mmap.c, mm/mprotect.c, mm/mempolicy.c). Each brackets its page-table walk with
// invalidate_range_start/end in every era we model; what differs between eras is what KVM
// does inside the bracket and what the rmap walks that come later (reclaim) do.
import { hex } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { VMA_MAPPED, VMA_WRITE, WALK_LOCALS } from './layout.js';
import { bracket } from './notifier.js';
import type { Notes } from './program.js';
import { clearPageFlag, folioContentSettled, folioMarkDirty, frameGet, frameSet, lockFree, notWriteLocked, pageFlags, putPage, vmaMapped } from './prims.js';
import { FRAME, PG, PTE, ptePfn, type State, put, get } from './state.js';
import type { Advice } from '../contract/scenario.js';

/**
 * The shape every range operation shares: take mmap_lock (read or write), check the vma,
 * invalidate_range_start, the PTE work under the PTL, invalidate_range_end, then what follows
 * (tlb_finish_mmu, the vma change), and drop mmap_lock.
 */
function emitRangeOp(
  e: Emit,
  pages: number[],
  op: {
    fn: string;
    lock: 'read' | 'write';
    /** Why the op does nothing here (an -EINVAL), or null. */
    refuse?: (s: State) => string | null;
    /** Before the walk, under mmap_lock (a vma change). */
    before?: { does: string; exec: (s: State) => void };
    walk: { fn: string; does: string; pte: (s: State, pi: number, notes: Notes) => void };
    after?: { fn: string; does: string; exec: (s: State) => void };
  },
): void {
  const { l, asm } = e;
  const mm = l.procs[l.pages[pages[0]!]!.proc]!;
  const done = asm.label();
  const unlock = (s: State) => {
    if (op.lock === 'read') put(s, mm.mmapLock, get(s, mm.mmapLock) + 1);
    else put(s, mm.mmapLock, 0);
  };
  asm.emit({
    fn: op.fn,
    does: `mmap_${op.lock}_lock()${op.before ? `; ${op.before.does}` : ''}`,
    enabled: (s) => (op.lock === 'read' ? notWriteLocked(s, mm.mmapLock) : get(s, mm.mmapLock) === 0),
    exec: (s, notes) => {
      const why = !vmaMapped(l, s, pages[0]!) ? 'no vma there: -ENOMEM' : (op.refuse?.(s) ?? null);
      if (why) {
        notes?.push(why);
        return done.pc;
      }
      if (op.lock === 'read') put(s, mm.mmapLock, get(s, mm.mmapLock) - 1);
      else put(s, mm.mmapLock, e.owner);
      op.before?.exec(s);
    },
  });
  bracket(e, pages, true, () =>
    asm.emit({
      fn: op.walk.fn,
      does: `${op.walk.does}, under the PTL`,
      enabled: (s) => lockFree(s, mm.ptl),
      exec: (s, notes) => {
        for (const pi of pages) op.walk.pte(s, pi, notes);
      },
    }),
  );
  asm.emit({
    fn: op.after?.fn ?? op.fn,
    does: `${op.after ? `${op.after.does}; ` : ''}mmap_${op.lock}_unlock()`,
    exec: (s) => {
      op.after?.exec(s);
      unlock(s);
      clearLocals(e, s, WALK_LOCALS);
    },
  });
  asm.bind(done);
}

/** Zap one PTE (zap_pte_range): drop the mapping; a file page's dirty bit goes to the folio. */
function zapPte(e: Emit, s: State, pi: number, notes: Notes): void {
  const { l } = e;
  const pte = get(s, l.pages[pi]!.pte);
  put(s, l.pages[pi]!.pte, 0);
  if (pte & PTE.SWAP) {
    // free_swap_and_cache(): the swap copy goes (a swap-cache page is dropped by reclaim later).
    put(s, l.stores[ptePfn(pte)]!.content, 0);
    return;
  }
  if (!(pte & PTE.PRESENT)) return;
  const pfn = ptePfn(pte);
  if (pageFlags(l, s, pfn) & PG.ZERO) return;
  // Anon PTEs lose their dirty bit ("we don't need up-to-date accessed/dirty bits"); a file
  // page keeps it in the folio.
  if (pte & PTE.DIRTY && pageFlags(l, s, pfn) & PG.FILE) folioMarkDirty(l, s, pfn);
  frameSet(l, s, pfn, FRAME.MAPCOUNT, frameGet(l, s, pfn, FRAME.MAPCOUNT) - 1);
  // The page is freed after the TLB flush of the mmu_gather; with KVM's sPTEs zapped at
  // invalidate_range_start that is safe wherever the flush falls (simplification: here).
  putPage(l, s, pfn, notes);
}

export function emitMadvise(e: Emit, pages: number[], advice: Advice): void {
  const { l } = e;
  if (advice === 'MADV_DONTNEED') {
    emitRangeOp(e, pages, {
      fn: 'madvise_dontneed_single_vma',
      lock: 'read',
      walk: { fn: 'zap_pte_range', does: 'clear the PTEs and drop the pages', pte: (s, pi, notes) => zapPte(e, s, pi, notes) },
      after: { fn: 'zap_page_range_single', does: 'tlb_finish_mmu()', exec: () => {} },
    });
    return;
  }
  emitRangeOp(e, pages, {
    fn: 'madvise_free_single_vma',
    lock: 'read',
    refuse: () => (l.vmas[l.pages[pages[0]!]!.vma]!.anon ? null : 'MADV_FREE on a file vma: -EINVAL'),
    walk: {
      fn: 'madvise_free_pte_range',
      does: 'folio_clear_dirty(); clean and age the PTEs; folio_mark_lazyfree()',
      pte: (s, pi, notes) => {
        const pteIdx = l.pages[pi]!.pte;
        const pte = get(s, pteIdx);
        if (pte & PTE.SWAP) {
          put(s, l.stores[ptePfn(pte)]!.content, 0);
          put(s, pteIdx, 0);
          return;
        }
        if (!(pte & PTE.PRESENT)) return;
        const pfn = ptePfn(pte);
        const f = pageFlags(l, s, pfn);
        if (f & (PG.ZERO | PG.KSM) || frameGet(l, s, pfn, FRAME.MAPCOUNT) !== 1) return; // shared: skipped
        if (f & PG.SWAPCACHE) {
          const slot = l.stores[frameGet(l, s, pfn, FRAME.INDEX)]!;
          put(s, slot.cache, 0);
          put(s, slot.content, 0);
          clearPageFlag(l, s, pfn, PG.SWAPCACHE);
          putPage(l, s, pfn, notes);
        }
        // The user asked for the content to be dropped: earlier writes no longer count.
        clearPageFlag(l, s, pfn, PG.DIRTY | PG.SWAPBACKED);
        folioContentSettled(l, s, pfn);
        put(s, pteIdx, pte & ~(PTE.DIRTY | PTE.YOUNG));
        notes?.push(`folio ${hex(pfn)} is lazyfree`);
      },
    },
    after: { fn: 'madvise_free_single_vma', does: 'tlb_finish_mmu()', exec: () => {} },
  });
}

export function emitMunmap(e: Emit, pages: number[]): void {
  const { l } = e;
  const vma = l.vmas[l.pages[pages[0]!]!.vma]!;
  emitRangeOp(e, pages, {
    fn: 'do_vmi_munmap',
    lock: 'write',
    walk: { fn: 'unmap_vmas', does: 'zap the PTEs', pte: (s, pi, notes) => zapPte(e, s, pi, notes) },
    after: { fn: 'unmap_region', does: 'tlb_finish_mmu(); remove the vma', exec: (s) => (put(s, vma.state, 0)) },
  });
}

export function emitMprotect(e: Emit, pages: number[], writable: boolean): void {
  const { l } = e;
  const vma = l.vmas[l.pages[pages[0]!]!.vma]!;
  emitRangeOp(e, pages, {
    fn: 'mprotect_fixup',
    lock: 'write',
    before: { does: `vm_flags ${writable ? '|= VM_WRITE' : '&= ~VM_WRITE'}`, exec: (s) => (put(s, vma.state, VMA_MAPPED | (writable ? VMA_WRITE : 0))) },
    walk: {
      fn: 'change_pte_range',
      does: writable ? 'PTEs stay read-only until a write fault' : 'write-protect the PTEs',
      pte: (s, pi) => {
        const idx = l.pages[pi]!.pte;
        if (!writable && get(s, idx) & PTE.PRESENT) put(s, idx, get(s, idx) & ~PTE.WRITE);
      },
    },
    after: { fn: 'change_protection', does: 'flush_tlb_range()', exec: () => {} },
  });
}

export function emitNumaHint(e: Emit, pages: number[]): void {
  const { l } = e;
  emitRangeOp(e, pages, {
    fn: 'change_prot_numa',
    lock: 'read',
    walk: {
      fn: 'change_pte_range',
      does: 'MM_CP_PROT_NUMA: make the PTEs PROT_NONE (skipping KSM pages and shared COW pages)',
      pte: (s, pi) => {
        const idx = l.pages[pi]!.pte;
        const pte = get(s, idx);
        if (!(pte & PTE.PRESENT) || pte & PTE.PROTNONE) return;
        const pfn = ptePfn(pte);
        // change_pte_range(): skip KSM pages, and in a COW mapping a page someone else holds.
        if (pageFlags(l, s, pfn) & (PG.KSM | PG.ZERO)) return;
        if (!l.vmas[l.pages[pi]!.vma]!.shared && frameGet(l, s, pfn, FRAME.REFCOUNT) !== 1) return;
        put(s, idx, pte | PTE.PROTNONE);
      },
    },
  });
}
