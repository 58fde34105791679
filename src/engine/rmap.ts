// Operations that walk the reverse map of one folio and act on every PTE mapping it
// (mm/rmap.c, mm/vmscan.c, mm/migrate.c, mm/page-writeback.c): reclaim, migration, aging,
// writeback. How each walk tells secondary MMUs is an era rule.
import type { UnmapNotify } from '../era.js';
import { clearLocals, type Emit } from './emit.js';
import type { AgeCallback } from './kvm.js';
import { L, WALK_LOCALS } from './layout.js';
import { age, invalidatePage, invalidateRangeEnd, invalidateRangeStart } from './notifier.js';
import type { Label, StepSpec } from './program.js';
import {
  allocPage,
  clearPageFlag,
  folioContentSettled,
  folioMarkDirty,
  frameGet,
  frameSet,
  getPage,
  lockFree,
  pageFlags,
  putPage,
  setPageFlag,
  violate,
} from './prims.js';
import { FRAME, PG, PTE, hex, ptePfn, type State } from './state.js';

/** L.RESULT bits. */
const YOUNG = 1;
const FAILED = 2;
const DISCARDED = 4;
const CLEANED = 8;
const LOSES_WRITE = 16;
const SKIP_NOTIFY = 32;

const mapsFolio = (s: State, pte: number, pfn: number) => (s[pte]! & PTE.PRESENT) !== 0 && ptePfn(s[pte]!) === pfn;

/**
 * The rmap walk: `body` for every page slot that may map the folio in L.OLDPFN. With more than
 * one candidate, a step asks whether this one maps it (rmap_walk only visits vmas that do).
 */
function forEachMapping(e: Emit, candidates: number[], body: (pi: number) => void): void {
  const { l, asm } = e;
  const folio = e.local(L.OLDPFN);
  for (const pi of candidates) {
    const skip = asm.label();
    const pg = l.pages[pi]!;
    if (candidates.length > 1) {
      asm.emit({
        fn: 'rmap_walk',
        does: `does ${l.procs[pg.proc]!.name}:${hex(pg.addr)} map the folio?`,
        exec: (s) => (mapsFolio(s, pg.pte, s[folio]!) ? undefined : skip.pc),
      });
    }
    body(pi);
    asm.bind(skip);
  }
}

/**
 * The first step of an operation on the folio mapped at page `pi`: find it, or stop. Puts its
 * pfn in L.OLDPFN and clears L.RESULT.
 */
function findFolio(e: Emit, pi: number, fn: string, does: string, accept: (s: State, pfn: number) => string | null, done: Label, extra?: (s: State, pfn: number) => void): void {
  const { l } = e;
  const pg = l.pages[pi]!;
  e.asm.emit({
    fn,
    does,
    exec: (s, notes) => {
      const pte = s[pg.pte]!;
      if (!(pte & PTE.PRESENT)) {
        notes?.push('the page is not mapped: nothing to do');
        return done.pc;
      }
      const pfn = ptePfn(pte);
      const why = accept(s, pfn);
      if (why) {
        notes?.push(why);
        return done.pc;
      }
      s[e.local(L.OLDPFN)] = pfn;
      s[e.local(L.RESULT)] = 0;
      extra?.(s, pfn);
    },
  });
}

/**
 * One PTE change of an rmap walk under the PTL, and the .invalidate_page the era's style puts
 * with it: under the PTL right after the flush, or after the PTL is dropped. (A `range` style
 * is bracketed by the caller, around everything the walk does for this mapping.) `change`
 * runs under the PTL and may give up (GIVE_UP: nothing changed, the PTL is not taken); `after`
 * completes the PTE work before the PTL is dropped.
 */
