// KVM's state in the machine's flat state array (its part of the layout, engine/secondary.ts):
// struct kvm's mmu_lock and invalidate counters, a leaf sPTE and an rmap entry per gfn of the
// memslots, and each vCPU's TLB entry per gfn.
import { PAGE_SIZE, hex } from '../contract/output.js';
import type { Options, Scenario } from '../contract/scenario.js';
import type { Emit } from '../engine/emit.js';
import type { Layout } from '../engine/layout.js';
import { unreachable } from '../engine/program.js';
import type { LayoutBuilder } from '../engine/secondary.js';

/** A KVM leaf sPTE (EPT entry). 0 is not present. */
export const SPTE = {
  PRESENT: 1,
  WRITABLE: 2, // PT_WRITABLE_MASK
  DIRTY: 4, // shadow_dirty_mask (EPT D bit)
  ACCESSED: 8, // shadow_accessed_mask (EPT A bit)
  HOST_WRITABLE: 16, // SPTE_HOST_WRITEABLE / shadow_host_writable_mask
  ACC_TRACK: 32, // an access-tracked sPTE (mark_spte_for_access_track): not present to the CPU, restored by fast_page_fault()
  PAGE_REF: 64, // the sPTE holds the reference gfn_to_pfn() took; rmap_remove() puts it (before acb66dd051d0)
  SHIFT: 8,
} as const;

/** A guest TLB entry (gfn -> pfn) cached by a vCPU. */
export const TLB = {
  PRESENT: 1,
  WRITABLE: 2,
  SHIFT: 8,
} as const;

export const sptePfn = (spte: number) => spte >>> SPTE.SHIFT;
const tlbPfn = (t: number) => t >>> TLB.SHIFT;

export interface GfnSlot {
  gfn: number;
  /** Index into Layout.pages of the hva this gfn maps. */
  page: number;
  spte: number;
  rmap: number;
}

export interface KvmLayout {
  mmuLock: number;
  seq: number;
  inProgress: number;
  rangeStart: number;
  rangeEnd: number;
  gfns: GfnSlot[];
  /** By Layout.pages index: the gfns whose memslot maps the page (usually zero or one). */
  pageGfns: number[][];
  /** tlb: the first of one slot per gfn (in the order of gfns). */
  vcpus: { name: string; tlb: number }[];
  /** The process whose mm KVM registered its notifier on (kvm->mm), or -1 without a VM. */
  vmProc: number;
  /** EPT accessed/dirty bits (the scenario's `ept_ad` option, settled at the release). */
  eptAd: boolean;
  /** The scenario's `mmu` option: `default` is the era's (kvm.mmu.default). */
  mmu: Options['mmu'];
}

/** KVM's state for a scenario: slots taken after the primary MMU's. */
export function kvmLayout(s: Scenario, b: LayoutBuilder): KvmLayout {
  const mmuLock = b.slot('kvm->mmu_lock', 'lock');
  const seq = b.slot('kvm->mmu_invalidate_seq', 'num');
  const inProgress = b.slot('kvm->mmu_invalidate_in_progress', 'num');
  const rangeStart = b.slot('kvm->mmu_invalidate_range_start (gfn)', 'num');
  const rangeEnd = b.slot('kvm->mmu_invalidate_range_end (gfn)', 'num');
  const gfns: GfnSlot[] = [];
  const pageGfns: number[][] = b.pages.map(() => []);
  for (const sl of s.slots) {
    const pi = s.procs.findIndex((p) => p.name === sl.target.proc);
    for (let k = 0; k < sl.pages; k++) {
      const gfn = sl.gfn + k;
      const page = b.pages.findIndex((pg) => pg.proc === pi && pg.addr === sl.target.addr + k * PAGE_SIZE);
      pageGfns[page]!.push(gfns.length);
      gfns.push({ gfn, page, spte: b.slot(`spte gfn ${hex(gfn)}`, 'spte'), rmap: b.slot(`rmap gfn ${hex(gfn)}`, 'num') });
    }
  }
  const vcpus = b.vcpus.map((name) => {
    const tlb = b.next;
    for (const g of gfns) b.slot(`${name} tlb gfn ${hex(g.gfn)}`, 'tlb');
    return { name, tlb };
  });
  const vmProc = s.slots.length ? s.procs.findIndex((p) => p.name === s.slots[0]!.target.proc) : -1;
  return { mmuLock, seq, inProgress, rangeStart, rangeEnd, gfns, pageGfns, vcpus, vmProc, eptAd: adBits(s.options.eptAd), mmu: s.options.mmu };
}

/** KVM's part of a layout. */
export const kvmOf = (l: Layout): KvmLayout => l.parts.get('kvm') as KvmLayout;

/** The gfns (KVM's slots) that map these pages. */
export const gfnsOf = (l: Layout, pages: readonly number[]): GfnSlot[] => {
  const k = kvmOf(l);
  return pages.flatMap((p) => k.pageGfns[p]!.map((i) => k.gfns[i]!));
};

/** The index of a gfn among KVM's slots. */
export const gfnIndex = (l: Layout, gfn: number): number => kvmOf(l).gfns.findIndex((g) => g.gfn === gfn);

/**
 * The VM uses the TDP MMU (arch/x86/kvm/mmu/tdp_mmu.c, v5.10+): the scenario's `mmu` option,
 * or the era's default, read as a rule by the step being built.
 */
export function tdp(e: Emit): boolean {
  const { mmu } = kvmOf(e.l);
  return isTdp(mmu === 'default' ? e.rule('kvm.mmu.default') : mmu);
}

export function isTdp(mmu: 'shadow' | 'tdp'): boolean {
  switch (mmu) {
    case 'shadow':
      return false;
    case 'tdp':
      return true;
    default:
      return unreachable(mmu);
  }
}

/** The machine has EPT A/D bits or not; the runner has settled `default` at the release (src/era/features.ts). */
function adBits(v: Options['eptAd']): boolean {
  switch (v) {
    case 'on':
      return true;
    case 'off':
      return false;
    case 'default':
      throw new Error('internal: ept_ad = default reached the engine: the runner settles it per release');
    default:
      return unreachable(v);
  }
}

/** How KVM's slot kinds read in a trace. */
export const KVM_FORMATS: Readonly<Record<string, (v: number) => string>> = {
  spte(v) {
    if (v & SPTE.ACC_TRACK) return `pfn ${hex(sptePfn(v))} access-tracked`;
    if (!(v & SPTE.PRESENT)) return 'none';
    const f = (b: number, c: string) => (v & b ? c : '-');
    return `pfn ${hex(sptePfn(v))} ${f(SPTE.WRITABLE, 'W')}${f(SPTE.DIRTY, 'D')}${f(SPTE.ACCESSED, 'A')}${f(SPTE.HOST_WRITABLE, 'h')}${v & SPTE.PAGE_REF ? ' holding a page reference' : ''}`;
  },
  tlb(v) {
    if (!(v & TLB.PRESENT)) return 'none';
    return `pfn ${hex(tlbPfn(v))} ${v & TLB.WRITABLE ? 'W' : 'R'}`;
  },
};
