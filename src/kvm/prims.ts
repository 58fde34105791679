// KVM's small primitives, as data (engine/step-data.ts): what its handlers and its fault path
// inline. The generic ones (put_page(), the folio flags) are the engine's (engine/prims.ts).
import type { EraRules } from '../contract/era.js';
import { hex } from '../contract/output.js';
import type { Emit } from '../engine/emit.js';
import type { Layout } from '../engine/layout.js';
import { unreachable } from '../engine/program.js';
import { bump, folioMarkDirtyData, perLayout, putPageData, setFlag } from '../engine/prims.js';
import { PG } from '../engine/state.js';
import { bind, bits, note, op, slot, v, when, write, type Expr, type Stmt } from '../engine/step-data.js';
import { SPTE, kvmOf, type GfnSlot } from './layout.js';

/** kvm_flush_remote_tlbs(): every vCPU drops every cached translation. */
export const flushRemoteTlbs = perLayout((l): Stmt[] => {
  const { vcpus, gfns } = kvmOf(l);
  return [...vcpus.flatMap((vc) => gfns.map((_, g) => write(vc.tlb + g, 0))), bump(l, 'kvm.tlb_flush')];
});

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
  const { eptAd } = kvmOf(l);
  return (old) => {
    const pfn = op(old, '>>>', SPTE.SHIFT);
    return [
      markAccessed.read,
      markDirty.read,
      when(spteMarksAccessed(markAccessed.value, eptAd, old), kvmMarkAccessed(l, pfn)),
      when(spteMarksDirty(markDirty.value, eptAd, old), kvmMarkDirty(l, pfn)),
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
