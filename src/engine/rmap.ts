// The reverse map (mm/rmap.c): walking the mappings of one folio, and what each walk does to
// one mapping (try_to_unmap_one, try_to_migrate_one, page_mkclean_one, the young tests of
// folio_referenced and friends). How each walk tells secondary MMUs is an era rule. The
// callers live in the file of their kernel room: vmscan.ts, migrate.ts, page-writeback.ts.
// Its steps are data (step-data.ts); the callbacks they deliver are the registrants' own.
import type { InvalidateRangeCaller, UnmapNotify } from '../contract/era.js';
import { hex } from '../contract/output.js';
import { clearLocalsData, type Emit } from './emit.js';
import { L, WALK_LOCALS } from './layout.js';
import { age, bracket, invalidatePage, tlbFlushed, type AgeCallback } from './notifier.js';
import { unreachable, type Label } from './program.js';
import { fieldOf, flagsOf, folioMarkDirtyData, frameAt, lockFree, putPageData, setFlag } from './prims.js';
import { FRAME, PG, PTE } from './state.js';
import { and, bind, bits, cond, eq, goto, not, note, op, slot, v, when, write, type Expr, type Stmt } from './step-data.js';

/** L.RESULT bits: what an rmap walk found, for the caller (vmscan, migrate, page-writeback). */
export const YOUNG = 1;
export const FAILED = 2;
export const DISCARDED = 4;
export const CLEANED = 8;
export const LOSES_WRITE = 16;
const SKIP_NOTIFY = 32;

/** Does the PTE map the folio? */
export const mapsFolioData = (pte: number, pfn: Expr): Expr => and(bits(slot(pte), PTE.PRESENT), eq(op(slot(pte), '>>>', PTE.SHIFT), pfn));

/**
 * The rmap walk: `body` for every page slot that may map the folio in L.OLDPFN. With more than
 * one candidate, a step asks whether this one maps it (rmap_walk only visits vmas that do).
 */
export function forEachMapping(e: Emit, candidates: number[], body: (pi: number) => void): void {
  const { l, asm } = e;
  const folio = e.local(L.OLDPFN);
  for (const pi of candidates) {
    const skip = asm.label();
    const pg = l.pages[pi]!;
    if (candidates.length > 1) {
      asm.emit({
        fn: 'rmap_walk',
        does: `does ${l.procs[pg.proc]!.name}:${hex(pg.addr)} map the folio?`,
        data: () => ({ effect: [when(not(mapsFolioData(pg.pte, slot(folio))), [goto(skip)])] }),
      });
    }
    body(pi);
    asm.bind(skip);
  }
}

/** A reason an operation leaves the folio alone: when `when` holds of it (`pfn`), the note `why`. */
export interface Refusal {
  when: Expr;
  why: string;
}

/**
 * The first step of an operation on the folio mapped at page `pi`: find it (bound to `pfn`),
 * or stop at `done` (unmapped, or a refusal holds). Puts its pfn in L.OLDPFN and clears
 * L.RESULT; then `extra`.
 */
export function findFolio(e: Emit, pi: number, fn: string, does: string, refusals: readonly Refusal[], done: Label, extra: readonly Stmt[] = []): void {
  const pg = e.l.pages[pi]!;
  e.asm.emit({
    fn,
    does,
    data: () => ({
      effect: [
        bind('pte', slot(pg.pte)),
        when(not(bits(v('pte'), PTE.PRESENT)), [note('the page is not mapped: nothing to do'), goto(done)]),
        bind('pfn', op(v('pte'), '>>>', PTE.SHIFT)),
        ...refusals.map((r) => when(r.when, [note(r.why), goto(done)])),
        write(e.local(L.OLDPFN), v('pfn')),
        write(e.local(L.RESULT), 0),
        ...extra,
      ],
    }),
  });
}

/** The rmap walks whose notification is an era rule, and the rule for each. */
export type NotifyRule = 'mm.try_to_unmap_one.notify' | 'mm.page_mkclean_one.notify';

/** PTE work under the PTL, as data: a step's name, what it does, its effect. */
export interface PteWork {
  fn: string;
  does: string;
  effect: readonly Stmt[];
}

