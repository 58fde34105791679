// ksmd merging two identical anonymous pages (mm/ksm.c): cmp_and_merge_page() ->
// try_to_merge_two_pages(): the scanned page becomes the KSM page (write_protect_page()), then
// the unstable-tree page is write-protected and replaced by it (write_protect_page() +
// replace_page()). Which notifiers fire, and in what order, are era rules.
import { hex } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { L, MM_LOCALS } from './layout.js';
import { bracket, setPteAtNotify } from './notifier.js';
import type { Label } from './program.js';
import { clearPageFlag, frameGet, frameSet, getPage, lockFree, notWriteLocked, pageFlags, putPage, setPageFlag } from './prims.js';
import { FRAME, PG, PTE, ptePfn, type State, put, get } from './state.js';

/** ksm_merge(keep, replace): `keep` is the page ksmd scans (it becomes the KSM page), `replace` the tree page. */
export function emitKsmMerge(e: Emit, keep: number, replace: number): void {
  const { l, asm } = e;
  const kpage = e.local(L.NEWPFN);
  const page = e.local(L.OLDPFN);
  const done = asm.label();
  const dropRefs = asm.label();

  asm.emit({
    fn: 'cmp_and_merge_page',
    does: 'folio_walk_start() both pages; memcmp_pages() finds them identical',
    exec: (s, notes) => {
      const a = get(s, l.pages[keep]!.pte);
      const b = get(s, l.pages[replace]!.pte);
      if (!(a & PTE.PRESENT) || !(b & PTE.PRESENT)) {
        notes?.push('a page is not present: nothing to merge');
        return done.pc;
      }
      const pa = ptePfn(a);
      const pb = ptePfn(b);
      if (pa === pb || pageFlags(l, s, pa) & PG.ZERO || pageFlags(l, s, pb) & PG.ZERO) {
        notes?.push('already the same page: nothing to merge');
        return done.pc;
      }
      if (frameGet(l, s, pa, FRAME.CONTENT) !== frameGet(l, s, pb, FRAME.CONTENT)) {
        notes?.push('contents differ: not merged');
        return done.pc;
      }
      getPage(l, s, pa);
      getPage(l, s, pb);
      put(s, kpage, pa);
      put(s, page, pb);
    },
  });

  // try_to_merge_with_ksm_page(rmap_item, page, NULL): the scanned page becomes the KSM page.
  emitTryToMergeOnePage(e, keep, kpage, null, dropRefs);
  // try_to_merge_with_ksm_page(tree_rmap_item, tree_page, kpage): replace the tree page.
  emitTryToMergeOnePage(e, replace, page, kpage, dropRefs);

  asm.bind(dropRefs);
  asm.emit({
    fn: 'cmp_and_merge_page',
    does: 'put_page() both pages',
    exec: (s, notes) => {
      putPage(l, s, get(s, kpage), notes);
      putPage(l, s, get(s, page), notes);
      clearLocals(e, s, MM_LOCALS);
    },
  });
  asm.bind(done);
}

/**
 * try_to_merge_one_page(vma, page, kpage) under mmap_read_lock() and the folio lock:
 * write_protect_page(); then either make `page` the KSM page (kpage == NULL) or, if the pages
 * are still identical, replace_page(page -> kpage).
 */
function emitTryToMergeOnePage(e: Emit, pi: number, pageSlot: number, kpageSlot: number | null, fail: Label): void {
  const { l, asm } = e;
  const mm = l.procs[l.pages[pi]!.proc]!;
  const unlockAll = (s: State) => {
    clearPageFlag(l, s, get(s, pageSlot), PG.LOCKED);
    put(s, mm.mmapLock, get(s, mm.mmapLock) + 1);
  };
  const out = asm.label();

  asm.emit({
    fn: 'try_to_merge_one_page',
    does: 'mmap_read_lock(); folio_trylock(folio)',
    enabled: (s) => notWriteLocked(s, mm.mmapLock),
    exec: (s, notes) => {
      if (pageFlags(l, s, get(s, pageSlot)) & PG.LOCKED) {
        notes?.push('page locked: -EBUSY');
        return fail.pc;
      }
      put(s, mm.mmapLock, get(s, mm.mmapLock) - 1);
      setPageFlag(l, s, get(s, pageSlot), PG.LOCKED);
    },
  });
  emitWriteProtectPage(e, pi, pageSlot, out);
  if (kpageSlot === null) {
    asm.emit({
      fn: 'try_to_merge_one_page',
      does: 'folio_set_stable_node(); folio_mark_accessed(folio); folio_mark_dirty(folio) so the KSM page is swapped, not dropped',
      exec: (s) => {
        const pfn = get(s, pageSlot);
        setPageFlag(l, s, pfn, PG.KSM | PG.DIRTY | PG.REFERENCED);
        unlockAll(s);
      },
    });
  } else {
    asm.emit({
      fn: 'try_to_merge_one_page',
      does: 'pages_identical(page, kpage)',
      exec: (s, notes) => {
        if (frameGet(l, s, get(s, pageSlot), FRAME.CONTENT) !== frameGet(l, s, get(s, kpageSlot), FRAME.CONTENT)) {
          notes?.push('page changed since the scan: not merged');
          return out.pc;
        }
      },
    });
    emitReplacePage(e, pi, pageSlot, kpageSlot, out);
    asm.emit({
      fn: 'try_to_merge_one_page',
      does: 'folio_unlock(folio); mmap_read_unlock()',
      exec: (s) => unlockAll(s),
    });
  }
  const next = asm.label();
  asm.jump(next);
  asm.bind(out);
  asm.emit({
    fn: 'try_to_merge_one_page',
    does: 'merge failed: folio_unlock(folio); mmap_read_unlock()',
    exec: (s) => {
      unlockAll(s);
      return fail.pc;
    },
  });
  asm.bind(next);
}

