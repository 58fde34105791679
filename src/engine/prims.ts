// Small kernel primitives on the flat state, shared by the mm, KVM and guest steps.
import type { EraRules } from '../contract/era.js';
import { hex, type CounterName, type Violation } from '../contract/output.js';
import type { Emit } from './emit.js';
import { MM_LIVE, VMA_MAPPED, VMA_WRITE, counterSlot, frameSlot, type GfnSlot, type Layout } from './layout.js';
import { and, bind, bits, compileProc, eq, not, note, op, or, slot, v, when, write, type Expr, type Stmt, type Text } from './step-data.js';
import { unreachable, type Notes } from './program.js';
import { FRAME, FRAME_STRIDE, PG, PTE, SPTE, TLB, VIOLATION_BIT, ptePfn, sptePfn, type State, put, get, inc, orBits } from './state.js';

export function bump(l: Layout, s: State, c: CounterName): void {
  inc(s, counterSlot(l, c));
}

export function violate(l: Layout, s: State, v: Violation, notes: Notes, why: string): void {
  orBits(s, l.violations, VIOLATION_BIT[v]);
  notes?.push(`VIOLATION ${v}: ${why}`);
}

export const frameGet = (l: Layout, s: State, pfn: number, field: number) => get(s, frameSlot(l, pfn, field));
export const frameSet = (l: Layout, s: State, pfn: number, field: number, v: number) => {
  put(s, frameSlot(l, pfn, field), v);
};
export const pageFlags = (l: Layout, s: State, pfn: number) => frameGet(l, s, pfn, FRAME.FLAGS);
export const setPageFlag = (l: Layout, s: State, pfn: number, flag: number) => frameSet(l, s, pfn, FRAME.FLAGS, pageFlags(l, s, pfn) | flag);
export const clearPageFlag = (l: Layout, s: State, pfn: number, flag: number) => frameSet(l, s, pfn, FRAME.FLAGS, pageFlags(l, s, pfn) & ~flag);

/** get_page() */
export function getPage(l: Layout, s: State, pfn: number): void {
  put(s, frameSlot(l, pfn, FRAME.REFCOUNT), get(s, frameSlot(l, pfn, FRAME.REFCOUNT)) + 1);
}

// ---- Primitives as data (step-data.ts). A step that is data inlines them; code that is not
// data yet calls the same description, compiled once per layout (putPage, allocPage).

/** The slot of a frame's field, for a pfn computed as the step runs: frameSlot(). */
export const frameAt = (l: Layout, pfn: Expr, field: number): Expr => ({ frame: pfn, field, base: l.frames, first: l.firstPfn, stride: FRAME_STRIDE });
/** The slot of the swap/page-cache entry of a page's store (its swap slot or file block), by the store's index. */
export const storeCacheAt = (l: Layout, at: Expr): Expr => ({ table: l.stores.map((st) => st.cache), at, name: 'cache of store' });
/** The slot of the content of a page's store, by the store's index. */
export const storeContentAt = (l: Layout, at: Expr): Expr => ({ table: l.stores.map((st) => st.content), at, name: 'content of store' });
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
export const violateData = (l: Layout, what: Violation, why: readonly Text[]): Stmt[] => [{ or: l.violations, bits: VIOLATION_BIT[what] }, note(`VIOLATION ${what}: `, ...why)];

/** Does a present sPTE (or an access-tracked one) or a guest TLB entry map the frame `pfn` is bound to? */
function secondaryMapsData(l: Layout, pfn: Expr): Expr {
  return or(
    ...l.gfns.flatMap((g, gi) => [
      and(bits(slot(g.spte), SPTE.PRESENT | SPTE.ACC_TRACK), eq(op(slot(g.spte), '>>>', SPTE.SHIFT), pfn)),
      ...l.vcpus.map((vc) => and(bits(slot(vc.tlb + gi), TLB.PRESENT), eq(op(slot(vc.tlb + gi), '>>>', TLB.SHIFT), pfn))),
    ]),
  );
}

/**
 * A primitive's body depends on the layout alone (its argument is bound to a name first), so
 * it is built once per layout and shared: its generated text is made once (step-data.ts).
 */
function perLayout<T>(build: (l: Layout) => T): (l: Layout) => T {
  const built = new WeakMap<Layout, T>();
  return (l) => {
    let t = built.get(l);
    if (t === undefined) built.set(l, (t = build(l)));
    return t;
  };
}