/**
 * The change step of an rmap walk on one mapping: its effect given its two ways out. `giveUp`
 * ends the step having changed nothing, without the PTL or a notification; `noNotify` after
 * a change that needs no notification (a clean PTE, a restored lazyfree PTE): the PTL is
 * dropped, no .invalidate_page. Falling through, the change is done under the PTL.
 */
export interface PteChange {
  fn: string;
  does: string;
  effect: (giveUp: Stmt, noNotify: readonly Stmt[]) => readonly Stmt[];
}

/**
 * The work of an rmap walk on one mapping, told to secondary MMUs as the era's rule says: a
 * range bracket around it all (369ea8242c0f); or .invalidate_page with the PTE change, under
 * the PTL: right after the flush (ptep_clear_flush_notify(), until v3.6), or at the end of the
 * PTE work, after the swap entry, page_remove_rmap() and put_page(), just before the PTL is
 * dropped (the page_vma_mapped_walk() loops of v4.11, c7ab0d2fdc84 and f27176cfc363); or after
 * the PTL is dropped (2ec74c3ef2d8). `before` emits what the walk does first, inside the
 * bracket (try_to_unmap_one's young check); `change` runs under the PTL (PteChange); `after`
 * completes the PTE work before the PTL is dropped.
 */
/** Which rmap walker calls ->invalidate_range in the walk (INVALIDATE_RANGE_CALLERS). */
type RmapCaller = Extract<InvalidateRangeCaller, 'rmap' | 'rmap_file' | 'migrate' | 'page_mkclean'>;

export function emitPteChange(e: Emit, pi: number, rule: NotifyRule, w: { caller: RmapCaller; before?: () => void; change: PteChange; after?: PteWork }): void {
  const { change, after } = w;
  const { l, asm } = e;
  const mm = l.procs[l.pages[pi]!.proc]!;
  const result = e.local(L.RESULT);
  const style = e.rule(rule);
  /** Where .invalidate_page goes: after the flush, after the PTE work, after the unlock; or a range bracket. */
  let page: 'after-flush' | 'before-unlock' | 'after-unlock' | null;
  switch (style) {
    case 'invalidate_page-under-ptl':
      page = 'after-flush';
      break;
    case 'invalidate_page-before-unlock':
      page = 'before-unlock';
      break;
    case 'invalidate_page-after-unlock':
      page = 'after-unlock';
      break;
    case 'range':
      page = null;
      break;
    default:
      unreachable(style);
  }
  bracket(e, [pi], page === null, () => {
    w.before?.();
    const unlock = asm.label();
    const end = asm.label();
    e.rule(rule); // the change step's notification is this rule's
    // Nothing changed (a clean PTE, a restored lazyfree PTE): no .invalidate_page, as the
    // kernel calls it only `if (ret)` (page_mkclean_one) or `ret != SWAP_FAIL` (try_to_unmap_one).
    const noNotify: Stmt[] = [write(mm.ptl, e.owner), write(result, op(slot(result), '|', SKIP_NOTIFY)), goto(unlock)];
    asm.emit({
      fn: change.fn,
      does: change.does,
      data: () => ({ guard: lockFree(mm.ptl), effect: [...change.effect(goto(end), noNotify), write(mm.ptl, e.owner)] }),
    });
    if (page === 'after-flush') invalidatePage(e, pi);
    // The flush of the cleared PTE: a device TLB hears it under the PTL from v4.13
    // (mmu_notifier_invalidate_range() in the page_vma_mapped_walk() loop: modelled right after
    // the flush), v4.15-v6.5 only where the walk frees the page (w.caller), from the
    // architecture's flush from v6.6 (x86's batched reclaim flush calls it with (0, -1UL) when
    // it is queued: modelled as this page's).
    tlbFlushed(e, [pi], [w.caller], 'page');
    // .invalidate_page after the PTE work: that work is a step of its own, then the callback,
    // then the PTL is dropped. Otherwise the PTE work and the unlock are one step.
    const workThenPage = page === 'before-unlock';
    if (workThenPage) {
      if (after) asm.emit({ fn: after.fn, does: after.does, data: () => ({ effect: after.effect }) });
      invalidatePage(e, pi);
    }
    asm.bind(unlock);
    const merged = workThenPage ? undefined : after;
    asm.emit({
      fn: after?.fn ?? change.fn,
      does: `${merged ? `${merged.does}; ` : ''}pte_unmap_unlock()`,
      data: () => ({
        effect: [
          ...(merged?.effect ?? []),
          write(mm.ptl, 0),
          when(bits(slot(result), SKIP_NOTIFY), [write(result, op(slot(result), '&', ~SKIP_NOTIFY)), goto(end)]),
        ],
      }),
    });
    if (page === 'after-unlock') invalidatePage(e, pi);
    asm.bind(end);
  });
}

