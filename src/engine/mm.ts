// The primary MMU (mm/): page faults, the COW break, user-space accesses. The notifier calls
// each site makes are era rules; everything else here is the same in every era we model.
import { clearLocals, type Emit } from './emit.js';
import { L, MM_LOCALS } from './layout.js';
import { invalidateRangeEnd, invalidateRangeStart, setPteAtNotify } from './notifier.js';
import type { Label } from './program.js';
import { allocPage, frameGet, frameSet, getPage, lockFree, notWriteLocked, pageFlags, putPage } from './prims.js';
import { FRAME, PG, PTE, hex, ptePfn, type State } from './state.js';

const ANON_PTE = PTE.PRESENT | PTE.WRITE | PTE.DIRTY | PTE.YOUNG;

/**
 * handle_mm_fault() for one page, under mmap_read_lock(): do_anonymous_page(), or for a write
 * to a read-only PTE do_wp_page() -> wp_page_reuse() / wp_page_copy(). Jumps to `back` (the
 * caller retries its access or its get_user_pages walk).
 */
export function emitHandleMmFault(e: Emit, pi: number, write: boolean, back: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const origPte = e.local(L.ORIGPTE);
  const anon = asm.label();
  const reuse = asm.label();
  const copy = asm.label();
  const unlockMmap = (s: State) => {
    s[mm.mmapLock]!++;
  };

  asm.emit({
    fn: 'handle_mm_fault',
    does: `mmap_read_lock(); ${write ? 'write' : 'read'} fault: look at the PTE`,
    enabled: (s) => notWriteLocked(s, mm.mmapLock),
    exec: (s, notes) => {
      s[mm.mmapLock]!--;
      const pte = s[pg.pte]!;
      s[origPte] = pte;
      if (!(pte & PTE.PRESENT)) return anon.pc;
      if (write && !(pte & PTE.WRITE)) {
        const pfn = ptePfn(pte);
        // do_wp_page(): a KSM page, the zero page, or a page someone else holds is copied;
        // an exclusive anon page is reused in place (refcount check since 09854ba94c6a).
        if (pageFlags(l, s, pfn) & (PG.KSM | PG.ZERO) || frameGet(l, s, pfn, FRAME.REFCOUNT) !== 1) return copy.pc;
        return reuse.pc;
      }
      notes?.push('PTE already fixed up: nothing to do');
      unlockMmap(s);
      s[origPte] = 0;
      return back.pc;
    },
  });

  asm.bind(anon);
  asm.emit({
    fn: 'do_anonymous_page',
    does: write ? 'allocate a zeroed page and map it writable' : 'map the zero page read-only',
    enabled: (s) => lockFree(s, mm.ptl),
    exec: (s, notes) => {
      if (s[pg.pte] === s[origPte]) {
        if (write) {
          const pfn = allocPage(l, s);
          frameSet(l, s, pfn, FRAME.MAPCOUNT, 1);
          s[pg.pte] = (pfn << PTE.SHIFT) | ANON_PTE;
          notes?.push(`new page ${hex(pfn)}`);
        } else {
          s[pg.pte] = (l.firstPfn << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG; // the zero page is the first frame
        }
      }
      unlockMmap(s);
      clearLocals(e, s, MM_LOCALS);
      return back.pc;
    },
  });

  asm.bind(reuse);
  asm.emit({
    fn: 'wp_page_reuse',
    does: 'make the exclusive page writable in place (no notifier)',
    enabled: (s) => lockFree(s, mm.ptl),
    exec: (s) => {
      if (s[pg.pte] === s[origPte]) s[pg.pte] = s[pg.pte]! | PTE.WRITE | PTE.DIRTY | PTE.YOUNG;
      unlockMmap(s);
      clearLocals(e, s, MM_LOCALS);
      return back.pc;
    },
  });

  asm.bind(copy);
  emitWpPageCopy(e, pi, unlockMmap, back);
}

/**
 * wp_page_copy() (do_wp_page() before v4.1): copy the page, then swap the PTE to the copy under
 * the PTL. Its notifier calls are era rules: change_pte through set_pte_at_notify(), and from
 * 6bdb913f0a70 an invalidate_range_start/end bracket.
 */
function emitWpPageCopy(e: Emit, pi: number, unlockMmap: (s: State) => void, back: Label): void {
  const { l, asm, rules } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const oldPfn = e.local(L.OLDPFN);
  const newPfn = e.local(L.NEWPFN);
  const origPte = e.local(L.ORIGPTE);
  const newPte = e.local(L.NEWPTE);
  const bracket = rules['mm.wp_page_copy.bracket'].value;
  const abort = asm.label();

  asm.emit({
    fn: 'wp_page_copy',
    does: 'get_page(old); allocate a new page and copy the old one into it',
    exec: (s, notes) => {
      const old = ptePfn(s[origPte]!);
      getPage(l, s, old);
      const fresh = allocPage(l, s);
      frameSet(l, s, fresh, FRAME.CONTENT, frameGet(l, s, old, FRAME.CONTENT));
      s[oldPfn] = old;
      s[newPfn] = fresh;
      notes?.push(`copy of ${hex(old)} in new page ${hex(fresh)}`);
    },
  });
  if (bracket) invalidateRangeStart(e, [pi]);
  asm.emit({
    fn: 'wp_page_copy',
    does: 'pte_offset_map_lock(); pte_same(); ptep_clear_flush(); page_add_new_anon_rmap(new)',
    rule: 'mm.wp_page_copy.bracket',
    enabled: (s) => lockFree(s, mm.ptl),
    exec: (s, notes) => {
      if (s[pg.pte] !== s[origPte]) {
        notes?.push('PTE changed under us: give up');
        return abort.pc;
      }
      s[mm.ptl] = e.owner;
      s[pg.pte] = 0;
      frameSet(l, s, s[newPfn]!, FRAME.MAPCOUNT, 1);
      s[newPte] = (s[newPfn]! << PTE.SHIFT) | ANON_PTE;
    },
  });
  setPteAtNotify(e, pi, {
    fn: 'set_pte_at',
    does: 'map the new page writable',
    exec: (s) => {
      s[pg.pte] = s[newPte]!;
    },
  });
  asm.emit({
    fn: 'wp_page_copy',
    does: 'page_remove_rmap(old); pte_unmap_unlock()',
    exec: (s) => {
      const old = s[oldPfn]!;
      if (!(pageFlags(l, s, old) & PG.ZERO)) frameSet(l, s, old, FRAME.MAPCOUNT, frameGet(l, s, old, FRAME.MAPCOUNT) - 1);
      s[mm.ptl] = 0;
    },
  });
  if (bracket) invalidateRangeEnd(e, [pi]);
  const finish = asm.label();
  asm.emit({
    fn: 'wp_page_copy',
    does: "put_page(old) for the mapping's reference; mmap_read_unlock()",
    exec: (s, notes) => {
      const old = s[oldPfn]!;
      if (!(pageFlags(l, s, old) & PG.ZERO)) putPage(l, s, old, notes);
      return finish.pc;
    },
  });

  asm.bind(abort);
  asm.emit({
    fn: 'wp_page_copy',
    does: 'free the unused copy',
    exec: (s, notes) => putPage(l, s, s[newPfn]!, notes),
  });
  if (bracket) invalidateRangeEnd(e, [pi]);

  asm.bind(finish);
  asm.emit({
    fn: 'do_wp_page',
    does: "put_page(old) for do_wp_page's reference; mmap_read_unlock()",
    exec: (s, notes) => {
      putPage(l, s, s[oldPfn]!, notes);
      unlockMmap(s);
      clearLocals(e, s, MM_LOCALS);
      return back.pc;
    },
  });
}

/** A user-space load or store by a process thread, through its own page table. */
export function emitUserAccess(e: Emit, pi: number, write: boolean, value: number, reg: number): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const access = asm.label();
  const fault = asm.label();
  const done = asm.label();
  asm.bind(access);
  asm.emit({
    fn: write ? 'user store' : 'user load',
    does: `${write ? 'write' : 'read'} ${l.procs[pg.proc]!.name}:${hex(pg.addr)} through the process page table`,
    exec: (s, notes) => {
      const pte = s[pg.pte]!;
      if (!(pte & PTE.PRESENT) || (write && !(pte & PTE.WRITE))) {
        notes?.push('page fault');
        return fault.pc;
      }
      const pfn = ptePfn(pte);
      if (write) {
        frameSet(l, s, pfn, FRAME.CONTENT, value);
        s[pg.pte] = pte | PTE.DIRTY | PTE.YOUNG;
      } else {
        if (reg >= 0) s[reg] = frameGet(l, s, pfn, FRAME.CONTENT);
        s[pg.pte] = pte | PTE.YOUNG;
      }
      return done.pc;
    },
  });
  asm.bind(fault);
  emitHandleMmFault(e, pi, write, access);
  asm.bind(done);
}
