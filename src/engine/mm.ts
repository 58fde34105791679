// The primary MMU (mm/): page faults, the COW break, user-space accesses. The notifier calls
// each site makes are era rules; everything else here is the same in every era we model. Its
// steps are data (step-data.ts).
import type { EraRules } from '../contract/era.js';
import { EFAULT_VALUE, hex } from '../contract/output.js';
import { clearLocalsData, type Emit } from './emit.js';
import { L, MM_LOCALS, type Layout, type StoreSlot } from './layout.js';
import { bracket, setPteAtNotify, tlbFlushed } from './notifier.js';
import { unreachable, type Label } from './program.js';
import { allocPageData, clearFlag, fieldOf, flagsOf, folioContentSettledData, folioMarkDirtyData, frameAt, getPageData, lockFree, mmLive, notWriteLocked, putPageData, storeCacheAt, storeContentAt, vmaMapped, vmaWritable } from './prims.js';
import { FRAME, PG, PTE } from './state.js';
import { and, assign, bind, bits, cond, eq, goto, not, note, op, or, slot, v, when, write, type Expr, type Stmt } from './step-data.js';

const ANON_PTE = PTE.PRESENT | PTE.WRITE | PTE.DIRTY | PTE.YOUNG;

/** One fault being built: where its page lives, and the labels of its handlers. */
interface Fault {
  e: Emit;
  pi: number;
  isWrite: boolean;
  pg: Layout['pages'][number];
  mm: Layout['procs'][number];
  vma: Layout['vmas'][number];
  origPte: number;
  at: { anon: Label; file: Label; swap: Label; numa: Label; shared: Label; reuse: Label; copy: Label };
  unlockMmap: Stmt;
  /** The common end of every handler: mmap_read_unlock(), forget locals, let the caller retry. */
  finish: Stmt[];
}

/**
 * handle_mm_fault() for one page, under mmap_read_lock(): do_anonymous_page(), do_fault()
 * (file), do_swap_page(), do_numa_page(), or for a write to a read-only PTE do_wp_page() ->
 * wp_page_shared() / wp_page_reuse() / wp_page_copy(). A migration entry makes the fault wait
 * (migration_entry_wait). Jumps to `back` (the caller retries its access or its
 * get_user_pages walk), or to `efault` when there is no vma for the access.
 */
export function emitHandleMmFault(e: Emit, pi: number, isWrite: boolean, back: Label, efault: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const unlockMmap = write(mm.mmapLock, op(slot(mm.mmapLock), '+', 1));
  const at = { anon: asm.label(), file: asm.label(), swap: asm.label(), numa: asm.label(), shared: asm.label(), reuse: asm.label(), copy: asm.label() };
  const f: Fault = { e, pi, isWrite, pg, mm, vma: l.vmas[pg.vma]!, origPte: e.local(L.ORIGPTE), at, unlockMmap, finish: [unlockMmap, ...clearLocalsData(e, MM_LOCALS), goto(back)] };
  emitFaultEntry(f, efault);
  handler(f, at.anon, 'do_anonymous_page', isWrite ? 'allocate a zeroed page and map it writable' : 'map the zero page read-only', () => doAnonymousPage(f));
  handler(
    f,
    at.file,
    isWrite ? (f.vma.shared ? 'do_shared_fault' : 'do_cow_fault') : 'do_read_fault',
    isWrite
      ? f.vma.shared
        ? 'filemap_fault(); page_mkwrite: mark the page-cache page dirty and map it writable'
        : 'filemap_fault(); copy the page-cache page into a new anon page, map that writable'
      : 'filemap_fault(); map the page-cache page read-only',
    () => doFileFault(f),
  );
  handler(f, at.swap, 'do_swap_page', 'swap-cache lookup or swap_read_folio(); map the page (no notifier: the PTE was not present)', () => doSwapPage(f));
  handler(f, at.numa, 'do_numa_page', 'NUMA hinting fault: restore the PTE protection (the page stays on its node)', () => [
    write(pg.pte, op(op(slot(pg.pte), '&', ~PTE.PROTNONE), '|', PTE.YOUNG)),
  ]);
  handler(f, at.shared, 'wp_page_shared', 'page_mkwrite: mark the page-cache page dirty, make the PTE writable (no notifier)', () => [
    folioMarkDirtyData(l, op(slot(pg.pte), '>>>', PTE.SHIFT)),
    write(pg.pte, op(slot(pg.pte), '|', PTE.WRITE | PTE.DIRTY | PTE.YOUNG)),
  ]);
  // arm64's ptep_set_access_flags(..., dirty = 1) flushes the upgraded PTE from the CPU TLB (arm64
  // may cache permissions; x86 neither flushes nor needs to), which an SMMU with BTM snoops and
  // which, from v6.6, calls ->arch_invalidate_secondary_tlbs.
  if (l.arch === 'arm64') {
    handler(f, at.reuse, 'wp_page_reuse', 'make the exclusive page writable in place; arm64 flushes the upgraded PTE from the CPU', () => wpPageReuse(f), () => tlbFlushed(e, [pi], [], 'page'));
  } else handler(f, at.reuse, 'wp_page_reuse', 'make the exclusive page writable in place (no notifier)', () => wpPageReuse(f));
  asm.bind(at.copy);
  emitWpPageCopy(e, pi, unlockMmap, back);
}