/**
 * The young test of an rmap walk: ptep_clear_flush_young() (or _clear_young / pte_young) on
 * the host PTE under the PTL, then the secondary MMUs' answer (ptep_clear_flush_young_notify
 * and friends). Both are ORed into L.RESULT.
 */
export function emitYoungTest(e: Emit, pi: number, cb: AgeCallback): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const mm = l.procs[pg.proc]!;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const skip = asm.label();
  const hostFn = { clear_flush_young: 'ptep_clear_flush_young', clear_young: 'ptep_test_and_clear_young', test_young: 'pte_young' }[cb];
  asm.emit({
    fn: hostFn,
    does: cb === 'test_young' ? 'is the host PTE young?' : 'test and clear the host PTE young bit, under the PTL',
    data: () => ({
      guard: lockFree(mm.ptl),
      effect: [
        when(not(mapsFolioData(pg.pte, slot(folio))), [goto(skip)]),
        when(bits(slot(pg.pte), PTE.YOUNG), [write(result, op(slot(result), '|', YOUNG)), ...(cb !== 'test_young' ? [write(pg.pte, op(slot(pg.pte), '&', ~PTE.YOUNG))] : [])]),
      ],
    }),
  });
  age(e, pi, cb);
  asm.bind(skip);
}

/**
 * try_to_unmap_one() for one mapping: the young check (by rule), ptep_clear_flush(), the dirty
 * bit to the folio, then the lazyfree decision (discard a clean page, or restore the PTE); a
 * swap entry for a swap-cache page (none for a discarded one); page_remove_rmap() and put_page().
 */