const putPageBody = perLayout((l): Stmt[] => {
  const pfn = v('put_page_pfn');
  const ref = frameAt(l, pfn, FRAME.REFCOUNT);
  return [
    when(op(slot(ref), '<=', 0), [{ fail: ['put_page on pfn ', { hex: pfn }, ' with refcount ', { dec: slot(ref) }] }]),
    write(ref, op(slot(ref), '-', 1)),
    when(and(eq(slot(ref), 0), not(bits(flagsOf(l, pfn), PG.ZERO))), [
      write(frameAt(l, pfn, FRAME.FLAGS), PG.FREE),
      note('pfn ', { hex: pfn }, ' freed'),
      // A secondary mapping that still reaches the page lets the guest use freed memory.
      when(secondaryMapsData(l, pfn), violateData(l, 'freed-frame-access', ['pfn ', { hex: pfn }, ' freed while an sPTE or a guest TLB entry still maps it'])),
    ]),
  ];
});

/** put_page(): the last reference frees the page to the buddy allocator. */
export function putPageData(l: Layout, pfn: Expr): Stmt {
  return { do: [bind('put_page_pfn', pfn), ...putPageBody(l)] };
}

const allocPageBody = perLayout((l): Stmt[] => {
  const pfn = v('alloc_page_pfn');
  return [
    {
      each: 'alloc_page_pfn',
      of: Array.from({ length: l.nframes }, (_, i) => l.firstPfn + i),
      do: [
        when(bits(flagsOf(l, pfn), PG.FREE), [
          write(frameAt(l, pfn, FRAME.FLAGS), 0),
          write(frameAt(l, pfn, FRAME.REFCOUNT), 1),
          write(frameAt(l, pfn, FRAME.MAPCOUNT), 0),
          write(frameAt(l, pfn, FRAME.CONTENT), 0),
          { set: 'alloc_page', v: pfn },
          { break: true },
        ]),
      ],
    },
    when(eq(v('alloc_page'), 0), [{ fail: ['out of frames (the frame pool is sized from the scenario)'] }]),
  ];
});

/** alloc_page() into `into`, a name bound already. */
const allocPageInto = (l: Layout, into: string): Stmt => ({ do: [bind('alloc_page', 0), ...allocPageBody(l), { set: into, v: v('alloc_page') }] });

/** alloc_page() into `into`: the lowest free frame, so that runs are deterministic. */
export function allocPageData(l: Layout, into: string): Stmt[] {
  return [bind(into, 0), allocPageInto(l, into)];
}

/** put_page() and alloc_page() for code that is not data yet: the descriptions above, compiled once per layout. */
const procs = new WeakMap<Layout, { putPage: (s: State, notes: Notes, pfn: number) => number; allocPage: (s: State, notes: Notes) => number }>();
function procsOf(l: Layout) {
  let p = procs.get(l);
  if (!p) procs.set(l, (p = { putPage: compileProc(['pfn'], [putPageData(l, v('pfn'))]), allocPage: compileProc([], [allocPageInto(l, 'pfn')], 'pfn') }));
  return p;
}

/** put_page(): the last reference frees the page to the buddy allocator. */
export function putPage(l: Layout, s: State, pfn: number, notes: Notes): void {
  procsOf(l).putPage(s, notes, pfn);
}

/** alloc_page(): the lowest free frame, so that runs are deterministic. */
export function allocPage(l: Layout, s: State): number {
  return procsOf(l).allocPage(s, null);
}

/** kvm_flush_remote_tlbs(): every vCPU drops every cached translation. */
export function flushRemoteTlbs(l: Layout, s: State): void {
  for (const v of l.vcpus) for (let g = 0; g < l.gfns.length; g++) put(s, v.tlb + g, 0);
  bump(l, s, 'kvm.tlb_flush');
}

/** folio_mark_dirty(): the primary MMU now knows the content must be kept. */
export function folioMarkDirty(l: Layout, s: State, pfn: number): void {
  frameSet(l, s, pfn, FRAME.FLAGS, (pageFlags(l, s, pfn) | PG.DIRTY) & ~PG.GUEST_WROTE);
}

/** The content is safe or deliberately dropped (written back, swapped out, MADV_FREE'd): forget unaccounted guest writes. */
export function folioContentSettled(l: Layout, s: State, pfn: number): void {
  clearPageFlag(l, s, pfn, PG.GUEST_WROTE);
}

/** kvm_set_pfn_dirty() / folio_mark_dirty() called by KVM. */
export function kvmMarkDirty(l: Layout, s: State, pfn: number, notes: Notes): void {
  folioMarkDirty(l, s, pfn);
  bump(l, s, 'kvm.folio_mark_dirty');
  notes?.push(`folio ${hex(pfn)} marked dirty by KVM`);
}

/** kvm_set_pfn_accessed() / folio_mark_accessed() called by KVM. */
export function kvmMarkAccessed(l: Layout, s: State, pfn: number, notes: Notes): void {
  setPageFlag(l, s, pfn, PG.REFERENCED);
  bump(l, s, 'kvm.folio_mark_accessed');
  notes?.push(`folio ${hex(pfn)} marked accessed by KVM`);
}

