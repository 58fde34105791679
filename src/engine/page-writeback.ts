// Writeback (mm/page-writeback.c): folio_clear_dirty_for_io() -> folio_mkclean() over the
// reverse map (rmap.ts), then the write to the file. Its steps are data (step-data.ts).
import { clearLocalsData, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { CLEANED, emitPageMkcleanOne, findFolio, forEachMapping } from './rmap.js';
import { clearFlag, fieldOf, flagsOf, folioContentSettledData, folioMarkDirtyData, setFlag, storeContentAt } from './prims.js';
import { FRAME, PG } from './state.js';
import { bind, bits, not, note, slot, v, when, write } from './step-data.js';

/**
 * writeback(P): the flusher writes a dirty page-cache page: folio_clear_dirty_for_io() ->
 * folio_mkclean() (page_mkclean_one() on every mapping, told by the era's style), then clear
 * PG_dirty and write the content to the file.
 */
export function emitWriteback(e: Emit, pi: number): void {
  const { l, asm } = e;
  const pfn = v('pfn');
  const done = asm.label();
  findFolio(
    e,
    pi,
    'folio_clear_dirty_for_io',
    'lock the page-cache folio for writeback',
    [
      { when: not(bits(flagsOf(l, pfn), PG.FILE)), why: 'not a page-cache page: nothing to write back' },
      { when: bits(flagsOf(l, pfn), PG.LOCKED), why: 'folio locked: skipped' },
    ],
    done,
    [setFlag(l, pfn, PG.LOCKED)],
  );
  forEachMapping(e, e.related(pi), (m) => emitPageMkcleanOne(e, m));
  asm.emit({
    fn: 'folio_clear_dirty_for_io',
    does: 'folio_mark_dirty() if a PTE was dirty; test-and-clear PG_dirty; write the page to the file',
    data: () => ({
      effect: [
        bind('pfn', slot(e.local(L.OLDPFN))),
        when(bits(slot(e.local(L.RESULT)), CLEANED), [folioMarkDirtyData(l, pfn)]),
        when(
          bits(flagsOf(l, pfn), PG.DIRTY),
          [
            clearFlag(l, pfn, PG.DIRTY),
            // The page's file block (FRAME.INDEX) gets the content.
            write(storeContentAt(l, fieldOf(l, pfn, FRAME.INDEX)), fieldOf(l, pfn, FRAME.CONTENT)),
            folioContentSettledData(l, pfn),
            note('written to the file'),
          ],
          [note('clean: nothing to write')],
        ),
        clearFlag(l, pfn, PG.LOCKED),
        ...clearLocalsData(e, WALK_LOCALS),
      ],
    }),
  });
  asm.bind(done);
}