/**
 * A handler: under the PTL, if the PTE is still what handle_mm_fault() saw (pte_same), do `body`;
 * then finish. `then` emits steps between the work and the finish (its own steps: a flush the
 * secondary TLBs hear of), which a changed PTE skips.
 */
function handler(f: Fault, at: Label, fn: string, does: string, body: () => readonly Stmt[], then?: () => void): void {
  const { asm } = f.e;
  asm.bind(at);
  if (!then) {
    asm.emit({ fn, does, data: () => ({ guard: lockFree(f.mm.ptl), effect: [when(eq(slot(f.pg.pte), slot(f.origPte)), body()), ...f.finish] }) });
    return;
  }
  const skip = asm.label();
  asm.emit({ fn, does, data: () => ({ guard: lockFree(f.mm.ptl), effect: [when(op(slot(f.pg.pte), '!==', slot(f.origPte)), [goto(skip)]), ...body()] }) });
  then();
  asm.bind(skip);
  asm.emit({ fn, does: 'mmap_read_unlock(): the fault is handled', data: () => ({ effect: f.finish }) });
}

/** handle_mm_fault()'s first step: no vma (or no writable one) is -EFAULT; else by the PTE to the handler, or nothing to do. */
function emitFaultEntry(f: Fault, efault: Label): void {
  const { e, pi, isWrite, pg, mm, vma, origPte, at } = f;
  const { l } = e;
  const reuseTest = e.ruleRead('mm.do_wp_page.reuse');
  const pte = v('pte');
  const pfn = v('pfn');
  e.asm.emit({
    fn: 'handle_mm_fault',
    does: `mmap_read_lock(); ${isWrite ? 'write' : 'read'} fault: look at the vma and the PTE`,
    data: () => ({
      // handle_pte_fault() looks at the PTE under the PTL; do_wp_page() takes its reference on the
      // old page there, before the PTL is dropped for the copy.
      guard: and(notWriteLocked(mm.mmapLock), lockFree(mm.ptl), not(bits(slot(pg.pte), PTE.MIGRATION))),
      effect: [
        when(or(not(mmLive(l, pi)), not(vmaMapped(l, pi)), ...(isWrite ? [not(vmaWritable(l, pi))] : [])), [
          note(`no ${isWrite ? 'writable ' : ''}vma: SIGSEGV / -EFAULT`),
          goto(efault),
        ]),
        write(mm.mmapLock, op(slot(mm.mmapLock), '-', 1)),
        bind('pte', slot(pg.pte)),
        write(origPte, pte),
        when(eq(pte, 0), [goto(vma.anon ? at.anon : at.file)]),
        when(bits(pte, PTE.SWAP), [goto(at.swap)]),
        when(bits(pte, PTE.PROTNONE), [goto(at.numa)]),
        ...(isWrite
          ? [
              when(not(bits(pte, PTE.WRITE)), [
                bind('pfn', op(pte, '>>>', PTE.SHIFT)),
                ...(vma.shared
                  ? [goto(at.shared)]
                  : [
                      // do_wp_page(): a KSM page, the zero page or a page-cache page is copied; an anon page
                      // is reused in place if it is exclusive, by the era's test.
                      reuseTest.read,
                      ...wpExclusive(reuseTest.value, e, pfn),
                      when(or(bits(flagsOf(l, pfn), PG.KSM | PG.ZERO | PG.FILE), not(v('exclusive'))), [
                        when(not(bits(flagsOf(l, pfn), PG.ZERO)), [getPageData(l, pfn)]),
                        write(e.local(L.OLDPFN), pfn),
                        goto(at.copy),
                      ]),
                      goto(at.reuse),
                    ]),
              ]),
            ]
          : []),
        note('PTE already fixed up: nothing to do'),
        ...f.finish,
      ],
    }),
  });
}