function emitPteChange(e: Emit, pi: number, style: UnmapNotify, change: StepSpec, after?: StepSpec): void {
  const { l, asm } = e;
  const mm = l.procs[l.pages[pi]!.proc]!;
  const result = e.local(L.RESULT);
  const unlock = asm.label();
  const end = asm.label();
  asm.emit({
    ...change,
    enabled: (s) => lockFree(s, mm.ptl),
    exec: (s, notes) => {
      const r = change.exec(s, notes);
      if (r === GIVE_UP) return end.pc;
      s[mm.ptl] = e.owner;
      // Nothing changed (a clean PTE, a restored lazyfree PTE): no .invalidate_page, as the
      // kernel calls it only `if (ret)` (page_mkclean_one) or `ret != SWAP_FAIL` (try_to_unmap_one).
      if (r === NO_NOTIFY) {
        s[result] = s[result]! | SKIP_NOTIFY;
        return unlock.pc;
      }
    },
  });
  if (style === 'invalidate_page-under-ptl') invalidatePage(e, pi);
  asm.bind(unlock);
  asm.emit({
    fn: after?.fn ?? change.fn,
    does: `${after ? `${after.does}; ` : ''}pte_unmap_unlock()`,
    exec: (s, notes) => {
      after?.exec(s, notes);
      s[mm.ptl] = 0;
      if (s[result]! & SKIP_NOTIFY) {
        s[result] = s[result]! & ~SKIP_NOTIFY;
        return end.pc;
      }
    },
  });
  if (style === 'invalidate_page-after-unlock') invalidatePage(e, pi);
  asm.bind(end);
}

/** An rmap-walk step for one mapping, inside invalidate_range_start/end when the style says so. */
function bracketed(e: Emit, pi: number, style: UnmapNotify, body: () => void): void {
  if (style === 'range') invalidateRangeStart(e, [pi]);
  body();
  if (style === 'range') invalidateRangeEnd(e, [pi]);
}

/** Return values of a `change` step: give up without taking the PTL; or took it, changed nothing. */
const GIVE_UP = -1;
const NO_NOTIFY = -2;

/**
 * The young test of an rmap walk: ptep_clear_flush_young() (or _clear_young / pte_young) on
 * the host PTE under the PTL, then the secondary MMUs' answer (ptep_clear_flush_young_notify
 * and friends). Both are ORed into L.RESULT.
 */
function emitYoungTest(e: Emit, pi: number, cb: AgeCallback): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const skip = asm.label();
  const hostFn = { clear_flush_young: 'ptep_clear_flush_young', clear_young: 'ptep_clear_young', test_young: 'pte_young' }[cb];
  asm.emit({
    fn: hostFn,
    does: cb === 'test_young' ? 'is the host PTE young?' : 'test and clear the host PTE young bit, under the PTL',
    enabled: (s) => lockFree(s, mm.ptl),
    exec: (s) => {
      if (!mapsFolio(s, pg.pte, s[folio]!)) return skip.pc;
      if (s[pg.pte]! & PTE.YOUNG) {
        s[result] = s[result]! | YOUNG;
        if (cb !== 'test_young') s[pg.pte] = s[pg.pte]! & ~PTE.YOUNG;
      }
    },
  });
  age(e, pi, cb);
  asm.bind(skip);
}

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

  findFolio(
    e,
    pi,
    'shrink_folio_list',
    'isolate the folio, trylock it; add_to_swap() an anon page',
    (s, pfn) => {
      const f = pageFlags(l, s, pfn);
      if (f & PG.ZERO) return 'the zero page is not reclaimed';
      if (f & PG.KSM) return 'a KSM page is reclaimed through rmap_walk_ksm(): not modelled, skipped';
      if (f & PG.LOCKED) return 'folio locked: skipped';
      return null;
    },
    done,
    (s, pfn) => {
      getPage(l, s, pfn); // isolation reference
      setPageFlag(l, s, pfn, PG.LOCKED);
      const f = pageFlags(l, s, pfn);
      if (f & PG.SWAPBACKED && !(f & PG.SWAPCACHE)) {
        // add_to_swap(): the folio takes the swap slot of its page and is marked dirty.
        const slot = l.pages[pi]!.store;
        frameSet(l, s, pfn, FRAME.INDEX, slot);
        s[store.cache] = pfn;
        getPage(l, s, pfn);
        setPageFlag(l, s, pfn, PG.SWAPCACHE);
        folioMarkDirty(l, s, pfn);
      }
    },
  );

  // folio_referenced(): an aging pass over every mapping.
  forEachMapping(e, candidates, (m) => emitYoungTest(e, m, 'clear_flush_young'));
  asm.emit({
    fn: 'shrink_folio_list',
    does: 'folio_check_references(): a young folio is kept (activated)',
    exec: (s, notes) => {
      if (s[result]! & YOUNG) {
        notes?.push('referenced: activated, not reclaimed');
        return putback.pc;
      }
    },
  });

  // try_to_unmap()
  forEachMapping(e, candidates, (m) => emitTryToUnmapOne(e, m));
  asm.emit({
    fn: 'shrink_folio_list',
    does: 'pageout() a dirty folio to swap or its file; __remove_mapping() and free it, or discard it if lazyfree and clean',
    exec: (s, notes) => {
      const pfn = s[folio]!;
      if (s[result]! & FAILED || frameGet(l, s, pfn, FRAME.MAPCOUNT) > 0) {
        notes?.push('still mapped: put back');
        return putback.pc;
      }
      const f = pageFlags(l, s, pfn);
      if (s[result]! & DISCARDED) {
        if (s[result]! & LOSES_WRITE) violate(l, s, 'lost-write', notes, `lazyfree folio ${hex(pfn)} discarded holding a guest write`);
        clearPageFlag(l, s, pfn, PG.LOCKED);
        putPage(l, s, pfn, notes);
        clearLocals(e, s, WALK_LOCALS);
        return done.pc;
      }
      const index = frameGet(l, s, pfn, FRAME.INDEX);
      const slot = l.stores[index]!;
      if (f & PG.DIRTY) {
        s[slot.content] = frameGet(l, s, pfn, FRAME.CONTENT);
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
      s[slot.cache] = 0;
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
      clearPageFlag(l, s, s[folio]!, PG.LOCKED);
      putPage(l, s, s[folio]!, notes);
      clearLocals(e, s, WALK_LOCALS);
    },
  });
  asm.bind(done);
}

