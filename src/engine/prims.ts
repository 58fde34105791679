// Small kernel primitives, as data (step-data.ts): a step inlines them. Shared by the mm's
// steps and a secondary MMU's (src/kvm/).
import type { CounterName, Violation } from '../contract/output.js';
import { MM_LIVE, VMA_MAPPED, VMA_WRITE, counterSlot, type Layout } from './layout.js';
import { and, assign, bind, bits, block, cond, eq, fail, incr, leave, not, note, op, or, orInto, slot, v, when, write, type Expr, type Stmt, type Text } from './step-data.js';
import { FRAME, FRAME_STRIDE, PG, PTE, VIOLATION_BIT } from './state.js';

/** Count an event (a counter no step reads back). */
export const bump = (l: Layout, c: CounterName): Stmt => (incr(counterSlot(l, c), 1));

/** The slot of a frame's field, for a pfn computed as the step runs: frameSlot(). */
export const frameAt = (l: Layout, pfn: Expr, field: number): Expr => ({ k: 'frame', frame: pfn, field, base: l.frames, first: l.firstPfn, stride: FRAME_STRIDE });
/** The slot of the swap/page-cache entry of a page's store (its swap slot or file block), by the store's index. */
export const storeCacheAt = (l: Layout, at: Expr): Expr => ({ k: 'table', table: l.stores.map((st) => st.cache), at, name: 'cache of store' });
/** The slot of the content of a page's store, by the store's index. */
export const storeContentAt = (l: Layout, at: Expr): Expr => ({ k: 'table', table: l.stores.map((st) => st.content), at, name: 'content of store' });
/** The folio's flags. */
export const flagsOf = (l: Layout, pfn: Expr): Expr => slot(frameAt(l, pfn, FRAME.FLAGS));
/** A frame field's value. */
export const fieldOf = (l: Layout, pfn: Expr, field: number): Expr => slot(frameAt(l, pfn, field));
export const setFlag = (l: Layout, pfn: Expr, flag: number): Stmt => write(frameAt(l, pfn, FRAME.FLAGS), op(flagsOf(l, pfn), '|', flag));
export const clearFlag = (l: Layout, pfn: Expr, flag: number): Stmt => write(frameAt(l, pfn, FRAME.FLAGS), op(flagsOf(l, pfn), '&', ~flag));
/** get_page(), as data. */
export const getPageData = (l: Layout, pfn: Expr): Stmt => write(frameAt(l, pfn, FRAME.REFCOUNT), op(fieldOf(l, pfn, FRAME.REFCOUNT), '+', 1));
/** folio_mark_dirty(): the primary MMU now knows the content must be kept. */
export const folioMarkDirtyData = (l: Layout, pfn: Expr): Stmt => write(frameAt(l, pfn, FRAME.FLAGS), op(op(flagsOf(l, pfn), '|', PG.DIRTY), '&', ~PG.GUEST_WROTE));
/** The content is safe or deliberately dropped: forget unaccounted guest writes (folioContentSettled). */
export const folioContentSettledData = (l: Layout, pfn: Expr): Stmt => clearFlag(l, pfn, PG.GUEST_WROTE);
/** A harm seen: its bit in the state, and a note. */
export const violateData = (l: Layout, what: Violation, why: readonly Text[]): Stmt[] => [orInto(l.violations, VIOLATION_BIT[what]), note(`VIOLATION ${what}: `, ...why)];

/**
 * A primitive's body depends on the layout alone (its argument is bound to a name first), so
 * it is built once per layout and shared by every step that inlines it (and every machine of
 * the scenario): steps as data are many small objects, and a run builds those of the steps it
 * takes.
 */
export function perLayout<T>(build: (l: Layout) => T): (l: Layout) => T {
  const built = new WeakMap<Layout, T>();
  return (l) => {
    let t = built.get(l);
    if (t === undefined) built.set(l, (t = build(l)));
    return t;
  };
}

const sharedParts = new WeakMap<Layout, Map<string, unknown>>();
/**
 * A part of a step that depends on the layout and on `key` alone (no label, no rule), built
 * once: the same reasons as perLayout. The key must name everything the part depends on.
 */
export function sharedPart<T>(l: Layout, key: string, build: () => T): T {
  let parts = sharedParts.get(l);
  if (!parts) sharedParts.set(l, (parts = new Map()));
  let t = parts.get(key) as T | undefined;
  if (t === undefined) parts.set(key, (t = build()));
  return t;
}

