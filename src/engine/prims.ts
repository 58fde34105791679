// Small kernel primitives on the flat state, shared by the mm, KVM and guest steps.
import type { EraRules } from '../contract/era.js';
import { hex, type CounterName, type Violation } from '../contract/output.js';
import type { Emit } from './emit.js';
import { MM_LIVE, VMA_MAPPED, VMA_WRITE, counterSlot, frameSlot, type GfnSlot, type Layout } from './layout.js';
import { unreachable, type Notes } from './program.js';
import { FRAME, PG, PTE, SPTE, TLB, VIOLATION_BIT, ptePfn, sptePfn, type State, put, get, inc, orBits } from './state.js';

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

/** put_page(): the last reference frees the page to the buddy allocator. */
export function putPage(l: Layout, s: State, pfn: number, notes: Notes): void {
  const i = frameSlot(l, pfn, FRAME.REFCOUNT);
  if (get(s, i) <= 0) throw new Error(`internal: put_page on pfn ${hex(pfn)} with refcount ${get(s, i)}`);
  put(s, i, get(s, i) - 1);
  if (get(s, i) === 0 && !(pageFlags(l, s, pfn) & PG.ZERO)) {
    frameSet(l, s, pfn, FRAME.FLAGS, PG.FREE);
    notes?.push(`pfn ${hex(pfn)} freed`);
    // A secondary mapping that still reaches the page lets the guest use freed memory.
    if (secondaryMaps(l, s, pfn)) violate(l, s, 'freed-frame-access', notes, `pfn ${hex(pfn)} freed while an sPTE or a guest TLB entry still maps it`);
  }
}

/** Does a present sPTE (or an access-tracked one) or a guest TLB entry map this frame? */
function secondaryMaps(l: Layout, s: State, pfn: number): boolean {
  for (let gi = 0; gi < l.gfns.length; gi++) {
    const spte = get(s, l.gfns[gi]!.spte);
    if (spte & (SPTE.PRESENT | SPTE.ACC_TRACK) && sptePfn(spte) === pfn) return true;
    for (const v of l.vcpus) {
      const t = get(s, v.tlb + gi);
      if (t & TLB.PRESENT && t >>> TLB.SHIFT === pfn) return true;
    }
  }
  return false;
}

/** alloc_page(): the lowest free frame, so that runs are deterministic. */
export function allocPage(l: Layout, s: State): number {
  for (let i = 0; i < l.nframes; i++) {
    const pfn = l.firstPfn + i;
    if (pageFlags(l, s, pfn) & PG.FREE) {
      frameSet(l, s, pfn, FRAME.FLAGS, 0);
      frameSet(l, s, pfn, FRAME.REFCOUNT, 1);
      frameSet(l, s, pfn, FRAME.MAPCOUNT, 0);
      frameSet(l, s, pfn, FRAME.CONTENT, 0);
      return pfn;
    }
  }
  throw new Error('internal: out of frames (the frame pool is sized from the scenario)');
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