/**
 * What dropping or replacing an sPTE tells the host about its page, by the era's rules:
 * mmu_spte_clear_track_bits() (set_spte_track_bits(), rmap_remove() in older kernels) marks the
 * folio accessed and dirty from the old sPTE. Without EPT A/D bits there is no A or D to read:
 * some kernels then mark always, others (is_dirty_spte()) fall back to "writable".
 */
export function trackBits(e: Emit): (s: State, old: number, notes: Notes) => void {
  const { l } = e;
  const markAccessed = e.ruleAt('kvm.zap.mark_accessed');
  const markDirty = e.ruleAt('kvm.zap.mark_dirty');
  return (s, old, notes) => {
    const pfn = sptePfn(old);
    const a = spteMarksAccessed(markAccessed(notes), e.eptAd, old);
    const d = spteMarksDirty(markDirty(notes), e.eptAd, old);
    if (a) kvmMarkAccessed(l, s, pfn, notes);
    if (d) kvmMarkDirty(l, s, pfn, notes);
  };
}

/** kvm.zap.mark_accessed for the old sPTE: its A bit; without EPT A/D bits, never or always. */
function spteMarksAccessed(rule: EraRules['kvm.zap.mark_accessed']['value'], eptAd: boolean, old: number): boolean {
  switch (rule) {
    case 'never':
      return false;
    case 'if-accessed':
      return eptAd && (old & SPTE.ACCESSED) !== 0;
    case 'if-accessed-or-no-ad':
      return !eptAd || (old & SPTE.ACCESSED) !== 0;
    default:
      return unreachable(rule);
  }
}

/**
 * kvm.zap.mark_dirty for the old sPTE: its D bit; without EPT A/D bits, a writable sPTE
 * (is_dirty_spte()) or every one.
 */
export function spteMarksDirty(rule: EraRules['kvm.zap.mark_dirty']['value'], eptAd: boolean, old: number): boolean {
  switch (rule) {
    case 'never':
      return false;
    case 'if-dirty':
      return (old & (eptAd ? SPTE.DIRTY : SPTE.WRITABLE)) !== 0;
    case 'if-dirty-or-no-ad':
      return !eptAd || (old & SPTE.DIRTY) !== 0;
    default:
      return unreachable(rule);
  }
}

/**
 * Zap one leaf sPTE: drop_spte() -> mmu_spte_clear_track_bits() (tdp_mmu: handle_changed_spte()).
 * Whether the folio is marked dirty/accessed from the old sPTE is an era rule; before
 * acb66dd051d0 the sPTE also held a page reference (SPTE.PAGE_REF), which rmap_remove() puts. A handler makes
 * its zapper when it is built (the rule readers are made once), and calls it as it runs.
 */
export function zapper(e: Emit): (s: State, g: GfnSlot, notes: Notes) => void {
  const { l } = e;
  const track = trackBits(e);
  return (s, g, notes) => {
    const old = get(s, g.spte);
    track(s, old, notes);
    put(s, g.spte, 0);
    put(s, g.rmap, 0);
    bump(l, s, 'kvm.spte_zap');
    notes?.push(`spte gfn ${hex(g.gfn)} zapped`);
    if (old & SPTE.PAGE_REF) putPage(l, s, sptePfn(old), notes);
  };
}

/** The frame the primary MMU maps at a page slot (a NUMA-hint PTE still maps it), or 0. */
export function hostPfn(s: State, pteIdx: number): number {
  const pte = get(s, pteIdx);
  return pte & PTE.PRESENT ? ptePfn(pte) : 0;
}

/** Is any PTE mapping this frame dirty? (The primary MMU will move that to the folio at unmap.) */
export function anyPteDirty(l: Layout, s: State, pfn: number): boolean {
  for (const p of l.pages) {
    const pte = get(s, p.pte);
    if (pte & PTE.PRESENT && pte & PTE.DIRTY && ptePfn(pte) === pfn) return true;
  }
  return false;
}

export const vmaMapped = (l: Layout, s: State, page: number) => (get(s, l.vmas[l.pages[page]!.vma]!.state) & VMA_MAPPED) !== 0;
export const vmaWritable = (l: Layout, s: State, page: number) => (get(s, l.vmas[l.pages[page]!.vma]!.state) & VMA_WRITE) !== 0;
export const mmLive = (l: Layout, s: State, page: number) => get(s, l.procs[l.pages[page]!.proc]!.mmState) === MM_LIVE;

/** Locks: 0 is free; a positive value is the holder's thread index + 1; mmap_lock read holders count down from 0. */
export const lockFree = (s: State, idx: number) => get(s, idx) === 0;
export const notWriteLocked = (s: State, idx: number) => get(s, idx) <= 0;