export function emitTryToUnmapOne(e: Emit, pi: number): void {
  const { l } = e;
  const pg = l.pages[pi]!;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const youngCheck = e.ruleRead('mm.try_to_unmap_one.young_check');
  const refcountCheck = e.ruleRead('mm.lazyfree.refcount_check');
  const pfn = v('pfn');
  const orResult = (x: Expr): Stmt => write(result, op(slot(result), '|', x));
  const clear: PteChange = {
    fn: 'try_to_unmap_one',
    does: `${WALK_FLUSH[e.rule('mm.try_to_unmap_one.notify')]}; the PTE dirty bit to the folio${e.lazyfree ? '; lazyfree: discard if clean' : ''}`,
    effect: (giveUp, noNotify) => [
      bind('pfn', slot(folio)),
      when(bits(slot(result), YOUNG), [youngCheck.read, ...(youngCheck.value ? [note('young: SWAP_FAIL'), orResult(FAILED), giveUp] : [])]),
      when(not(mapsFolioData(pg.pte, pfn)), [giveUp]),
      bind('pteval', slot(pg.pte)),
      write(pg.pte, 0),
      when(bits(v('pteval'), PTE.DIRTY), [folioMarkDirtyData(l, pfn)]),
      bind('f', flagsOf(l, pfn)),
      // A lazyfree (MADV_FREE) page: discard it if clean, else map it back as normal anon.
      when(not(bits(v('f'), PG.SWAPBACKED | PG.FILE)), [
        refcountCheck.read,
        bind('refs_ok', refcountCheck.value ? eq(fieldOf(l, pfn, FRAME.REFCOUNT), op(1, '+', fieldOf(l, pfn, FRAME.MAPCOUNT))) : 1),
        when(
          and(not(bits(v('f'), PG.DIRTY)), v('refs_ok')),
          [
            note('clean lazyfree folio: discard'),
            // A guest write the primary MMU has not been told of (KVM marks the folio dirty only
            // later, or never) goes with the page.
            orResult(op(DISCARDED, '|', cond(bits(v('f'), PG.GUEST_WROTE), LOSES_WRITE, 0))),
          ],
          [
            when(
              bits(v('f'), PG.SWAPCACHE),
              [
                // Before 802a3a92ad7a (v4.12) a written lazyfree page is swapped out like any other.
                note('lazyfree folio written again: swap it out'),
                setFlag(l, pfn, PG.SWAPBACKED),
              ],
              [note('lazyfree folio redirtied or referenced: restore the PTE, set swapbacked'), write(pg.pte, v('pteval')), setFlag(l, pfn, PG.SWAPBACKED), orResult(FAILED), ...noNotify],
            ),
          ],
        ),
      ]),
    ],
  };
  const finish: PteWork = {
    fn: 'try_to_unmap_one',
    does: 'a swap-cache anon page: set_pte_at() its swap entry (a discarded lazyfree or a file page: none); folio_remove_rmap_pte(); put_page()',
    effect: [
      bind('pfn', slot(folio)),
      when(not(bits(slot(result), FAILED)), [
        // The lazyfree discard (v4.5+) sets no swap entry: the PTE stays clear and the walk goes
        // straight to the rmap and the reference (dec_mm_counter(), `goto discard`).
        when(
          bits(slot(result), DISCARDED),
          [note('discarded lazyfree folio: no swap entry, the PTE stays clear')],
          [when(bits(flagsOf(l, pfn), PG.SWAPCACHE), [write(pg.pte, op(PTE.SWAP, '|', op(fieldOf(l, pfn, FRAME.INDEX), '<<', PTE.SHIFT)))])],
        ),
        write(frameAt(l, pfn, FRAME.MAPCOUNT), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '-', 1)),
        putPageData(l, pfn),
      ]),
    ],
  };
  emitPteChange(e, pi, 'mm.try_to_unmap_one.notify', {
    caller: l.vmas[l.pages[pi]!.vma]!.anon ? 'rmap' : 'rmap_file',
    // Unless TTU_IGNORE_ACCESS: ptep_clear_flush_young_notify() first, and a young page fails.
    before: () => {
      if (e.rule('mm.try_to_unmap_one.young_check')) emitYoungTest(e, pi, 'clear_flush_young');
    },
    change: clear,
    after: finish,
  });
}


/**
 * try_to_migrate_one() (try_to_unmap_one() with TTU_MIGRATION before v5.14) for one mapping:
 * ptep_clear_flush() and the dirty bit to the folio, then a migration entry in its place,
 * page_remove_rmap() and put_page(). Secondary MMUs are told as try_to_unmap_one() tells them:
 * until v3.6 ptep_clear_flush_notify() told them before the migration entry was set.
 */
export function emitTryToMigrateOne(e: Emit, pi: number): void {
  const { l } = e;
  const pg = l.pages[pi]!;
  const folio = e.local(L.OLDPFN);
  const oldPte = e.local(L.NEWPTE);
  const pfn = v('pfn');
  emitPteChange(e, pi, 'mm.try_to_unmap_one.notify', {
    caller: 'migrate',
    change: {
      fn: 'try_to_migrate_one',
      does: `${WALK_FLUSH[e.rule('mm.try_to_unmap_one.notify')]}; the PTE dirty bit to the folio`,
      effect: (giveUp) => [
        bind('pfn', slot(folio)),
        when(not(mapsFolioData(pg.pte, pfn)), [giveUp]),
        bind('pte', slot(pg.pte)),
        when(bits(v('pte'), PTE.DIRTY), [folioMarkDirtyData(l, pfn)]),
        write(oldPte, v('pte')),
        write(pg.pte, 0),
      ],
    },
    after: {
      fn: 'try_to_migrate_one',
      does: 'set_pte_at() a migration entry; folio_remove_rmap_pte(); put_page()',
      effect: [
        bind('pfn', slot(folio)),
        // The migration entry remembers the pfn and whether the PTE was writable.
        write(pg.pte, op(op(PTE.MIGRATION, '|', bits(slot(oldPte), PTE.WRITE)), '|', op(pfn, '<<', PTE.SHIFT))),
        write(oldPte, 0),
        write(frameAt(l, pfn, FRAME.MAPCOUNT), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '-', 1)),
        putPageData(l, pfn),
      ],
    },
  });
}

