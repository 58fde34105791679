// Small kernel primitives, as data (step-data.ts): a step inlines them. Shared by the mm, KVM
// and guest steps.
import type { EraRules } from '../contract/era.js';
import { hex, type CounterName, type Violation } from '../contract/output.js';
import type { Emit } from './emit.js';
import { MM_LIVE, VMA_MAPPED, VMA_WRITE, counterSlot, type GfnSlot, type Layout } from './layout.js';
import { and, assign, bind, bits, block, cond, eq, fail, incr, leave, not, note, op, or, orInto, slot, v, when, write, type Expr, type Stmt, type Text } from './step-data.js';
import { unreachable } from './program.js';
import { FRAME, FRAME_STRIDE, PG, PTE, SPTE, TLB, VIOLATION_BIT } from './state.js';

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
 * it is built once per layout and shared by every step that inlines it (and every machine of
 * the scenario): steps as data are many small objects, and a run builds those of the steps it
 * takes.
 */
function perLayout<T>(build: (l: Layout) => T): (l: Layout) => T {
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
      // A secondary mapping that still reaches the page lets the guest use freed memory.
      when(secondaryMapsData(l, pfn), violateData(l, 'freed-frame-access', ['pfn ', { hex: pfn }, ' freed while an sPTE or a guest TLB entry still maps it'])),
    ]),
  ];
});

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

/** kvm_flush_remote_tlbs(): every vCPU drops every cached translation. */
export const flushRemoteTlbs = perLayout((l): Stmt[] => [...l.vcpus.flatMap((vc) => l.gfns.map((_, g) => write(vc.tlb + g, 0))), bump(l, 'kvm.tlb_flush')]);

/** kvm_set_pfn_dirty() / folio_mark_dirty() called by KVM. */
export const kvmMarkDirty = (l: Layout, pfn: Expr): Stmt[] => [folioMarkDirtyData(l, pfn), bump(l, 'kvm.folio_mark_dirty'), note('folio ', { hex: pfn }, ' marked dirty by KVM')];

/** kvm_set_pfn_accessed() / folio_mark_accessed() called by KVM. */
export const kvmMarkAccessed = (l: Layout, pfn: Expr): Stmt[] => [setFlag(l, pfn, PG.REFERENCED), bump(l, 'kvm.folio_mark_accessed'), note('folio ', { hex: pfn }, ' marked accessed by KVM')];

/**
 * What dropping or replacing an sPTE tells the host about its page, by the era's rules:
 * mmu_spte_clear_track_bits() (set_spte_track_bits(), rmap_remove() in older kernels) marks the
 * folio accessed and dirty from the old sPTE `old`. Without EPT A/D bits there is no A or D to
 * read: some kernels then mark always, others (is_dirty_spte()) fall back to "writable". The
 * rules are read when this is called, as a step is built; the result describes the work.
 */
export function trackBits(e: Emit): (old: Expr) => Stmt[] {
  const { l } = e;
  const markAccessed = e.ruleRead('kvm.zap.mark_accessed');
  const markDirty = e.ruleRead('kvm.zap.mark_dirty');
  return (old) => {
    const pfn = op(old, '>>>', SPTE.SHIFT);
    return [
      markAccessed.read,
      markDirty.read,
      when(spteMarksAccessed(markAccessed.value, e.eptAd, old), kvmMarkAccessed(l, pfn)),
      when(spteMarksDirty(markDirty.value, e.eptAd, old), kvmMarkDirty(l, pfn)),
    ];
  };
}

/** kvm.zap.mark_accessed for the old sPTE: its A bit; without EPT A/D bits, never or always. */
function spteMarksAccessed(rule: EraRules['kvm.zap.mark_accessed']['value'], eptAd: boolean, old: Expr): Expr {
  switch (rule) {
    case 'never':
      return 0;
    case 'if-accessed':
      return eptAd ? bits(old, SPTE.ACCESSED) : 0;
    case 'if-accessed-or-no-ad':
      return eptAd ? bits(old, SPTE.ACCESSED) : 1;
    default:
      return unreachable(rule);
  }
}

/**
 * kvm.zap.mark_dirty for the old sPTE: its D bit; without EPT A/D bits, a writable sPTE
 * (is_dirty_spte()) or every one.
 */
export function spteMarksDirty(rule: EraRules['kvm.zap.mark_dirty']['value'], eptAd: boolean, old: Expr): Expr {
  switch (rule) {
    case 'never':
      return 0;
    case 'if-dirty':
      return bits(old, eptAd ? SPTE.DIRTY : SPTE.WRITABLE);
    case 'if-dirty-or-no-ad':
      return eptAd ? bits(old, SPTE.DIRTY) : 1;
    default:
      return unreachable(rule);
  }
}

/**
 * Zap one leaf sPTE: drop_spte() -> mmu_spte_clear_track_bits() (tdp_mmu: handle_changed_spte()).
 * Whether the folio is marked dirty/accessed from the old sPTE is an era rule; before
 * acb66dd051d0 the sPTE also held a page reference (SPTE.PAGE_REF), which rmap_remove() puts.
 * The rules are read when this is called (trackBits); the result describes a zap.
 */
export function zapper(e: Emit): (g: GfnSlot) => Stmt {
  const { l } = e;
  const track = trackBits(e);
  const old = v('zapped_spte');
  return (g) => ({
    k: 'do',
    do: [
      bind('zapped_spte', slot(g.spte)),
      ...track(old),
      write(g.spte, 0),
      write(g.rmap, 0),
      bump(l, 'kvm.spte_zap'),
      note(`spte gfn ${hex(g.gfn)} zapped`),
      when(bits(old, SPTE.PAGE_REF), [putPageData(l, op(old, '>>>', SPTE.SHIFT))]),
    ],
  });
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
