// The primary MMU (mm/): page faults, the COW break, user-space accesses. The notifier calls
// each site makes are era rules; everything else here is the same in every era we model.
import type { EraRules } from '../contract/era.js';
import { EFAULT_VALUE, hex } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { L, MM_LOCALS, type Layout, type StoreSlot } from './layout.js';
import { bracket, setPteAtNotify } from './notifier.js';
import { unreachable, type Label, type Notes } from './program.js';
import {
  allocPage,
  clearPageFlag,
  folioContentSettled,
  folioMarkDirty,
  frameGet,
  frameSet,
  getPage,
  lockFree,
  mmLive,
  notWriteLocked,
  pageFlags,
  putPage,
  vmaMapped,
  vmaWritable,
} from './prims.js';
import { FRAME, PG, PTE, ptePfn, type State, put, get } from './state.js';

const ANON_PTE = PTE.PRESENT | PTE.WRITE | PTE.DIRTY | PTE.YOUNG;

/**
 * handle_mm_fault() for one page, under mmap_read_lock(): do_anonymous_page(), do_fault()
 * (file), do_swap_page(), do_numa_page(), or for a write to a read-only PTE do_wp_page() ->
 * wp_page_shared() / wp_page_reuse() / wp_page_copy(). A migration entry makes the fault wait
 * (migration_entry_wait). Jumps to `back` (the caller retries its access or its
 * get_user_pages walk), or to `efault` when there is no vma for the access.
 */