/**
 * try_to_unmap_one() for one mapping: the young check (by rule), ptep_clear_flush(), the dirty
 * bit to the folio, then the lazyfree decision (discard a clean page, or restore the PTE), or a
 * swap entry; page_remove_rmap() and put_page().
 */
function emitTryToUnmapOne(e: Emit, pi: number): void {
  const { l, rules } = e;
  const pg = l.pages[pi]!;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const style = rules['mm.try_to_unmap_one.notify'].value;
  const youngCheck = rules['mm.try_to_unmap_one.young_check'].value;
  const clear: StepSpec = {
    fn: 'try_to_unmap_one',
    does: 'ptep_clear_flush(); the PTE dirty bit to the folio; lazyfree: discard if clean',
    rule: 'mm.try_to_unmap_one.notify',
    exec: (s, notes) => {
      const pfn = s[folio]!;
      if (youngCheck && s[result]! & YOUNG) {
        notes?.push('young: SWAP_FAIL');
        s[result] = s[result]! | FAILED;
        return GIVE_UP;
      }
      if (!mapsFolio(s, pg.pte, pfn)) return GIVE_UP;
      const pteval = s[pg.pte]!;
      s[pg.pte] = 0;
      if (pteval & PTE.DIRTY) folioMarkDirty(l, s, pfn);
      const f = pageFlags(l, s, pfn);
      if (f & PG.SWAPBACKED || f & PG.FILE) return;
      // A lazyfree (MADV_FREE) page: discard it if clean, else map it back as normal anon.
      const refsOk = !rules['mm.lazyfree.refcount_check'].value || frameGet(l, s, pfn, FRAME.REFCOUNT) === 1 + frameGet(l, s, pfn, FRAME.MAPCOUNT);
      if (!(f & PG.DIRTY) && refsOk) {
        notes?.push('clean lazyfree folio: discard');
        // A guest write the primary MMU has not been told of (KVM marks the folio dirty only
        // later, or never) goes with the page.
        s[result] = s[result]! | DISCARDED | (f & PG.GUEST_WROTE ? LOSES_WRITE : 0);
      } else {
        notes?.push('lazyfree folio redirtied or referenced: restore the PTE, set swapbacked');
        s[pg.pte] = pteval;
        setPageFlag(l, s, pfn, PG.SWAPBACKED);
        s[result] = s[result]! | FAILED;
        return NO_NOTIFY;
      }
    },
  };
  const finish: StepSpec = {
    fn: 'try_to_unmap_one',
    does: 'set the swap entry (anon); page_remove_rmap(); put_page()',
    exec: (s) => {
      const pfn = s[folio]!;
      if (s[result]! & FAILED) return;
      if (pageFlags(l, s, pfn) & PG.SWAPCACHE) s[pg.pte] = PTE.SWAP | (frameGet(l, s, pfn, FRAME.INDEX) << PTE.SHIFT);
      frameSet(l, s, pfn, FRAME.MAPCOUNT, frameGet(l, s, pfn, FRAME.MAPCOUNT) - 1);
      putPage(l, s, pfn, null);
    },
  };
  bracketed(e, pi, style, () => {
    if (youngCheck) emitYoungTest(e, pi, 'clear_flush_young');
    emitPteChange(e, pi, style, clear, finish);
  });
}