/** do_anonymous_page(): a write maps a new zeroed page writable; a read maps the zero page (the first frame) read-only. */
function doAnonymousPage(f: Fault): Stmt[] {
  const { l } = f.e;
  const pfn = v('pfn');
  if (!f.isWrite) return [write(f.pg.pte, (l.firstPfn << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG)];
  return [
    ...allocPageData(l, 'pfn'),
    write(frameAt(l, pfn, FRAME.MAPCOUNT), 1),
    write(frameAt(l, pfn, FRAME.FLAGS), PG.SWAPBACKED),
    write(f.pg.pte, op(op(pfn, '<<', PTE.SHIFT), '|', ANON_PTE)),
    note('new page ', { hex: pfn }),
  ];
}

/** do_read_fault() / do_shared_fault() / do_cow_fault(): the page-cache page, mapped (dirty and writable for a shared write), or copied for a private write. */
function doFileFault(f: Fault): Stmt[] {
  const { e, isWrite, pg, vma } = f;
  const { l } = e;
  const pfn = v('pfn');
  const cached = v('cached');
  return [
    ...pageCachePage(e, l.stores[pg.store]!, pg.store),
    ...(isWrite && !vma.shared
      ? [
          ...allocPageData(l, 'pfn'),
          write(frameAt(l, pfn, FRAME.CONTENT), fieldOf(l, cached, FRAME.CONTENT)),
          write(frameAt(l, pfn, FRAME.MAPCOUNT), 1),
          write(frameAt(l, pfn, FRAME.FLAGS), PG.SWAPBACKED),
          write(pg.pte, op(op(pfn, '<<', PTE.SHIFT), '|', ANON_PTE)),
        ]
      : [
          getPageData(l, cached),
          write(frameAt(l, cached, FRAME.MAPCOUNT), op(fieldOf(l, cached, FRAME.MAPCOUNT), '+', 1)),
          ...(isWrite ? [folioMarkDirtyData(l, cached)] : []),
          write(pg.pte, op(op(cached, '<<', PTE.SHIFT), '|', PTE.PRESENT | PTE.YOUNG | (isWrite ? PTE.WRITE | PTE.DIRTY : 0))),
        ]),
  ];
}

/** do_swap_page(): the page from the swap cache or read back, mapped (writable if exclusive); a write fault frees the swap copy. */
function doSwapPage(f: Fault): Stmt[] {
  const { e, isWrite, pg, pi, origPte } = f;
  const { l } = e;
  const pfn = v('pfn');
  const index = v('index');
  return [
    bind('index', op(slot(origPte), '>>>', PTE.SHIFT)),
    ...swapCachePage(e, index),
    getPageData(l, pfn),
    write(frameAt(l, pfn, FRAME.MAPCOUNT), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '+', 1)),
    // An exclusive page is mapped writable if the vma is, dirty only for a write fault.
    bind('exclusive', eq(fieldOf(l, pfn, FRAME.MAPCOUNT), 1)),
    write(
      pg.pte,
      op(op(op(pfn, '<<', PTE.SHIFT), '|', PTE.PRESENT | PTE.YOUNG), '|', op(cond(and(v('exclusive'), vmaWritable(l, pi)), PTE.WRITE, 0), '|', isWrite ? PTE.DIRTY : 0)),
    ),
    ...(isWrite
      ? [
          when(v('exclusive'), [
            // should_try_to_free_swap() for a write fault: folio_free_swap() drops the swap copy,
            // so the page alone holds the data and is dirty. A read fault keeps the copy: the
            // page stays clean in the swap cache.
            write(storeCacheAt(l, index), 0),
            write(storeContentAt(l, index), 0),
            clearFlag(l, pfn, PG.SWAPCACHE),
            putPageData(l, pfn),
            folioMarkDirtyData(l, pfn),
          ]),
        ]
      : []),
  ];
}

