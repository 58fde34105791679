// The engine's own invariants, checked after every step of a canonical run. A failure is a
// bug in mmutt, not a finding about the kernel: harms are reported as violations instead.
import { frameSlot, type Layout } from './layout.js';
import { FRAME, PG, PTE, SPTE, TLB, hex, ptePfn, sptePfn, type State } from './state.js';

/** `tdp`: the TDP MMU keeps no rmap for its sPTEs, so there is none to check. */
export function checkSanity(l: Layout, s: State, tdp: boolean): string | null {
  const mapped = new Map<number, number>();
  for (const p of l.pages) {
    const pte = s[p.pte]!;
    if (pte & PTE.PRESENT) mapped.set(ptePfn(pte), (mapped.get(ptePfn(pte)) ?? 0) + 1);
  }
  for (let i = 0; i < l.nframes; i++) {
    const pfn = l.firstPfn + i;
    const flags = s[frameSlot(l, pfn, FRAME.FLAGS)]!;
    const ref = s[frameSlot(l, pfn, FRAME.REFCOUNT)]!;
    const map = s[frameSlot(l, pfn, FRAME.MAPCOUNT)]!;
    if (flags & PG.ZERO) continue;
    if (flags & PG.FREE) {
      if (ref !== 0 || map !== 0) return `free page ${hex(pfn)} has refcount ${ref}, mapcount ${map}`;
      if (mapped.has(pfn)) return `free page ${hex(pfn)} is mapped by a PTE`;
      continue;
    }
    if (ref < map) return `page ${hex(pfn)}: refcount ${ref} < mapcount ${map}`;
    // A PTE may be transiently cleared (ptep_clear_flush) while its mapcount still counts it.
    if ((mapped.get(pfn) ?? 0) > map) return `page ${hex(pfn)}: ${mapped.get(pfn)} PTEs map it but mapcount is ${map}`;
  }
  for (const g of tdp ? [] : l.gfns) {
    // An access-tracked sPTE is not present to the CPU but still is to KVM (and its rmap).
    const present = (s[g.spte]! & (SPTE.PRESENT | SPTE.ACC_TRACK)) !== 0;
    if (present !== (s[g.rmap] === 1)) return `gfn ${hex(g.gfn)}: rmap ${s[g.rmap]} disagrees with its spte`;
  }
  if (s[l.inProgress]! < 0) return 'mmu_invalidate_in_progress is negative';
  // No secondary mapping reaches a free frame, unless the run has already reported a harm.
  if (s[l.violations] === 0) {
    const free = (pfn: number) => (s[frameSlot(l, pfn, FRAME.FLAGS)]! & PG.FREE) !== 0;
    for (const g of l.gfns) {
      if (s[g.spte]! & (SPTE.PRESENT | SPTE.ACC_TRACK) && free(sptePfn(s[g.spte]!))) return `spte gfn ${hex(g.gfn)} maps free page ${hex(sptePfn(s[g.spte]!))}`;
    }
    for (const v of l.vcpus) {
      for (let gi = 0; gi < l.gfns.length; gi++) {
        const t = s[v.tlb + gi]!;
        if (t & TLB.PRESENT && free(t >>> TLB.SHIFT)) return `${v.name} TLB entry for gfn ${hex(l.gfns[gi]!.gfn)} maps free page ${hex(t >>> TLB.SHIFT)}`;
      }
    }
  }
  return null;
}
