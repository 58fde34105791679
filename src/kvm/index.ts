// KVM as the engine meets it: a secondary MMU registered on the VM's mm (engine/secondary.ts).
// Its state (layout.ts), its notifier handlers and fault path (mmu.ts), a vCPU's guest access
// (guest.ts), and here what the engine asks of a registrant: the mappings that can go stale,
// the frames they reach, the observables of its state and its invariants.
import { hex } from '../contract/output.js';
import type { Layout } from '../engine/layout.js';
import { MM_EXITED, frameSlot } from '../engine/layout.js';
import type { SecondaryMmu } from '../engine/secondary.js';
import { FRAME, PG, PTE, get, type State } from '../engine/state.js';
import { and, bits, cond, eq, op, or, slot, type Expr } from '../engine/step-data.js';
import { fieldOf } from '../engine/prims.js';
import type { Watcher } from '../engine/windows.js';
import { emitGuestAccess } from './guest.js';
import { KVM_FORMATS, SPTE, TLB, gfnIndex, isTdp, kvmLayout, kvmOf, sptePfn } from './layout.js';
import { kvmMmuNotifier } from './mmu.js';

/** What a compiled machine of KVM fixes: whether the VM uses the TDP MMU. */
interface KvmMachine {
  tdp: boolean;
}

export const kvm: SecondaryMmu = {
  name: 'kvm',
  layout: kvmLayout,
  formats: KVM_FORMATS,
  ops: kvmMmuNotifier,
  emitOp(e, o) {
    if (o.kind !== 'guest-read' && o.kind !== 'guest-write') return false;
    const reg = o.kind === 'guest-read' && o.reg !== undefined ? (e.l.threads[e.tid]!.regs.get(o.reg) ?? -1) : -1;
    emitGuestAccess(e, gfnIndex(e.l, o.gfn), o.kind === 'guest-write', o.kind === 'guest-write' ? o.value : 0, reg);
    return true;
  },
  machine: (l, peek): KvmMachine => {
    const { mmu } = kvmOf(l);
    return { tdp: isTdp(mmu === 'default' ? peek('kvm.mmu.default') : mmu) };
  },
  // A vCPU (and the prologue's accesses by one) runs only in the VM's own mm.
  usesMm: (l, tid, proc) => l.threads[tid]!.vcpu !== undefined && kvmOf(l).vmProc === proc,
  mapsFrame: (l, pfn) => ({ maps: mapsFrame(l, pfn), mappings: 'an sPTE or a guest TLB entry' }),
  watchers,
  observe(l, o) {
    if (o.kind !== 'gfn' && o.kind !== 'spte') return undefined;
    const g = kvmOf(l).gfns[gfnIndex(l, o.gfn)]!;
    const spte = slot(g.spte);
    if (o.kind === 'gfn') {
      // What the guest reads there now: through its sPTE, else through the host mapping.
      const pte = slot(l.pages[g.page]!.pte);
      const contentOf = (x: Expr, shift: number) => fieldOf(l, op(x, '>>>', shift), FRAME.CONTENT);
      return cond(bits(spte, SPTE.PRESENT), contentOf(spte, SPTE.SHIFT), cond(bits(pte, PTE.PRESENT), contentOf(pte, PTE.SHIFT), 0));
    }
    if (o.field === 'pfn') return cond(bits(spte, SPTE.PRESENT), op(spte, '>>>', SPTE.SHIFT), 0);
    return cond(bits(spte, { present: SPTE.PRESENT, writable: SPTE.WRITABLE, dirty: SPTE.DIRTY, accessed: SPTE.ACCESSED }[o.field]), 1, 0);
  },
  sanity: (l, part, s) => sanity(l, part as KvmMachine, s),
};

/** Does a present sPTE (or an access-tracked one) or a guest TLB entry map the frame `pfn` is bound to? */
function mapsFrame(l: Layout, pfn: Expr): Expr {
  const { gfns, vcpus } = kvmOf(l);
  return or(
    ...gfns.flatMap((g, gi) => [
      and(bits(slot(g.spte), SPTE.PRESENT | SPTE.ACC_TRACK), eq(op(slot(g.spte), '>>>', SPTE.SHIFT), pfn)),
      ...vcpus.map((vc) => and(bits(slot(vc.tlb + gi), TLB.PRESENT), eq(op(slot(vc.tlb + gi), '>>>', TLB.SHIFT), pfn))),
    ]),
  );
}

