// Page migration (mm/migrate.c): migrate_pages() of one folio, over the reverse map (rmap.ts).
// Its steps are data (step-data.ts).
import { clearLocalsData, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { emitTryToMigrateOne, findFolio, forEachMapping } from './rmap.js';
import { allocPageData, clearFlag, fieldOf, flagsOf, frameAt, getPageData, putPageData, setFlag, storeCacheAt } from './prims.js';
import { FRAME, PG, PTE } from './state.js';
import { and, bind, bits, cond, eq, note, op, slot, v, when, write } from './step-data.js';

/**
 * migrate(P): migrate_pages() of the folio mapped at P to a new page: isolate, lock, allocate
 * the new page; try_to_migrate_one() on every mapping (migration entries; told like
 * try_to_unmap_one); copy; remove_migration_ptes() (no notifier: the PTE was not present);
 * free the old page. Faults on a migration entry wait.
 */
export function emitMigrate(e: Emit, pi: number): void {
  const { l, asm } = e;
  const done = asm.label();
  const candidates = e.related(pi);
  const pfn = v('pfn');

  findFolio(
    e,
    pi,
    'migrate_pages',
    'isolate and lock the folio; allocate the destination page',
    [
      { when: bits(flagsOf(l, pfn), PG.ZERO), why: 'the zero page is not migrated' },
      { when: bits(flagsOf(l, pfn), PG.KSM), why: 'KSM page migration is not modelled: skipped' },
      { when: bits(flagsOf(l, pfn), PG.LOCKED), why: 'folio locked: -EAGAIN' },
    ],
    done,
    [getPageData(l, pfn), setFlag(l, pfn, PG.LOCKED), ...allocPageData(l, 'fresh'), write(e.local(L.NEWPFN), v('fresh'))],
  );
  forEachMapping(e, candidates, (m) => emitTryToMigrateOne(e, m));

  const old = v('old');
  const to = v('to');
  const target = v('target');
  asm.emit({
    fn: 'migrate_folio',
    does: 'folio_ref_freeze(); copy the content and flags; move the swap/page-cache entry; remove_migration_ptes()',
    data: () => ({
      effect: [
        bind('old', slot(e.local(L.OLDPFN))),
        bind('to', slot(e.local(L.NEWPFN))),
        bind('f', flagsOf(l, old)),
        bind('cache_refs', cond(bits(v('f'), PG.SWAPCACHE | PG.FILE), 1, 0)),
        // folio_ref_freeze(): only the isolation reference (and the cache's) may be left.
        bind('moved', and(eq(fieldOf(l, old, FRAME.MAPCOUNT), 0), eq(fieldOf(l, old, FRAME.REFCOUNT), op(1, '+', v('cache_refs'))))),
        bind('target', cond(v('moved'), to, old)),
        when(
          v('moved'),
          [
            write(frameAt(l, to, FRAME.CONTENT), fieldOf(l, old, FRAME.CONTENT)),
            write(frameAt(l, to, FRAME.FLAGS), op(v('f'), '&', ~PG.LOCKED)),
            write(frameAt(l, to, FRAME.INDEX), fieldOf(l, old, FRAME.INDEX)),
            when(v('cache_refs'), [write(storeCacheAt(l, fieldOf(l, old, FRAME.INDEX)), to), getPageData(l, to), putPageData(l, old)]),
            note('migrated ', { hex: old }, ' -> ', { hex: to }),
          ],
          [note('extra reference: migration fails, the old page is mapped back')],
        ),
        // remove_migration_pte(): no notifier, the PTE was not present.
        ...candidates.map((m) => {
          const pte = l.pages[m]!.pte;
          return when(and(bits(slot(pte), PTE.MIGRATION), eq(op(slot(pte), '>>>', PTE.SHIFT), old)), [
            write(pte, op(op(op(op(target, "<<", PTE.SHIFT), "|", PTE.PRESENT | PTE.YOUNG), "|", bits(slot(pte), PTE.WRITE)), "|", cond(bits(flagsOf(l, target), PG.DIRTY), PTE.DIRTY, 0))),
            write(frameAt(l, target, FRAME.MAPCOUNT), op(fieldOf(l, target, FRAME.MAPCOUNT), '+', 1)),
            getPageData(l, target),
          ]);
        }),
        clearFlag(l, old, PG.LOCKED),
        putPageData(l, old), // the isolation reference: the old page is freed if migrated
        putPageData(l, to), // the allocation reference: freed if unused
        ...clearLocalsData(e, WALK_LOCALS),
      ],
    }),
  });
  asm.bind(done);
}