/**
 * The flush an rmap walk calls, by how its rule tells secondary MMUs: until v3.6 the
 * .invalidate_page under the PTL was ptep_clear_flush_notify() itself.
 */
const WALK_FLUSH: Record<UnmapNotify, string> = {
  'invalidate_page-under-ptl': 'ptep_clear_flush_notify()',
  'invalidate_page-after-unlock': 'ptep_clear_flush()',
  'invalidate_page-before-unlock': 'ptep_clear_flush()',
  range: 'ptep_clear_flush()',
};

/**
 * page_mkclean_one() for one mapping (writeback): ptep_clear_flush(), then set_pte_at() a
 * clean, read-only PTE; a dirty PTE is noted in L.RESULT (CLEANED) for the folio. Until
 * 2ec74c3ef2d8 (v3.7) the flush was ptep_clear_flush_notify(), the .invalidate_page under the
 * PTL of the rule's 'invalidate_page-under-ptl': the step names the call the rule says it made.
 */
export function emitPageMkcleanOne(e: Emit, pi: number): void {
  const pg = e.l.pages[pi]!;
  const folio = e.local(L.OLDPFN);
  const result = e.local(L.RESULT);
  const flush = WALK_FLUSH[e.rule('mm.page_mkclean_one.notify')];
  emitPteChange(e, pi, 'mm.page_mkclean_one.notify', {
    caller: 'page_mkclean',
    change: {
      fn: 'page_mkclean_one',
      does: `${flush}; set_pte_at() a clean, read-only PTE`,
      effect: (giveUp, noNotify) => [
        when(not(mapsFolioData(pg.pte, slot(folio))), [giveUp]),
        bind('pte', slot(pg.pte)),
        when(not(bits(v('pte'), PTE.WRITE | PTE.DIRTY)), noNotify),
        when(bits(v('pte'), PTE.DIRTY), [write(result, op(slot(result), '|', CLEANED))]),
        write(pg.pte, op(v('pte'), '&', ~(PTE.WRITE | PTE.DIRTY))),
      ],
    },
  });
}

const AGE_FN: Record<AgeCallback, [string, string]> = {
  clear_flush_young: ['folio_referenced', 'folio_referenced_one() on every mapping: ptep_clear_flush_young_notify()'],
  clear_young: ['page_idle_clear_pte_refs', 'page_idle_clear_pte_refs_one() on every mapping: ptep_clear_young_notify()'],
  test_young: ['hpage_collapse_scan_pmd', 'pte_young() || mmu_notifier_test_young()'],
};

/** age(P) / idle_age(P) / test_young(P): one aging pass over the folio's mappings; the register gets 1 if young. */
export function emitAge(e: Emit, pi: number, cb: AgeCallback, reg: number): void {
  const { l, asm } = e;
  const result = e.local(L.RESULT);
  const done = asm.label();
  const [fn, does] = AGE_FN[cb];
  findFolio(e, pi, fn, does, [{ when: bits(flagsOf(l, v('pfn')), PG.ZERO), why: 'the zero page is not aged' }], done);
  forEachMapping(e, e.related(pi), (m) => emitYoungTest(e, m, cb));
  asm.emit({
    fn,
    does: 'report whether the folio was young',
    data: () => ({
      effect: [
        bind('young', cond(bits(slot(result), YOUNG), 1, 0)),
        when(v('young'), [note('young')], [note('old')]),
        ...(reg >= 0 ? [write(reg, v('young'))] : []),
        ...clearLocalsData(e, WALK_LOCALS),
      ],
    }),
  });
  asm.bind(done);
}