const putPageBody = perLayout((l): Stmt[] => {
  const pfn = v('put_page_pfn');
  const ref = frameAt(l, pfn, FRAME.REFCOUNT);
  return [
    when(op(slot(ref), '<=', 0), [fail('put_page on pfn ', { hex: pfn }, ' with refcount ', { dec: slot(ref) })]),
    write(ref, op(slot(ref), '-', 1)),
    when(and(eq(slot(ref), 0), not(bits(flagsOf(l, pfn), PG.ZERO))), [
      write(frameAt(l, pfn, FRAME.FLAGS), PG.FREE),
      note('pfn ', { hex: pfn }, ' freed'),
      // A secondary mapping that still reaches the page lets its user (a guest) use freed memory.
      ...freedWhileMapped(l, l.secondaries, pfn),
    ]),
  ];
});

/** The harm of a frame freed while a secondary MMU still maps it: the first registrant that does is named. */
function freedWhileMapped(l: Layout, mmus: Layout['secondaries'], pfn: Expr): Stmt[] {
  if (!mmus.length) return [];
  const { maps, mappings } = mmus[0]!.mapsFrame(l, pfn);
  // A registrant with no mapping in this scenario (no VM, no device) adds no test.
  if (maps === 0) return freedWhileMapped(l, mmus.slice(1), pfn);
  return [when(maps, violateData(l, 'freed-frame-access', ['pfn ', { hex: pfn }, ` freed while ${mappings} still maps it`]), freedWhileMapped(l, mmus.slice(1), pfn))];
}

/** put_page(): the last reference frees the page to the buddy allocator. */
export function putPageData(l: Layout, pfn: Expr): Stmt {
  return block([bind('put_page_pfn', pfn), ...putPageBody(l)]);
}

const allocPageBody = perLayout((l): Stmt[] => {
  const pfn = v('alloc_page_pfn');
  return [
    {
      k: 'each',
      each: 'alloc_page_pfn',
      of: Array.from({ length: l.nframes }, (_, i) => l.firstPfn + i),
      do: [
        when(bits(flagsOf(l, pfn), PG.FREE), [
          write(frameAt(l, pfn, FRAME.FLAGS), 0),
          write(frameAt(l, pfn, FRAME.REFCOUNT), 1),
          write(frameAt(l, pfn, FRAME.MAPCOUNT), 0),
          write(frameAt(l, pfn, FRAME.CONTENT), 0),
          assign('alloc_page', pfn),
          leave,
        ]),
      ],
    },
    when(eq(v('alloc_page'), 0), [fail('out of frames (the frame pool is sized from the scenario)')]),
  ];
});

/** alloc_page() into `into`, a name bound already. */
const allocPageInto = (l: Layout, into: string): Stmt => (block([bind('alloc_page', 0), ...allocPageBody(l), assign(into, v('alloc_page'))]));

/** alloc_page() into `into`: the lowest free frame, so that runs are deterministic. */
export function allocPageData(l: Layout, into: string): Stmt[] {
  return [bind(into, 0), allocPageInto(l, into)];
}

/** The frame the primary MMU maps at a page slot (a NUMA-hint PTE still maps it), or 0. */
export const hostPfn = (pte: number): Expr => (cond(bits(slot(pte), PTE.PRESENT), op(slot(pte), '>>>', PTE.SHIFT), 0));

/** Is any PTE mapping this frame dirty? (The primary MMU will move that to the folio at unmap.) */
export const anyPteDirty = (l: Layout, pfn: Expr): Expr => or(...l.pages.map((p) => and(bits(slot(p.pte), PTE.PRESENT), bits(slot(p.pte), PTE.DIRTY), eq(op(slot(p.pte), '>>>', PTE.SHIFT), pfn))));

/** The vma of a page slot is mapped / writable; the mm of its process is live. */
export const vmaMapped = (l: Layout, page: number): Expr => bits(slot(l.vmas[l.pages[page]!.vma]!.state), VMA_MAPPED);
export const vmaWritable = (l: Layout, page: number): Expr => bits(slot(l.vmas[l.pages[page]!.vma]!.state), VMA_WRITE);
export const mmLive = (l: Layout, page: number): Expr => eq(slot(l.procs[l.pages[page]!.proc]!.mmState), MM_LIVE);

