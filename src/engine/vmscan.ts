// Reclaim (mm/vmscan.c): shrink_folio_list() on one folio, over the reverse map (rmap.ts).
// Its steps are data (step-data.ts).
import type { EraRules } from '../contract/era.js';
import { clearLocalsData, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { unreachable, type Label } from './program.js';
import { DISCARDED, FAILED, LOSES_WRITE, YOUNG, emitTryToUnmapOne, emitYoungTest, findFolio, forEachMapping } from './rmap.js';
import { clearFlag, fieldOf, flagsOf, folioContentSettledData, folioMarkDirtyData, frameAt, getPageData, putPageData, setFlag, storeCacheAt, storeContentAt, violateData } from './prims.js';
import { FRAME, PG } from './state.js';
import { and, assign, bind, bits, goto, not, note, op, or, slot, v, when, write, type Stmt } from './step-data.js';

/**
 * reclaim(P): shrink_folio_list() on the folio mapped at P: isolate and lock it, add an anon
 * page to the swap cache, folio_referenced() (keep it if anyone says young), try_to_unmap(),
 * then pageout() (write it to swap or its file if dirty) and free it, or discard a clean
 * lazyfree page. Folios with extra references stay in the swap/page cache.
 */
export function emitReclaim(e: Emit, pi: number): void {
  const { l, asm } = e;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const done = asm.label();
  const putback = asm.label();
  const candidates = e.related(pi);
  const pfn = v('pfn');
  const lazyfreeDirty = e.ruleRead('mm.lazyfree.dirty');
  findFolio(
    e,
    pi,
    'shrink_folio_list',
    'isolate the folio; if (!folio_trylock()) skip it; add_to_swap() an anon page',
    [
      { when: bits(flagsOf(l, pfn), PG.ZERO), why: 'the zero page is not reclaimed' },
      { when: bits(flagsOf(l, pfn), PG.KSM), why: 'a KSM page is reclaimed through rmap_walk_ksm(): not modelled, skipped' },
      { when: bits(flagsOf(l, pfn), PG.LOCKED), why: 'folio locked: skipped' },
    ],
    done,
    isolate(e, pi, lazyfreeDirty),
  );

  // folio_referenced(): an aging pass over every mapping.
  forEachMapping(e, candidates, (m) => emitYoungTest(e, m, 'clear_flush_young'));
  asm.emit({
    fn: 'shrink_folio_list',
    does: 'folio_check_references(): a young folio is kept (activated)',
    data: () => ({ effect: [when(bits(slot(result), YOUNG), [note('referenced: activated, not reclaimed'), goto(putback)])] }),
  });

  // try_to_unmap()
  forEachMapping(e, candidates, (m) => emitTryToUnmapOne(e, m));
  asm.emit({
    fn: 'shrink_folio_list',
    does: `pageout() a dirty folio to swap or its file; __remove_mapping() and free it${e.lazyfree ? ', or discard it if lazyfree and clean' : ''}`,
    data: () => ({ effect: pageoutAndFree(e, putback, done) }),
  });
  asm.bind(putback);
  asm.emit({
    fn: 'shrink_folio_list',
    does: 'unlock and put back the folio',
    data: () => ({ effect: [bind('pfn', slot(folio)), clearFlag(l, pfn, PG.LOCKED), putPageData(l, pfn), ...clearLocalsData(e, WALK_LOCALS)] }),
  });
  asm.bind(done);
}

/** Isolate and lock the folio found (`pfn`); an anon folio not in the swap cache is added to it, unless the era keeps a lazyfree one out. */
function isolate(e: Emit, pi: number, lazyfreeDirty: { value: EraRules['mm.lazyfree.dirty']['value']; read: Stmt }): Stmt[] {
  const { l } = e;
  const pfn = v('pfn');
  return [
    getPageData(l, pfn), // isolation reference
    setFlag(l, pfn, PG.LOCKED),
    bind('f', flagsOf(l, pfn)),
    bind('lazyfree', not(bits(v('f'), PG.SWAPBACKED | PG.FILE))),
    // Not yet in the swap or page cache: add_to_swap(), unless the era keeps a lazyfree folio out of swap.
    bind('add', not(bits(v('f'), PG.SWAPCACHE | PG.FILE))),
    when(and(v('add'), v('lazyfree')), [lazyfreeDirty.read, ...(lazyfreeToSwap(lazyfreeDirty.value) ? [] : [assign('add', 0)])]),
    // add_to_swap(): the folio takes the swap slot of its page and is marked dirty (a lazyfree
    // one is left clean: its PTE says whether it was written again).
    when(v('add'), [
      write(frameAt(l, pfn, FRAME.INDEX), l.pages[pi]!.store),
      write(l.stores[l.pages[pi]!.store]!.cache, pfn),
      getPageData(l, pfn),
      setFlag(l, pfn, PG.SWAPCACHE),
      when(not(v('lazyfree')), [folioMarkDirtyData(l, pfn)]),
    ]),
  ];
}

/**
 * After try_to_unmap(): a folio still mapped goes back; a discarded lazyfree one is freed
 * (a lost-write harm if it held a guest write); a dirty one is written out (pageout()); then
 * __remove_mapping() frees it unless someone else holds a reference.
 */
function pageoutAndFree(e: Emit, putback: Label, done: Label): Stmt[] {
  const { l } = e;
  const result = e.local(L.RESULT);
  const pfn = v('pfn');
  const index = fieldOf(l, pfn, FRAME.INDEX);
  return [
    bind('pfn', slot(e.local(L.OLDPFN))),
    when(or(bits(slot(result), FAILED), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '>', 0)), [note('still mapped: put back'), goto(putback)]),
    bind('f', flagsOf(l, pfn)),
    when(bits(slot(result), DISCARDED), [
      when(bits(slot(result), LOSES_WRITE), violateData(l, 'lost-write', ['lazyfree folio ', { hex: pfn }, ' discarded holding a guest write'])),
      clearFlag(l, pfn, PG.LOCKED),
      when(bits(v('f'), PG.SWAPCACHE), [
        // Added to swap clean (before v4.12): the slot is freed with the page.
        write(storeCacheAt(l, index), 0),
        clearFlag(l, pfn, PG.SWAPCACHE),
        putPageData(l, pfn),
      ]),
      putPageData(l, pfn),
      ...clearLocalsData(e, WALK_LOCALS),
      goto(done),
    ]),
    bind('index', index),
    when(bits(v('f'), PG.DIRTY), [
      write(storeContentAt(l, v('index')), fieldOf(l, pfn, FRAME.CONTENT)),
      clearFlag(l, pfn, PG.DIRTY),
      folioContentSettledData(l, pfn),
      when(bits(v('f'), PG.FILE), [note('pageout(): written to the file')], [note('pageout(): written to swap')]),
    ]),
    // __remove_mapping(): only if the swap/page cache and we hold the last references.
    when(op(fieldOf(l, pfn, FRAME.REFCOUNT), '!==', 2), [note('extra reference: stays in the cache'), goto(putback)]),
    when(bits(flagsOf(l, pfn), PG.GUEST_WROTE), violateData(l, 'lost-write', ['clean folio ', { hex: pfn }, ' dropped with a guest write the primary MMU never saw'])),
    write(storeCacheAt(l, v('index')), 0),
    clearFlag(l, pfn, PG.SWAPCACHE | PG.LOCKED),
    putPageData(l, pfn),
    putPageData(l, pfn),
    ...clearLocalsData(e, WALK_LOCALS),
    goto(done),
  ];
}

/**
 * A lazyfree page is !PageSwapBacked (802a3a92ad7a, v4.12) and skips add_to_swap(); before that
 * it was an anon page like any other, added to swap clean so that try_to_unmap_one() could drop it.
 */
function lazyfreeToSwap(rule: EraRules['mm.lazyfree.dirty']['value']): boolean {
  switch (rule) {
    case 'swap-out':
      return true;
    case 'restore-pte':
      return false;
    default:
      return unreachable(rule);
  }
}