/** KVM's mappings that can go stale: each gfn's sPTE and each vCPU's TLB entry for it, gfn by gfn. */
function watchers(l: Layout): Watcher[] {
  const k = kvmOf(l);
  const out: Watcher[] = [];
  k.gfns.forEach((g, gi) => {
    const pte = l.pages[g.page]!.pte;
    const add = (slot: number, present: number, writable: number, mapping: string) =>
      out.push({ slot, pte, gfn: g.gfn, present, writable, inProgress: k.inProgress, rangeStart: k.rangeStart, rangeEnd: k.rangeEnd, mapping, name: `${mapping} gfn ${hex(g.gfn)}` });
    add(g.spte, SPTE.PRESENT, SPTE.WRITABLE, 'spte');
    for (const v of k.vcpus) add(v.tlb + gi, TLB.PRESENT, TLB.WRITABLE, `${v.name} tlb`);
  });
  return out;
}

/** KVM's invariants (docs/engine.md, "Invariants"). */
function sanity(l: Layout, m: KvmMachine, s: State): string | null {
  const { gfns, vcpus, vmProc, inProgress } = kvmOf(l);
  const mapped = (spte: number) => (spte & (SPTE.PRESENT | SPTE.ACC_TRACK)) !== 0;
  // Only a mapping that holds its page (before acb66dd051d0, when KVM had no .release either:
  // v2.6.27-v2.6.28) may outlive exit_mmap() of the VM's mm; it is dropped with the VM.
  if (vmProc >= 0 && get(s, l.procs[vmProc]!.mmState) === MM_EXITED) {
    const held = (gi: number) => (get(s, gfns[gi]!.spte) & SPTE.PAGE_REF) !== 0;
    if (gfns.some((g, gi) => mapped(get(s, g.spte)) && !held(gi))) return 'an sPTE of the VM survives exit_mmap() of its mm';
    if (vcpus.some((v) => gfns.some((_, gi) => get(s, v.tlb + gi) & TLB.PRESENT && !held(gi)))) return "a guest TLB entry survives exit_mmap() of the VM's mm";
  }
  // The rmap agrees with the sPTEs (the TDP MMU keeps none); the in-progress count is one per
  // thread inside an invalidate_range_start/end bracket at most.
  if (!m.tdp) {
    // An access-tracked sPTE is not present to the CPU but still is to KVM (and its rmap).
    for (const g of gfns) if (mapped(get(s, g.spte)) !== (get(s, g.rmap) === 1)) return `gfn ${hex(g.gfn)}: rmap ${get(s, g.rmap)} disagrees with its spte`;
  }
  if (get(s, inProgress) < 0) return 'mmu_invalidate_in_progress is negative';
  if (get(s, inProgress) > l.threads.length) return 'mmu_invalidate_in_progress counts more brackets than there are threads';
  // No sPTE or TLB entry reaches a free frame, unless the run has already reported a harm.
  if (get(s, l.violations) === 0) {
    const free = (pfn: number) => (get(s, frameSlot(l, pfn, FRAME.FLAGS)) & PG.FREE) !== 0;
    for (const g of gfns) if (mapped(get(s, g.spte)) && free(sptePfn(get(s, g.spte)))) return `spte gfn ${hex(g.gfn)} maps free page ${hex(sptePfn(get(s, g.spte)))}`;
    for (const v of vcpus) {
      for (let gi = 0; gi < gfns.length; gi++) {
        const t = get(s, v.tlb + gi);
        if (t & TLB.PRESENT && free(t >>> TLB.SHIFT)) return `${v.name} TLB entry for gfn ${hex(gfns[gi]!.gfn)} maps free page ${hex(t >>> TLB.SHIFT)}`;
      }
    }
  }
  return null;
}
