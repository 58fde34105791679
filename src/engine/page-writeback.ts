// Writeback (mm/page-writeback.c): folio_clear_dirty_for_io() -> folio_mkclean() over the
// reverse map (rmap.ts), then the write to the file.
import { clearLocals, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { CLEANED, emitPageMkcleanOne, findFolio, forEachMapping } from './rmap.js';
import { clearPageFlag, folioContentSettled, folioMarkDirty, frameGet, pageFlags, setPageFlag } from './prims.js';
import { FRAME, PG, put, get } from './state.js';

/**
 * writeback(P): the flusher writes a dirty page-cache page: folio_clear_dirty_for_io() ->
 * folio_mkclean() (page_mkclean_one() on every mapping, told by the era's style), then clear
 * PG_dirty and write the content to the file.
 */
export function emitWriteback(e: Emit, pi: number): void {
  const { l, asm } = e;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const done = asm.label();
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
  forEachMapping(e, e.related(pi), (m) => emitPageMkcleanOne(e, m));
  asm.emit({
    fn: 'folio_clear_dirty_for_io',
    does: 'folio_mark_dirty() if a PTE was dirty; test-and-clear PG_dirty; write the page to the file',
    exec: (s, notes) => {
      const pfn = get(s, folio);
      if (get(s, result) & CLEANED) folioMarkDirty(l, s, pfn);
      if (pageFlags(l, s, pfn) & PG.DIRTY) {
        clearPageFlag(l, s, pfn, PG.DIRTY);
        put(s, l.stores[frameGet(l, s, pfn, FRAME.INDEX)]!.content, frameGet(l, s, pfn, FRAME.CONTENT));
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