/** Locks: 0 is free; a positive value is the holder's thread index + 1; mmap_lock read holders count down from 0. */
export const lockFree = (idx: number): Expr => eq(slot(idx), 0);
export const notWriteLocked = (idx: number): Expr => op(slot(idx), '<=', 0);

/**
 * A secondary MMU's access through `pfn` (a guest's through its TLB or sPTE, a device's through
 * its ATC): the harm checks (docs/output.md), made at the moment it touches the frame. Harm,
 * not a mere window: it touched a frame it must not touch, or read data the primary MMU no
 * longer shows at `pte`. `who` names the accessor in the note (`guest`, `device`).
 */
function secondaryAccessChecks(l: Layout, who: string, pfn: Expr, pte: number, isWrite: boolean, before?: OrderedBefore): Stmt[] {
  const flags = v('flags');
  const primary = v('primary');
  const mapped: Text[] = [' the process maps ', { hex: primary }];
  const stale: Stmt[] = [
    ...(isWrite ? [when(or(bits(flags, PG.KSM | PG.ZERO), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '>', 1)), violateData(l, 'shared-frame-write', [`${who} wrote pfn `, { hex: pfn }, ', which is shared']))] : []),
    when(and(op(primary, '!==', 0), op(primary, '!==', pfn)), [
      isWrite
        ? block(violateData(l, 'lost-write', [`${who} wrote pfn `, { hex: pfn }, ';', ...mapped]))
        : when(op(fieldOf(l, pfn, FRAME.CONTENT), '!==', fieldOf(l, primary, FRAME.CONTENT)), violateData(l, 'stale-read', [`${who} read pfn `, { hex: pfn }, ';', ...mapped, ' with other data'])),
    ]),
  ];
  return [
    bind('flags', flagsOf(l, pfn)),
    bind('primary', hostPfn(pte)),
    when(
      bits(flags, PG.FREE),
      violateData(l, 'freed-frame-access', [`${who} ${isWrite ? 'wrote' : 'read'} freed pfn `, { hex: pfn }]),
      // Through a translation the CPU TLBs may still hold too, the access orders before the change.
      before ? [when(before.when, [note(before.why)], stale)] : stale,
    ),
  ];
}

/**
 * When a secondary MMU's access through a stale translation orders before the change that made
 * it stale (a device's ATC entry while the CPU TLB flush of the change is still to come: a
 * CPU's stale TLB entry reads and writes the same frame): `when` it does, the checks but the
 * freed frame's are skipped with the note `why`.
 */
export interface OrderedBefore {
  when: Expr;
  why: string;
}

/**
 * A secondary MMU's access through `pfn` (bound by the caller) completes: the harm checks, then
 * the store (a write the primary MMU has not seen marks the folio) or the load into `reg`
 * (-1: none), counted in `counted`. `who` names the accessor (`guest`, `device`).
 */
export function completeSecondaryAccess(l: Layout, who: string, pte: number, isWrite: boolean, value: number, reg: number, counted: { read: CounterName; write: CounterName }, before?: OrderedBefore): Stmt[] {
  const pfn = v('pfn');
  return [
    ...(before ? secondaryAccessChecks(l, who, pfn, pte, isWrite, before) : sharedPart(l, `${who} access check ${pte} ${isWrite}`, () => secondaryAccessChecks(l, who, pfn, pte, isWrite))),
    ...(isWrite
      ? [write(frameAt(l, pfn, FRAME.CONTENT), value), sharedPart(l, `${who} wrote`, () => secondaryWroteData(l, pfn)), bump(l, counted.write)]
      : [...(reg >= 0 ? [write(reg, fieldOf(l, pfn, FRAME.CONTENT))] : []), bump(l, counted.read)]),
  ];
}

/**
 * A write through a secondary mapping dirties no PTE: unless the folio is already dirty (or a
 * dirty PTE will tell the primary MMU at unmap), the primary MMU does not know about it until
 * the secondary MMU marks the folio dirty.
 */
const secondaryWroteData = (l: Layout, pfn: Expr): Stmt => when(and(not(bits(flagsOf(l, pfn), PG.DIRTY)), not(anyPteDirty(l, pfn))), [setFlag(l, pfn, PG.GUEST_WROTE)]);