export function emitHandleMmFault(e: Emit, pi: number, write: boolean, back: Label, efault: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const vma = l.vmas[pg.vma]!;
  const store = l.stores[pg.store]!;
  const origPte = e.local(L.ORIGPTE);
  const anon = asm.label();
  const file = asm.label();
  const swap = asm.label();
  const numa = asm.label();
  const shared = asm.label();
  const reuse = asm.label();
  const copy = asm.label();
  const unlockMmap = (s: State) => {
    put(s, mm.mmapLock, get(s, mm.mmapLock) + 1);
  };
  const reuseTest = e.ruleAt('mm.do_wp_page.reuse');
  /** The common end of every handler: mmap_read_unlock(), forget locals, let the caller retry. */
  const finish = (s: State) => {
    unlockMmap(s);
    clearLocals(e, s, MM_LOCALS);
    return back.pc;
  };
  /** A handler: under the PTL, if the PTE is still what handle_mm_fault() saw (pte_same), do `body`; then finish. */
  const handler = (at: Label, fn: string, does: string, body: (s: State, notes: Notes) => void) => {
    asm.bind(at);
    asm.emit({
      fn,
      does,
      enabled: (s) => lockFree(s, mm.ptl),
      exec: (s, notes) => {
        if (get(s, pg.pte) === get(s, origPte)) body(s, notes);
        return finish(s);
      },
    });
  };

  asm.emit({
    fn: 'handle_mm_fault',
    does: `mmap_read_lock(); ${write ? 'write' : 'read'} fault: look at the vma and the PTE`,
    // handle_pte_fault() looks at the PTE under the PTL; do_wp_page() takes its reference on the
    // old page there, before the PTL is dropped for the copy.
    enabled: (s) => notWriteLocked(s, mm.mmapLock) && lockFree(s, mm.ptl) && !(get(s, pg.pte) & PTE.MIGRATION),
    exec: (s, notes) => {
      if (!mmLive(l, s, pi) || !vmaMapped(l, s, pi) || (write && !vmaWritable(l, s, pi))) {
        notes?.push(`no ${write ? 'writable ' : ''}vma: SIGSEGV / -EFAULT`);
        return efault.pc;
      }
      put(s, mm.mmapLock, get(s, mm.mmapLock) - 1);
      const pte = get(s, pg.pte);
      put(s, origPte, pte);
      if (pte === 0) return vma.anon ? anon.pc : file.pc;
      if (pte & PTE.SWAP) return swap.pc;
      if (pte & PTE.PROTNONE) return numa.pc;
      if (write && !(pte & PTE.WRITE)) {
        const pfn = ptePfn(pte);
        if (vma.shared) return shared.pc;
        // do_wp_page(): a KSM page, the zero page or a page-cache page is copied; an anon page
        // is reused in place if it is exclusive, by the era's test.
        const exclusive = wpExclusive(reuseTest(notes), l, s, pfn);
        if (pageFlags(l, s, pfn) & (PG.KSM | PG.ZERO | PG.FILE) || !exclusive) {
          if (!(pageFlags(l, s, pfn) & PG.ZERO)) getPage(l, s, pfn);
          put(s, e.local(L.OLDPFN), pfn);
          return copy.pc;
        }
        return reuse.pc;
      }
      notes?.push('PTE already fixed up: nothing to do');
      return finish(s);
    },
  });

  handler(anon, 'do_anonymous_page', write ? 'allocate a zeroed page and map it writable' : 'map the zero page read-only', (s, notes) => {
    if (!write) {
      put(s, pg.pte, (l.firstPfn << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG); // the zero page is the first frame
      return;
    }
    const pfn = allocPage(l, s);
    frameSet(l, s, pfn, FRAME.MAPCOUNT, 1);
    frameSet(l, s, pfn, FRAME.FLAGS, PG.SWAPBACKED);
    put(s, pg.pte, (pfn << PTE.SHIFT) | ANON_PTE);
    notes?.push(`new page ${hex(pfn)}`);
  });

  handler(
    file,
    write ? (vma.shared ? 'do_shared_fault' : 'do_cow_fault') : 'do_read_fault',
    write
      ? vma.shared
        ? 'filemap_fault(); page_mkwrite: mark the page-cache page dirty and map it writable'
        : 'filemap_fault(); copy the page-cache page into a new anon page, map that writable'
      : 'filemap_fault(); map the page-cache page read-only',
    (s, notes) => {
      const cached = pageCachePage(e, s, store, pg.store, notes);
      if (write && !vma.shared) {
        const pfn = allocPage(l, s);
        frameSet(l, s, pfn, FRAME.CONTENT, frameGet(l, s, cached, FRAME.CONTENT));
        frameSet(l, s, pfn, FRAME.MAPCOUNT, 1);
        frameSet(l, s, pfn, FRAME.FLAGS, PG.SWAPBACKED);
        put(s, pg.pte, (pfn << PTE.SHIFT) | ANON_PTE);
        return;
      }
      getPage(l, s, cached);
      frameSet(l, s, cached, FRAME.MAPCOUNT, frameGet(l, s, cached, FRAME.MAPCOUNT) + 1);
      if (write) folioMarkDirty(l, s, cached);
      put(s, pg.pte, (cached << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG | (write ? PTE.WRITE | PTE.DIRTY : 0));
    },
  );

  handler(swap, 'do_swap_page', 'swap-cache lookup or swap_read_folio(); map the page (no notifier: the PTE was not present)', (s, notes) => {
    const slot = l.stores[ptePfn(get(s, origPte))]!;
    const pfn = swapCachePage(e, s, slot, ptePfn(get(s, origPte)), notes);
    getPage(l, s, pfn);
    frameSet(l, s, pfn, FRAME.MAPCOUNT, frameGet(l, s, pfn, FRAME.MAPCOUNT) + 1);
    // An exclusive page is mapped writable if the vma is, dirty only for a write fault.
    const exclusive = frameGet(l, s, pfn, FRAME.MAPCOUNT) === 1;
    put(s, pg.pte, (pfn << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG | (exclusive && vmaWritable(l, s, pi) ? PTE.WRITE : 0) | (write ? PTE.DIRTY : 0));
    if (write && exclusive) {
      // should_try_to_free_swap() for a write fault: folio_free_swap() drops the swap copy,
      // so the page alone holds the data and is dirty. A read fault keeps the copy: the
      // page stays clean in the swap cache.
      put(s, slot.cache, 0);
      put(s, slot.content, 0);
      clearPageFlag(l, s, pfn, PG.SWAPCACHE);
      putPage(l, s, pfn, notes);
      folioMarkDirty(l, s, pfn);
    }
  });
  handler(numa, 'do_numa_page', 'NUMA hinting fault: restore the PTE protection (the page stays on its node)', (s) => {
    put(s, pg.pte, (get(s, pg.pte) & ~PTE.PROTNONE) | PTE.YOUNG);
  });
  handler(shared, 'wp_page_shared', 'page_mkwrite: mark the page-cache page dirty, make the PTE writable (no notifier)', (s) => {
    folioMarkDirty(l, s, ptePfn(get(s, pg.pte)));
    put(s, pg.pte, get(s, pg.pte) | PTE.WRITE | PTE.DIRTY | PTE.YOUNG);
  });
  handler(reuse, 'wp_page_reuse', 'make the exclusive page writable in place (no notifier)', (s, notes) => {
    const pfn = ptePfn(get(s, pg.pte));
    if (pageFlags(l, s, pfn) & PG.SWAPCACHE) {
      // reuse_swap_page(): the only user takes the page out of the swap cache and frees the
      // swap slot (delete_from_swap_cache(), SetPageDirty()). The refcount test never gets
      // here with a swap-cache page: the cache holds a reference.
      const slot = l.stores[frameGet(l, s, pfn, FRAME.INDEX)]!;
      put(s, slot.cache, 0);
      put(s, slot.content, 0);
      clearPageFlag(l, s, pfn, PG.SWAPCACHE);
      putPage(l, s, pfn, notes);
      folioMarkDirty(l, s, pfn);
      notes?.push(`page ${hex(pfn)} taken out of the swap cache`);
    }
    put(s, pg.pte, get(s, pg.pte) | PTE.WRITE | PTE.DIRTY | PTE.YOUNG);
  });

  asm.bind(copy);
  emitWpPageCopy(e, pi, unlockMmap, back);
}

/**
 * do_wp_page()'s test that an anon page is ours alone: mapped once and in no other swap PTE
 * (reuse_swap_page()), or no reference but ours (09854ba94c6a, v5.9).
 */
function wpExclusive(test: EraRules['mm.do_wp_page.reuse']['value'], l: Layout, s: State, pfn: number): boolean {
  switch (test) {
    case 'mapcount':
      return frameGet(l, s, pfn, FRAME.MAPCOUNT) + swapPtes(l, s, pfn) === 1;
    case 'refcount':
      return frameGet(l, s, pfn, FRAME.REFCOUNT) === 1;
    default:
      return unreachable(test);
  }
}

/** Swap PTEs that still name this swap-cache page's slot (page_swapcount()). */
function swapPtes(l: Layout, s: State, pfn: number): number {
  if (!(pageFlags(l, s, pfn) & PG.SWAPCACHE)) return 0;
  const slot = frameGet(l, s, pfn, FRAME.INDEX);
  let n = 0;
  for (const p of l.pages) if (get(s, p.pte) & PTE.SWAP && ptePfn(get(s, p.pte)) === slot) n++;
  return n;
}

/** filemap_fault(): the page-cache page of a file block, read from the file if it is not cached. */
function pageCachePage(e: Emit, s: State, store: StoreSlot, index: number, notes: Notes): number {
  const { l } = e;
  if (get(s, store.cache)) return get(s, store.cache);
  const pfn = allocPage(l, s);
  frameSet(l, s, pfn, FRAME.CONTENT, get(s, store.content));
  frameSet(l, s, pfn, FRAME.FLAGS, PG.FILE);
  frameSet(l, s, pfn, FRAME.INDEX, index);
  put(s, store.cache, pfn);
  notes?.push(`read file block into page-cache page ${hex(pfn)}`);
  return pfn;
}

/** The swap-cache page of a swap slot, read from swap if it is not cached. */
function swapCachePage(e: Emit, s: State, slot: StoreSlot, index: number, notes: Notes): number {
  const { l } = e;
  if (get(s, slot.cache)) return get(s, slot.cache);
  const pfn = allocPage(l, s);
  frameSet(l, s, pfn, FRAME.CONTENT, get(s, slot.content));
  frameSet(l, s, pfn, FRAME.FLAGS, PG.SWAPBACKED | PG.SWAPCACHE);
  frameSet(l, s, pfn, FRAME.INDEX, index);
  put(s, slot.cache, pfn);
  notes?.push(`swap_read_folio() into page ${hex(pfn)}`);
  return pfn;
}

/**
 * wp_page_copy() (do_wp_page() before v4.1): copy the page, then swap the PTE to the copy under
 * the PTL. Its notifier calls are era rules: change_pte through set_pte_at_notify(), and from
 * 6bdb913f0a70 an invalidate_range_start/end bracket.
 */
function emitWpPageCopy(e: Emit, pi: number, unlockMmap: (s: State) => void, back: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const oldPfn = e.local(L.OLDPFN);
  const newPfn = e.local(L.NEWPFN);
  const origPte = e.local(L.ORIGPTE);
  const newPte = e.local(L.NEWPTE);
  const finish = asm.label();

  asm.emit({
    fn: 'wp_page_copy',
    does: 'allocate a new page and copy the old one (do_wp_page() holds a reference to it)',
    exec: (s, notes) => {
      const old = get(s, oldPfn);
      const fresh = allocPage(l, s);
      frameSet(l, s, fresh, FRAME.CONTENT, frameGet(l, s, old, FRAME.CONTENT));
      frameSet(l, s, fresh, FRAME.FLAGS, PG.SWAPBACKED);
      put(s, newPfn, fresh);
      notes?.push(`copy of ${hex(old)} in new page ${hex(fresh)}`);
    },
  });
  const freeCopy = () =>
    asm.emit({
      fn: 'wp_page_copy',
      does: 'free the unused copy',
      exec: (s, notes) => putPage(l, s, get(s, newPfn), notes),
    });
  bracket(e, [pi], e.rule('mm.wp_page_copy.bracket'), (abort) => {
    asm.emit({
      fn: 'wp_page_copy',
      does: 'pte_offset_map_lock(); pte_same(); ptep_clear_flush(old); folio_add_new_anon_rmap(new)',
      enabled: (s) => lockFree(s, mm.ptl),
      exec: (s, notes) => {
        if (get(s, pg.pte) !== get(s, origPte)) {
          notes?.push('PTE changed under us: give up');
          return abort.pc;
        }
        put(s, mm.ptl, e.owner);
        put(s, pg.pte, 0);
        frameSet(l, s, get(s, newPfn), FRAME.MAPCOUNT, 1);
        put(s, newPte, (get(s, newPfn) << PTE.SHIFT) | ANON_PTE);
      },
    });
    setPteAtNotify(e, pi, {
      fn: 'set_pte_at',
      does: 'map the new page writable',
      exec: (s) => {
        put(s, pg.pte, get(s, newPte));
      },
    });
    asm.emit({
      fn: 'wp_page_copy',
      does: 'folio_remove_rmap_pte(old); pte_unmap_unlock()',
      exec: (s) => {
        const old = get(s, oldPfn);
        if (!(pageFlags(l, s, old) & PG.ZERO)) frameSet(l, s, old, FRAME.MAPCOUNT, frameGet(l, s, old, FRAME.MAPCOUNT) - 1);
        put(s, mm.ptl, 0);
      },
    });
  }, { before: freeCopy, then: finish });
  asm.emit({
    fn: 'wp_page_copy',
    // The mmap lock is dropped once, by the step after this one (do_wp_page's end).
    does: "put_page(old) for the mapping's reference",
    exec: (s, notes) => {
      const old = get(s, oldPfn);
      if (!(pageFlags(l, s, old) & PG.ZERO)) putPage(l, s, old, notes);
    },
  });

  asm.bind(finish);
  asm.emit({
    fn: 'do_wp_page',
    does: "put_page(old) for do_wp_page's reference; mmap_read_unlock()",
    exec: (s, notes) => {
      if (!(pageFlags(l, s, get(s, oldPfn)) & PG.ZERO)) putPage(l, s, get(s, oldPfn), notes);
      unlockMmap(s);
      clearLocals(e, s, MM_LOCALS);
      return back.pc;
    },
  });
}

/**
 * A user-space load or store by a process thread, through its own page table. A fault goes
 * through handle_mm_fault(); one that would SIGSEGV completes with EFAULT_VALUE.
 */
export function emitUserAccess(e: Emit, pi: number, write: boolean, value: number, reg: number): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const access = asm.label();
  const fault = asm.label();
  const efault = asm.label();
  const done = asm.label();
  asm.bind(access);
  asm.emit({
    fn: write ? 'user store' : 'user load',
    does: `${write ? 'write' : 'read'} ${l.procs[pg.proc]!.name}:${hex(pg.addr)} through the process page table`,
    exec: (s, notes) => {
      const pte = get(s, pg.pte);
      if (!(pte & PTE.PRESENT) || pte & PTE.PROTNONE || (write && !(pte & PTE.WRITE))) {
        notes?.push('page fault');
        return fault.pc;
      }
      const pfn = ptePfn(pte);
      if (write) {
        frameSet(l, s, pfn, FRAME.CONTENT, value);
        folioContentSettled(l, s, pfn); // overwritten, and the dirty PTE accounts for it
        put(s, pg.pte, pte | PTE.DIRTY | PTE.YOUNG);
      } else {
        if (reg >= 0) put(s, reg, frameGet(l, s, pfn, FRAME.CONTENT));
        put(s, pg.pte, pte | PTE.YOUNG);
      }
      return done.pc;
    },
  });
  asm.bind(fault);
  emitHandleMmFault(e, pi, write, access, efault);
  asm.bind(efault);
  asm.emit({
    fn: 'do_user_addr_fault',
    does: `SIGSEGV: the access completes with ${hex(EFAULT_VALUE)}`,
    exec: (s) => {
      if (reg >= 0) put(s, reg, EFAULT_VALUE);
    },
  });
  asm.bind(done);
}