/**
 * write_protect_page(): clear the PTE and flush (so no GUP can start), check that nobody but
 * KSM holds an extra reference (O_DIRECT), then map the page read-only and clean.
 */
function emitWriteProtectPage(e: Emit, pi: number, pageSlot: number, fail: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const newPte = e.local(L.NEWPTE);
  const origPte = e.local(L.ORIGPTE);
  bracket(e, [pi], e.rule('mm.ksm.bracket'), (failed) => {
    const unlock = asm.label();
    asm.emit({
      fn: 'write_protect_page',
      does: 'page_vma_mapped_walk() takes the PTL; ptep_clear_flush(page); mapcount + 1 == refcount?',
      enabled: (s) => lockFree(s, mm.ptl),
      exec: (s, notes) => {
        const pfn = get(s, pageSlot);
        const pte = get(s, pg.pte);
        if (!(pte & PTE.PRESENT) || ptePfn(pte) !== pfn) {
          notes?.push('page no longer mapped here: -EFAULT');
          return failed.pc;
        }
        put(s, mm.ptl, e.owner);
        if (!(pte & (PTE.WRITE | PTE.DIRTY))) {
          put(s, origPte, pte);
          return unlock.pc; // already read-only and clean
        }
        put(s, pg.pte, 0); // ptep_clear_flush(): "no need to notify as we are downgrading to read only"
        // page_mapcount + 1 (KSM's own reference) + swapped (the swap cache's) == page_count.
        const swapped = pageFlags(l, s, pfn) & PG.SWAPCACHE ? 1 : 0;
        if (frameGet(l, s, pfn, FRAME.MAPCOUNT) + 1 + swapped !== frameGet(l, s, pfn, FRAME.REFCOUNT)) {
          put(s, pg.pte, pte);
          put(s, mm.ptl, 0);
          notes?.push('extra reference (GUP/O_DIRECT in flight): -EFAULT');
          return failed.pc;
        }
        if (pte & PTE.DIRTY) setPageFlag(l, s, pfn, PG.DIRTY); // set_page_dirty() before pte_mkclean()
        put(s, newPte, pte & ~(PTE.WRITE | PTE.DIRTY));
      },
    });
    setPteAtNotify(e, pi, {
      fn: 'set_pte_at',
      does: 'map the page read-only and clean',
      exec: (s) => {
        put(s, pg.pte, get(s, newPte));
        put(s, origPte, get(s, newPte));
      },
    });
    asm.bind(unlock);
    asm.emit({
      fn: 'write_protect_page',
      does: 'pte_unmap_unlock()',
      exec: (s) => {
        put(s, mm.ptl, 0);
        put(s, newPte, 0);
      },
    });
  }, { then: fail });
}

/** replace_page(): under the PTL, if the PTE is still orig_pte, map kpage read-only in its place. */
function emitReplacePage(e: Emit, pi: number, pageSlot: number, kpageSlot: number, fail: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const newPte = e.local(L.NEWPTE);
  const origPte = e.local(L.ORIGPTE);
  bracket(e, [pi], e.rule('mm.ksm.bracket'), (failed) => {
    asm.emit({
      fn: 'replace_page',
      does: 'pte_offset_map_lock(); pte_same(); get_page(kpage); folio_add_anon_rmap_pte(kpage); ptep_clear_flush(page)',
      enabled: (s) => lockFree(s, mm.ptl),
      exec: (s, notes) => {
        if (get(s, pg.pte) !== get(s, origPte)) {
          notes?.push('pte changed since write_protect_page: -EFAULT');
          return failed.pc;
        }
        const k = get(s, kpageSlot);
        put(s, mm.ptl, e.owner);
        getPage(l, s, k);
        frameSet(l, s, k, FRAME.MAPCOUNT, frameGet(l, s, k, FRAME.MAPCOUNT) + 1);
        put(s, pg.pte, 0);
        // mk_pte(kpage, vma->vm_page_prot): a private mapping's vm_page_prot is read-only.
        put(s, newPte, (k << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG);
        notes?.push(`${l.procs[pg.proc]!.name}:${hex(pg.addr)} -> KSM page ${hex(k)}`);
      },
    });
    setPteAtNotify(e, pi, {
      fn: 'set_pte_at',
      does: 'map the KSM page read-only',
      exec: (s) => {
        put(s, pg.pte, get(s, newPte));
      },
    });
    asm.emit({
      fn: 'replace_page',
      does: 'folio_remove_rmap_pte(page); put_page(page); pte_unmap_unlock()',
      exec: (s, notes) => {
        const p = get(s, pageSlot);
        frameSet(l, s, p, FRAME.MAPCOUNT, frameGet(l, s, p, FRAME.MAPCOUNT) - 1);
        putPage(l, s, p, notes);
        put(s, mm.ptl, 0);
        put(s, newPte, 0);
        put(s, origPte, 0);
      },
    });
  }, { then: fail });
}
