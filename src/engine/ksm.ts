// ksmd merging two identical anonymous pages (mm/ksm.c): cmp_and_merge_page() ->
// try_to_merge_two_pages(): the scanned page becomes the KSM page (write_protect_page()), then
// the unstable-tree page is write-protected and replaced by it (write_protect_page() +
// replace_page()). Which notifiers fire, and in what order, are era rules. Its steps are data
// (step-data.ts).
import { hex } from '../contract/output.js';
import { clearLocalsData, type Emit } from './emit.js';
import { L, MM_LOCALS } from './layout.js';
import { bracket, setPteAtNotify, tlbFlushed } from './notifier.js';
import type { Label } from './program.js';
import { clearFlag, fieldOf, flagsOf, frameAt, getPageData, lockFree, notWriteLocked, putPageData, setFlag } from './prims.js';
import { FRAME, PG, PTE } from './state.js';
import { bind, bits, cond, eq, goto, not, note, op, or, slot, v, when, write, type Stmt } from './step-data.js';

/** ksm_merge(keep, replace): `keep` is the page ksmd scans (it becomes the KSM page), `replace` the tree page. */
export function emitKsmMerge(e: Emit, keep: number, replace: number): void {
  const { l, asm } = e;
  const kpage = e.local(L.NEWPFN);
  const page = e.local(L.OLDPFN);
  const done = asm.label();
  const dropRefs = asm.label();
  const a = v('a');
  const b = v('b');
  const pa = v('pa');
  const pb = v('pb');

  asm.emit({
    fn: 'cmp_and_merge_page',
    does: 'folio_walk_start() both pages; memcmp_pages() finds them identical',
    data: () => ({
      effect: [
        bind('a', slot(l.pages[keep]!.pte)),
        bind('b', slot(l.pages[replace]!.pte)),
        when(or(not(bits(a, PTE.PRESENT)), not(bits(b, PTE.PRESENT))), [note('a page is not present: nothing to merge'), goto(done)]),
        bind('pa', op(a, '>>>', PTE.SHIFT)),
        bind('pb', op(b, '>>>', PTE.SHIFT)),
        when(or(eq(pa, pb), bits(flagsOf(l, pa), PG.ZERO), bits(flagsOf(l, pb), PG.ZERO)), [note('already the same page: nothing to merge'), goto(done)]),
        when(op(fieldOf(l, pa, FRAME.CONTENT), '!==', fieldOf(l, pb, FRAME.CONTENT)), [note('contents differ: not merged'), goto(done)]),
        getPageData(l, pa),
        getPageData(l, pb),
        write(kpage, pa),
        write(page, pb),
      ],
    }),
  });

  // try_to_merge_with_ksm_page(rmap_item, page, NULL): the scanned page becomes the KSM page.
  emitTryToMergeOnePage(e, keep, kpage, null, dropRefs);
  // try_to_merge_with_ksm_page(tree_rmap_item, tree_page, kpage): replace the tree page.
  emitTryToMergeOnePage(e, replace, page, kpage, dropRefs);

  asm.bind(dropRefs);
  asm.emit({
    fn: 'cmp_and_merge_page',
    does: 'put_page() both pages',
    data: () => ({ effect: [putPageData(l, slot(kpage)), putPageData(l, slot(page)), ...clearLocalsData(e, MM_LOCALS)] }),
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
  const folio = slot(pageSlot);
  const unlockAll: Stmt[] = [clearFlag(l, folio, PG.LOCKED), write(mm.mmapLock, op(slot(mm.mmapLock), '+', 1))];
  const out = asm.label();

  asm.emit({
    fn: 'try_to_merge_one_page',
    does: 'mmap_read_lock(); folio_trylock(folio)',
    data: () => ({
      guard: notWriteLocked(mm.mmapLock),
      effect: [
        when(bits(flagsOf(l, folio), PG.LOCKED), [note('page locked: -EBUSY'), goto(fail)]),
        write(mm.mmapLock, op(slot(mm.mmapLock), '-', 1)),
        setFlag(l, folio, PG.LOCKED),
      ],
    }),
  });
  emitWriteProtectPage(e, pi, pageSlot, out);
  if (kpageSlot === null) {
    asm.emit({
      fn: 'try_to_merge_one_page',
      does: 'folio_set_stable_node(); folio_mark_accessed(folio); folio_mark_dirty(folio) so the KSM page is swapped, not dropped',
      data: () => ({ effect: [setFlag(l, folio, PG.KSM | PG.DIRTY | PG.REFERENCED), ...unlockAll] }),
    });
  } else {
    asm.emit({
      fn: 'try_to_merge_one_page',
      does: 'pages_identical(page, kpage)',
      data: () => ({ effect: [when(op(fieldOf(l, folio, FRAME.CONTENT), '!==', fieldOf(l, slot(kpageSlot), FRAME.CONTENT)), [note('page changed since the scan: not merged'), goto(out)])] }),
    });
    emitReplacePage(e, pi, pageSlot, kpageSlot, out);
    asm.emit({ fn: 'try_to_merge_one_page', does: 'folio_unlock(folio); mmap_read_unlock()', data: () => ({ effect: unlockAll }) });
  }
  const next = asm.label();
  asm.jump(next);
  asm.bind(out);
  asm.emit({ fn: 'try_to_merge_one_page', does: 'merge failed: folio_unlock(folio); mmap_read_unlock()', data: () => ({ effect: [...unlockAll, goto(fail)] }) });
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
  const pfn = v('pfn');
  const pte = v('pte');
  bracket(
    e,
    [pi],
    e.rule('mm.ksm.bracket'),
    (failed) => {
      const unlock = asm.label();
      asm.emit({
        fn: 'write_protect_page',
        does: 'page_vma_mapped_walk() takes the PTL; ptep_clear_flush(page); mapcount + 1 == refcount?',
        data: () => ({
          guard: lockFree(mm.ptl),
          effect: [
            bind('pfn', slot(pageSlot)),
            bind('pte', slot(pg.pte)),
            when(or(not(bits(pte, PTE.PRESENT)), op(op(pte, '>>>', PTE.SHIFT), '!==', pfn)), [note('page no longer mapped here: -EFAULT'), goto(failed)]),
            write(mm.ptl, e.owner),
            when(not(bits(pte, PTE.WRITE | PTE.DIRTY)), [write(origPte, pte), goto(unlock)]), // already read-only and clean
            write(pg.pte, 0), // ptep_clear_flush(): "no need to notify as we are downgrading to read only"
            // page_mapcount + 1 (KSM's own reference) + swapped (the swap cache's) == page_count.
            bind('swapped', cond(bits(flagsOf(l, pfn), PG.SWAPCACHE), 1, 0)),
            when(op(op(op(fieldOf(l, pfn, FRAME.MAPCOUNT), '+', 1), '+', v('swapped')), '!==', fieldOf(l, pfn, FRAME.REFCOUNT)), [
              write(pg.pte, pte),
              write(mm.ptl, 0),
              note('extra reference (GUP/O_DIRECT in flight): -EFAULT'),
              goto(failed),
            ]),
            when(bits(pte, PTE.DIRTY), [setFlag(l, pfn, PG.DIRTY)]), // set_page_dirty() before pte_mkclean()
            write(newPte, op(pte, '&', ~(PTE.WRITE | PTE.DIRTY))),
          ],
        }),
      });
      // ptep_clear_flush_notify() until v4.14, the architecture's flush from v6.6: a device TLB
      // hears of the cleared PTE here, under the PTL (the model notifies only when the PTE was
      // cleared and the page kept: the kernel had notified before its refcount test too).
      tlbFlushed(e, [pi], ['ksm'], 'page');
      setPteAtNotify(e, pi, { fn: 'set_pte_at', does: 'map the page read-only and clean', data: () => ({ effect: [write(pg.pte, slot(newPte)), write(origPte, slot(newPte))] }) });
      asm.bind(unlock);
      asm.emit({ fn: 'write_protect_page', does: 'pte_unmap_unlock()', data: () => ({ effect: [write(mm.ptl, 0), write(newPte, 0)] }) });
    },
    { then: fail },
  );
}

/** replace_page(): under the PTL, if the PTE is still orig_pte, map kpage read-only in its place. */
function emitReplacePage(e: Emit, pi: number, pageSlot: number, kpageSlot: number, fail: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const newPte = e.local(L.NEWPTE);
  const origPte = e.local(L.ORIGPTE);
  const k = v('k');
  const p = v('p');
  bracket(
    e,
    [pi],
    e.rule('mm.ksm.bracket'),
    (failed) => {
      asm.emit({
        fn: 'replace_page',
        does: 'pte_offset_map_lock(); pte_same(); get_page(kpage); folio_add_anon_rmap_pte(kpage); ptep_clear_flush(page)',
        data: () => ({
          guard: lockFree(mm.ptl),
          effect: [
            when(op(slot(pg.pte), '!==', slot(origPte)), [note('pte changed since write_protect_page: -EFAULT'), goto(failed)]),
            bind('k', slot(kpageSlot)),
            write(mm.ptl, e.owner),
            getPageData(l, k),
            write(frameAt(l, k, FRAME.MAPCOUNT), op(fieldOf(l, k, FRAME.MAPCOUNT), '+', 1)),
            write(pg.pte, 0),
            // mk_pte(kpage, vma->vm_page_prot): a private mapping's vm_page_prot is read-only.
            write(newPte, op(op(k, '<<', PTE.SHIFT), '|', PTE.PRESENT | PTE.YOUNG)),
            note(`${l.procs[pg.proc]!.name}:${hex(pg.addr)} -> KSM page `, { hex: k }),
          ],
        }),
      });
      tlbFlushed(e, [pi], ['ksm'], 'page');
      setPteAtNotify(e, pi, { fn: 'set_pte_at', does: 'map the KSM page read-only', data: () => ({ effect: [write(pg.pte, slot(newPte))] }) });
      asm.emit({
        fn: 'replace_page',
        does: 'folio_remove_rmap_pte(page); put_page(page); pte_unmap_unlock()',
        data: () => ({
          effect: [
            bind('p', slot(pageSlot)),
            write(frameAt(l, p, FRAME.MAPCOUNT), op(fieldOf(l, p, FRAME.MAPCOUNT), '-', 1)),
            putPageData(l, p),
            write(mm.ptl, 0),
            write(newPte, 0),
            write(origPte, 0),
          ],
        }),
      });
    },
    { then: fail },
  );
}
