// Reclaim (mm/vmscan.c): shrink_folio_list() on one folio, over the reverse map (rmap.ts).
import type { EraRules } from '../contract/era.js';
import { hex } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { unreachable } from './program.js';
import { DISCARDED, FAILED, LOSES_WRITE, YOUNG, emitTryToUnmapOne, emitYoungTest, findFolio, forEachMapping } from './rmap.js';
import { clearPageFlag, flagsOf, folioContentSettled, folioMarkDirtyData, frameAt, frameGet, getPageData, pageFlags, putPage, setFlag, violate } from './prims.js';
import { FRAME, PG, put, get } from './state.js';
import { and, bind, bits, not, v, when, write } from './step-data.js';

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
  const store = l.stores[l.pages[pi]!.store]!;

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
    [
      getPageData(l, pfn), // isolation reference
      setFlag(l, pfn, PG.LOCKED),
      bind('f', flagsOf(l, pfn)),
      bind('lazyfree', not(bits(v('f'), PG.SWAPBACKED | PG.FILE))),
      // Not yet in the swap or page cache: add_to_swap(), unless the era keeps a lazyfree folio out of swap.
      bind('add', not(bits(v('f'), PG.SWAPCACHE | PG.FILE))),
      when(and(v('add'), v('lazyfree')), [lazyfreeDirty.read, ...(lazyfreeToSwap(lazyfreeDirty.value) ? [] : [{ set: 'add', v: 0 }])]),
      // add_to_swap(): the folio takes the swap slot of its page and is marked dirty (a lazyfree
      // one is left clean: its PTE says whether it was written again).
      when(v('add'), [
        write(frameAt(l, pfn, FRAME.INDEX), l.pages[pi]!.store),
        write(store.cache, pfn),
        getPageData(l, pfn),
        setFlag(l, pfn, PG.SWAPCACHE),
        when(not(v('lazyfree')), [folioMarkDirtyData(l, pfn)]),
      ]),
    ],
  );

  // folio_referenced(): an aging pass over every mapping.
  forEachMapping(e, candidates, (m) => emitYoungTest(e, m, 'clear_flush_young'));
  asm.emit({
    fn: 'shrink_folio_list',
    does: 'folio_check_references(): a young folio is kept (activated)',
    exec: (s, notes) => {
      if (get(s, result) & YOUNG) {
        notes?.push('referenced: activated, not reclaimed');
        return putback.pc;
      }
    },
  });

  // try_to_unmap()
  forEachMapping(e, candidates, (m) => emitTryToUnmapOne(e, m));
  asm.emit({
    fn: 'shrink_folio_list',
    does: `pageout() a dirty folio to swap or its file; __remove_mapping() and free it${e.lazyfree ? ', or discard it if lazyfree and clean' : ''}`,
    exec: (s, notes) => {
      const pfn = get(s, folio);
      if (get(s, result) & FAILED || frameGet(l, s, pfn, FRAME.MAPCOUNT) > 0) {
        notes?.push('still mapped: put back');
        return putback.pc;
      }
      const f = pageFlags(l, s, pfn);
      if (get(s, result) & DISCARDED) {
        if (get(s, result) & LOSES_WRITE) violate(l, s, 'lost-write', notes, `lazyfree folio ${hex(pfn)} discarded holding a guest write`);
        clearPageFlag(l, s, pfn, PG.LOCKED);
        if (f & PG.SWAPCACHE) {
          // Added to swap clean (before v4.12): the slot is freed with the page.
          put(s, l.stores[frameGet(l, s, pfn, FRAME.INDEX)]!.cache, 0);
          clearPageFlag(l, s, pfn, PG.SWAPCACHE);
          putPage(l, s, pfn, notes);
        }
        putPage(l, s, pfn, notes);
        clearLocals(e, s, WALK_LOCALS);
        return done.pc;
      }
      const index = frameGet(l, s, pfn, FRAME.INDEX);
      const slot = l.stores[index]!;
      if (f & PG.DIRTY) {
        put(s, slot.content, frameGet(l, s, pfn, FRAME.CONTENT));
        clearPageFlag(l, s, pfn, PG.DIRTY);
        folioContentSettled(l, s, pfn);
        notes?.push(`pageout(): written to ${f & PG.FILE ? 'the file' : 'swap'}`);
      }
      // __remove_mapping(): only if the swap/page cache and we hold the last references.
      if (frameGet(l, s, pfn, FRAME.REFCOUNT) !== 2) {
        notes?.push('extra reference: stays in the cache');
        return putback.pc;
      }
      if (pageFlags(l, s, pfn) & PG.GUEST_WROTE) {
        violate(l, s, 'lost-write', notes, `clean folio ${hex(pfn)} dropped with a guest write the primary MMU never saw`);
      }
      put(s, slot.cache, 0);
      clearPageFlag(l, s, pfn, PG.SWAPCACHE | PG.LOCKED);
      putPage(l, s, pfn, notes);
      putPage(l, s, pfn, notes);
      clearLocals(e, s, WALK_LOCALS);
      return done.pc;
    },
  });
  asm.bind(putback);
  asm.emit({
    fn: 'shrink_folio_list',
    does: 'unlock and put back the folio',
    exec: (s, notes) => {
      clearPageFlag(l, s, get(s, folio), PG.LOCKED);
      putPage(l, s, get(s, folio), notes);
      clearLocals(e, s, WALK_LOCALS);
    },
  });
  asm.bind(done);
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
