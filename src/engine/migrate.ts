// Page migration (mm/migrate.c): migrate_pages() of one folio, over the reverse map (rmap.ts).
import { hex } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { emitTryToMigrateOne, findFolio, forEachMapping } from './rmap.js';
import { allocPage, clearPageFlag, frameGet, frameSet, getPage, pageFlags, putPage, setPageFlag } from './prims.js';
import { FRAME, PG, PTE, ptePfn, put, get } from './state.js';

/**
 * migrate(P): migrate_pages() of the folio mapped at P to a new page: isolate, lock, allocate
 * the new page; try_to_migrate_one() on every mapping (migration entries; told like
 * try_to_unmap_one); copy; remove_migration_ptes() (no notifier: the PTE was not present);
 * free the old page. Faults on a migration entry wait.
 */
export function emitMigrate(e: Emit, pi: number): void {
  const { l, asm } = e;
  const folio = e.local(L.OLDPFN);
  const fresh = e.local(L.NEWPFN);
  const done = asm.label();
  const candidates = e.related(pi);

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
      put(s, fresh, allocPage(l, s));
    },
  );
  forEachMapping(e, candidates, (m) => emitTryToMigrateOne(e, m));
  asm.emit({
    fn: 'migrate_folio',
    does: 'folio_ref_freeze(); copy the content and flags; move the swap/page-cache entry; remove_migration_ptes()',
    exec: (s, notes) => {
      const old = get(s, folio);
      const to = get(s, fresh);
      const f = pageFlags(l, s, old);
      const cacheRefs = f & (PG.SWAPCACHE | PG.FILE) ? 1 : 0;
      const moved = frameGet(l, s, old, FRAME.MAPCOUNT) === 0 && frameGet(l, s, old, FRAME.REFCOUNT) === 1 + cacheRefs;
      const target = moved ? to : old;
      if (moved) {
        frameSet(l, s, to, FRAME.CONTENT, frameGet(l, s, old, FRAME.CONTENT));
        frameSet(l, s, to, FRAME.FLAGS, f & ~PG.LOCKED);
        frameSet(l, s, to, FRAME.INDEX, frameGet(l, s, old, FRAME.INDEX));
        if (cacheRefs) {
          put(s, l.stores[frameGet(l, s, old, FRAME.INDEX)]!.cache, to);
          getPage(l, s, to);
          putPage(l, s, old, notes);
        }
        notes?.push(`migrated ${hex(old)} -> ${hex(to)}`);
      } else {
        notes?.push('extra reference: migration fails, the old page is mapped back');
      }
      // remove_migration_pte(): no notifier, the PTE was not present.
      for (const m of candidates) {
        const pte = get(s, l.pages[m]!.pte);
        if (!(pte & PTE.MIGRATION) || ptePfn(pte) !== old) continue;
        put(s, l.pages[m]!.pte, (target << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG | (pte & PTE.WRITE) | (pageFlags(l, s, target) & PG.DIRTY ? PTE.DIRTY : 0));
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