/**
 * migrate(P): migrate_pages() of the folio mapped at P to a new page: isolate, lock, allocate
 * the new page; try_to_migrate_one() on every mapping (migration entries; told like
 * try_to_unmap_one); copy; remove_migration_ptes() (no notifier: the PTE was not present);
 * free the old page. Faults on a migration entry wait.
 */
export function emitMigrate(e: Emit, pi: number): void {
  const { l, asm, rules } = e;
  const folio = e.local(L.OLDPFN);
  const fresh = e.local(L.NEWPFN);
  const done = asm.label();
  const candidates = e.related(pi);
  const style = rules['mm.try_to_unmap_one.notify'].value;

  findFolio(
    e,
    pi,
    'migrate_pages',
    'isolate and lock the folio; allocate the destination page',
    (s, pfn) => {
      const f = pageFlags(l, s, pfn);
      if (f & (PG.ZERO | PG.KSM)) return f & PG.ZERO ? 'the zero page is not migrated' : 'KSM page migration is not modelled: skipped';
      if (f & PG.LOCKED) return 'folio locked: -EAGAIN';
      return null;
    },
    done,
    (s, pfn) => {
      getPage(l, s, pfn);
      setPageFlag(l, s, pfn, PG.LOCKED);
      s[fresh] = allocPage(l, s);
    },
  );
  forEachMapping(e, candidates, (m) => {
    const pg = l.pages[m]!;
    bracketed(e, m, style, () => emitPteChange(e, m, style, {
      fn: style === 'range' ? 'try_to_migrate_one' : 'try_to_unmap_one',
      does: 'ptep_clear_flush(); install a migration entry; the PTE dirty bit to the folio; page_remove_rmap()',
      rule: 'mm.try_to_unmap_one.notify',
      exec: (s) => {
        const pfn = s[folio]!;
        if (!mapsFolio(s, pg.pte, pfn)) return GIVE_UP;
        const pte = s[pg.pte]!;
        if (pte & PTE.DIRTY) folioMarkDirty(l, s, pfn);
        // The migration entry remembers the pfn and whether the PTE was writable.
        s[pg.pte] = PTE.MIGRATION | (pte & PTE.WRITE) | (pfn << PTE.SHIFT);
        frameSet(l, s, pfn, FRAME.MAPCOUNT, frameGet(l, s, pfn, FRAME.MAPCOUNT) - 1);
        putPage(l, s, pfn, null);
      },
    }));
  });
  asm.emit({
    fn: 'migrate_folio',
    does: 'folio_ref_freeze(); copy the content and flags; move the swap/page-cache entry; remove_migration_ptes()',
    exec: (s, notes) => {
      const old = s[folio]!;
      const to = s[fresh]!;
      const f = pageFlags(l, s, old);
      const cacheRefs = f & (PG.SWAPCACHE | PG.FILE) ? 1 : 0;
      const moved = frameGet(l, s, old, FRAME.MAPCOUNT) === 0 && frameGet(l, s, old, FRAME.REFCOUNT) === 1 + cacheRefs;
      const target = moved ? to : old;
      if (moved) {
        frameSet(l, s, to, FRAME.CONTENT, frameGet(l, s, old, FRAME.CONTENT));
        frameSet(l, s, to, FRAME.FLAGS, f & ~PG.LOCKED);
        frameSet(l, s, to, FRAME.INDEX, frameGet(l, s, old, FRAME.INDEX));
        if (cacheRefs) {
          s[l.stores[frameGet(l, s, old, FRAME.INDEX)]!.cache] = to;
          getPage(l, s, to);
          putPage(l, s, old, notes);
        }
        notes?.push(`migrated ${hex(old)} -> ${hex(to)}`);
      } else {
        notes?.push('extra reference: migration fails, the old page is mapped back');
      }
      // remove_migration_pte(): no notifier, the PTE was not present.
      for (const m of candidates) {
        const pte = s[l.pages[m]!.pte]!;
        if (!(pte & PTE.MIGRATION) || ptePfn(pte) !== old) continue;
        s[l.pages[m]!.pte] = (target << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG | (pte & PTE.WRITE) | (pageFlags(l, s, target) & PG.DIRTY ? PTE.DIRTY : 0);
        frameSet(l, s, target, FRAME.MAPCOUNT, frameGet(l, s, target, FRAME.MAPCOUNT) + 1);
        getPage(l, s, target);
      }
      clearPageFlag(l, s, old, PG.LOCKED);
      putPage(l, s, old, notes); // the isolation reference: the old page is freed if migrated
      putPage(l, s, to, notes); // the allocation reference: freed if unused
      clearLocals(e, s, WALK_LOCALS);
    },
  });
  asm.bind(done);
}

const AGE_FN: Record<AgeCallback, [string, string]> = {
  clear_flush_young: ['folio_referenced', 'page_referenced_one() on every mapping: ptep_clear_flush_young_notify()'],
  clear_young: ['page_idle_clear_pte_refs', 'page_idle_clear_pte_refs_one() on every mapping: ptep_clear_young_notify()'],
  test_young: ['khugepaged_scan_pmd', 'pte_young() || mmu_notifier_test_young()'],
};

/** age(P) / idle_age(P) / test_young(P): one aging pass over the folio's mappings; the register gets 1 if young. */
export function emitAge(e: Emit, pi: number, cb: AgeCallback, reg: number): void {
  const { l, asm } = e;
  const result = e.local(L.RESULT);
  const done = asm.label();
  const [fn, does] = AGE_FN[cb];
  findFolio(e, pi, fn, does, (s, pfn) => (pageFlags(l, s, pfn) & PG.ZERO ? 'the zero page is not aged' : null), done);
  forEachMapping(e, e.related(pi), (m) => emitYoungTest(e, m, cb));
  asm.emit({
    fn,
    does: 'report whether the folio was young',
    exec: (s, notes) => {
      const young = s[result]! & YOUNG ? 1 : 0;
      notes?.push(young ? 'young' : 'old');
      if (reg >= 0) s[reg] = young;
      clearLocals(e, s, WALK_LOCALS);
    },
  });
  asm.bind(done);
}

/**
 * writeback(P): the flusher writes a dirty page-cache page: folio_clear_dirty_for_io() ->
 * folio_mkclean() (page_mkclean_one() on every mapping, told by the era's style), then clear
 * PG_dirty and write the content to the file.
 */
export function emitWriteback(e: Emit, pi: number): void {
  const { l, asm, rules } = e;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const done = asm.label();
  const style = rules['mm.page_mkclean_one.notify'].value;
  findFolio(
    e,
    pi,
    'folio_clear_dirty_for_io',
    'lock the page-cache folio for writeback',
    (s, pfn) => {
      const f = pageFlags(l, s, pfn);
      if (!(f & PG.FILE)) return 'not a page-cache page: nothing to write back';
      if (f & PG.LOCKED) return 'folio locked: skipped';
      return null;
    },
    done,
    (s, pfn) => setPageFlag(l, s, pfn, PG.LOCKED),
  );
  forEachMapping(e, e.related(pi), (m) => {
    const pg = l.pages[m]!;
    bracketed(e, m, style, () => emitPteChange(e, m, style, {
      fn: 'page_mkclean_one',
      does: 'ptep_clear_flush(); set_pte_at() a clean, read-only PTE',
      rule: 'mm.page_mkclean_one.notify',
      exec: (s) => {
        if (!mapsFolio(s, pg.pte, s[folio]!)) return GIVE_UP;
        const pte = s[pg.pte]!;
        if (!(pte & (PTE.WRITE | PTE.DIRTY))) return NO_NOTIFY;
        if (pte & PTE.DIRTY) s[result] = s[result]! | CLEANED;
        s[pg.pte] = pte & ~(PTE.WRITE | PTE.DIRTY);
      },
    }));
  });
  asm.emit({
    fn: 'folio_clear_dirty_for_io',
    does: 'folio_mark_dirty() if a PTE was dirty; test-and-clear PG_dirty; write the page to the file',
    exec: (s, notes) => {
      const pfn = s[folio]!;
      if (s[result]! & CLEANED) folioMarkDirty(l, s, pfn);
      if (pageFlags(l, s, pfn) & PG.DIRTY) {
        clearPageFlag(l, s, pfn, PG.DIRTY);
        s[l.stores[frameGet(l, s, pfn, FRAME.INDEX)]!.content] = frameGet(l, s, pfn, FRAME.CONTENT);
        folioContentSettled(l, s, pfn);
        notes?.push('written to the file');
      } else {
        notes?.push('clean: nothing to write');
      }
      clearPageFlag(l, s, pfn, PG.LOCKED);
      clearLocals(e, s, WALK_LOCALS);
    },
  });
  asm.bind(done);
}