/** wp_page_reuse(): the exclusive page made writable in place; a swap-cache page leaves the swap cache first. */
function wpPageReuse(f: Fault): Stmt[] {
  const { l } = f.e;
  const { pg } = f;
  const pfn = v('pfn');
  const index = v('index');
  return [
    bind('pfn', op(slot(pg.pte), '>>>', PTE.SHIFT)),
    when(bits(flagsOf(l, pfn), PG.SWAPCACHE), [
      // reuse_swap_page(): the only user takes the page out of the swap cache and frees the
      // swap slot (delete_from_swap_cache(), SetPageDirty()). The refcount test never gets
      // here with a swap-cache page: the cache holds a reference.
      bind('index', fieldOf(l, pfn, FRAME.INDEX)),
      write(storeCacheAt(l, index), 0),
      write(storeContentAt(l, index), 0),
      clearFlag(l, pfn, PG.SWAPCACHE),
      putPageData(l, pfn),
      folioMarkDirtyData(l, pfn),
      note('page ', { hex: pfn }, ' taken out of the swap cache'),
    ]),
    write(pg.pte, op(slot(pg.pte), '|', PTE.WRITE | PTE.DIRTY | PTE.YOUNG)),
  ];
}

/**
 * do_wp_page()'s test that an anon page is ours alone, bound to `exclusive`: mapped once and
 * in no other swap PTE (reuse_swap_page()), or no reference but ours (09854ba94c6a, v5.9).
 */
function wpExclusive(test: EraRules['mm.do_wp_page.reuse']['value'], e: Emit, pfn: Expr): Stmt[] {
  const { l } = e;
  switch (test) {
    case 'mapcount':
      return [...swapPtes(e, pfn), bind('exclusive', eq(op(fieldOf(l, pfn, FRAME.MAPCOUNT), '+', v('swap_ptes')), 1))];
    case 'refcount':
      return [bind('exclusive', eq(fieldOf(l, pfn, FRAME.REFCOUNT), 1))];
    default:
      return unreachable(test);
  }
}

/** Swap PTEs that still name this swap-cache page's slot (page_swapcount()), bound to `swap_ptes`. */
function swapPtes(e: Emit, pfn: Expr): Stmt[] {
  const { l } = e;
  return [
    bind('swap_ptes', 0),
    when(bits(flagsOf(l, pfn), PG.SWAPCACHE), [
      bind('slot', fieldOf(l, pfn, FRAME.INDEX)),
      ...l.pages.map((p) => when(and(bits(slot(p.pte), PTE.SWAP), eq(op(slot(p.pte), '>>>', PTE.SHIFT), v('slot'))), [assign('swap_ptes', op(v('swap_ptes'), '+', 1))])),
    ]),
  ];
}

/** filemap_fault(): the page-cache page of a file block, bound to `cached`, read from the file if it is not cached. */
function pageCachePage(e: Emit, store: StoreSlot, index: number): Stmt[] {
  const { l } = e;
  const pfn = v('fresh');
  return [
    bind('cached', slot(store.cache)),
    when(eq(v('cached'), 0), [
      ...allocPageData(l, 'fresh'),
      write(frameAt(l, pfn, FRAME.CONTENT), slot(store.content)),
      write(frameAt(l, pfn, FRAME.FLAGS), PG.FILE),
      write(frameAt(l, pfn, FRAME.INDEX), index),
      write(store.cache, pfn),
      note('read file block into page-cache page ', { hex: pfn }),
      assign('cached', pfn),
    ]),
  ];
}

/** The swap-cache page of the swap slot `index`, bound to `pfn`, read from swap if it is not cached. */
function swapCachePage(e: Emit, index: Expr): Stmt[] {
  const { l } = e;
  const pfn = v('fresh');
  return [
    bind('pfn', slot(storeCacheAt(l, index))),
    when(eq(v('pfn'), 0), [
      ...allocPageData(l, 'fresh'),
      write(frameAt(l, pfn, FRAME.CONTENT), slot(storeContentAt(l, index))),
      write(frameAt(l, pfn, FRAME.FLAGS), PG.SWAPBACKED | PG.SWAPCACHE),
      write(frameAt(l, pfn, FRAME.INDEX), index),
      write(storeCacheAt(l, index), pfn),
      note('swap_read_folio() into page ', { hex: pfn }),
      assign('pfn', pfn),
    ]),
  ];
}

/**
 * wp_page_copy() (do_wp_page() before v4.1): copy the page, then swap the PTE to the copy under
 * the PTL. Its notifier calls are era rules: change_pte through set_pte_at_notify(), and from
 * 6bdb913f0a70 an invalidate_range_start/end bracket.
 */
function emitWpPageCopy(e: Emit, pi: number, unlockMmap: Stmt, back: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const oldPfn = e.local(L.OLDPFN);
  const newPfn = e.local(L.NEWPFN);
  const origPte = e.local(L.ORIGPTE);
  const newPte = e.local(L.NEWPTE);
  const finish = asm.label();
  const old = v('old');
  const fresh = v('fresh');
  const notZero = (x: Expr) => not(bits(flagsOf(l, x), PG.ZERO));

  asm.emit({
    fn: 'wp_page_copy',
    does: 'allocate a new page and copy the old one (do_wp_page() holds a reference to it)',
    data: () => ({
      effect: [
        bind('old', slot(oldPfn)),
        ...allocPageData(l, 'fresh'),
        write(frameAt(l, fresh, FRAME.CONTENT), fieldOf(l, old, FRAME.CONTENT)),
        write(frameAt(l, fresh, FRAME.FLAGS), PG.SWAPBACKED),
        write(newPfn, fresh),
        note('copy of ', { hex: old }, ' in new page ', { hex: fresh }),
      ],
    }),
  });
  const freeCopy = () => asm.emit({ fn: 'wp_page_copy', does: 'free the unused copy', data: () => ({ effect: [putPageData(l, slot(newPfn))] }) });
  bracket(
    e,
    [pi],
    e.rule('mm.wp_page_copy.bracket'),
    (abort) => {
      asm.emit({
        fn: 'wp_page_copy',
        does: 'pte_offset_map_lock(); pte_same(); ptep_clear_flush(old); folio_add_new_anon_rmap(new)',
        data: () => ({
          guard: lockFree(mm.ptl),
          effect: [
            when(op(slot(pg.pte), '!==', slot(origPte)), [note('PTE changed under us: give up'), goto(abort)]),
            write(mm.ptl, e.owner),
            write(pg.pte, 0),
            write(frameAt(l, slot(newPfn), FRAME.MAPCOUNT), 1),
            write(newPte, op(op(slot(newPfn), '<<', PTE.SHIFT), '|', ANON_PTE)),
          ],
        }),
      });
      // ptep_clear_flush_notify() (v3.19-v6.5), the architecture's flush from v6.6: a device
      // TLB hears of the old page under the PTL, so range_end need not tell it again (only_end).
      tlbFlushed(e, [pi], ['wp_page_copy'], 'page');
      setPteAtNotify(e, pi, { fn: 'set_pte_at', does: 'map the new page writable', data: () => ({ effect: [write(pg.pte, slot(newPte))] }) });
      asm.emit({
        fn: 'wp_page_copy',
        does: 'folio_remove_rmap_pte(old); pte_unmap_unlock()',
        data: () => ({
          effect: [
            bind('old', slot(oldPfn)),
            when(notZero(old), [write(frameAt(l, old, FRAME.MAPCOUNT), op(fieldOf(l, old, FRAME.MAPCOUNT), '-', 1))]),
            write(mm.ptl, 0),
          ],
        }),
      });
    },
    { before: freeCopy, then: finish },
    true,
  );
  asm.emit({
    fn: 'wp_page_copy',
    // The mmap lock is dropped once, by the step after this one (do_wp_page's end).
    does: "put_page(old) for the mapping's reference",
    data: () => ({ effect: [bind('old', slot(oldPfn)), when(notZero(old), [putPageData(l, old)])] }),
  });

  asm.bind(finish);
  asm.emit({
    fn: 'do_wp_page',
    does: "put_page(old) for do_wp_page's reference; mmap_read_unlock()",
    data: () => ({ effect: [when(notZero(slot(oldPfn)), [putPageData(l, slot(oldPfn))]), unlockMmap, ...clearLocalsData(e, MM_LOCALS), goto(back)] }),
  });
}

/**
 * A user-space load or store by a process thread, through its own page table. A fault goes
 * through handle_mm_fault(); one that would SIGSEGV completes with EFAULT_VALUE.
 */
export function emitUserAccess(e: Emit, pi: number, write_: boolean, value: number, reg: number): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const access = asm.label();
  const fault = asm.label();
  const efault = asm.label();
  const done = asm.label();
  const pte = v('pte');
  const pfn = v('pfn');
  asm.bind(access);
  asm.emit({
    fn: write_ ? 'user store' : 'user load',
    does: `${write_ ? 'write' : 'read'} ${l.procs[pg.proc]!.name}:${hex(pg.addr)} through the process page table`,
    data: () => ({
      effect: [
        bind('pte', slot(pg.pte)),
        when(or(not(bits(pte, PTE.PRESENT)), bits(pte, PTE.PROTNONE), ...(write_ ? [not(bits(pte, PTE.WRITE))] : [])), [note('page fault'), goto(fault)]),
        bind('pfn', op(pte, '>>>', PTE.SHIFT)),
        ...(write_
          ? [
              write(frameAt(l, pfn, FRAME.CONTENT), value),
              folioContentSettledData(l, pfn), // overwritten, and the dirty PTE accounts for it
              write(pg.pte, op(pte, '|', PTE.DIRTY | PTE.YOUNG)),
            ]
          : [...(reg >= 0 ? [write(reg, fieldOf(l, pfn, FRAME.CONTENT))] : []), write(pg.pte, op(pte, '|', PTE.YOUNG))]),
        goto(done),
      ],
    }),
  });
  asm.bind(fault);
  emitHandleMmFault(e, pi, write_, access, efault);
  asm.bind(efault);
  asm.emit({
    fn: 'do_user_addr_fault',
    does: `SIGSEGV: the access completes with ${hex(EFAULT_VALUE)}`,
    data: () => ({ effect: reg >= 0 ? [write(reg, EFAULT_VALUE)] : [] }),
  });
  asm.bind(done);
}
