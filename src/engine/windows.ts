// Windows (docs/explore.md): a secondary mapping (KVM: a present sPTE, or a vCPU's TLB entry)
// that no longer matches what the primary MMU maps, while no invalidation in progress (KVM:
// invalidate_range_start ... _end) covers it. Not harm by itself; the engine checks every
// mapping after every step (traced runs record them per step, the explorer on every
// transition), with no cap. Each secondary MMU lists its mappings (SecondaryMmu.watchers).
import type { Layout } from './layout.js';
import { PTE, type State, get } from './state.js';

/** One secondary mapping that can go stale (KVM: a gfn's sPTE, or one vCPU's TLB entry for a gfn). */
export interface Watcher {
  slot: number;
  /** The host PTE the mapping should agree with. */
  pte: number;
  /** The mapping's address in its MMU's own space (KVM: the gfn), which an invalidation's range covers. */
  gfn: number;
  /** The bits of `slot` that say present and writable; the pfn is above bit 8. */
  present: number;
  writable: number;
  /** The registrant's invalidation in progress: its count, and the range it covers (null: all of it). */
  inProgress: number;
  rangeStart: number | null;
  rangeEnd: number | null;
  /** `spte`, or `vcpu0 tlb`. */
  mapping: string;
  /** `spte gfn 0x100`. */
  name: string;
  /** Where the mapping is, when `gfn` is not a gfn (a device TLB entry's address: `qemu:0x7f0000000000`). */
  where?: string;
}

/** Every secondary mapping of the machine, registrant by registrant. */
export function watchers(l: Layout): Watcher[] {
  return l.secondaries.flatMap((r) => r.watchers(l));
}

/** 32-bit words of a stale set over these watchers. */
export const staleWords = (ws: readonly Watcher[]) => Math.max(1, Math.ceil(ws.length / 32));

/**
 * The stale set of a state: bit k (word k >> 5) set when watcher k maps something the primary
 * MMU does not, outside any invalidation in progress. Written into `out`; true if any is set.
 */
export function staleSet(ws: readonly Watcher[], s: State, out: Int32Array): boolean {
  for (let w = 0; w < out.length; w++) out[w] = 0;
  let any = false;
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k]!;
    const v = get(s, w.slot);
    if (!(v & w.present)) continue;
    const host = get(s, w.pte);
    const hostOk = host & PTE.PRESENT && !(host & PTE.PROTNONE);
    const stale = !hostOk || host >>> PTE.SHIFT !== v >>> 8 || (v & w.writable && !(host & PTE.WRITE));
    if (!stale) continue;
    if (get(s, w.inProgress) > 0 && (w.rangeStart === null || w.rangeEnd === null || (w.gfn >= get(s, w.rangeStart) && w.gfn < get(s, w.rangeEnd)))) continue;
    out[k >> 5]! |= 1 << (k & 31);
    any = true;
  }
  return any;
}

/** The watchers in a stale set, by name. */
export function staleNames(ws: readonly Watcher[], set: Int32Array): string[] {
  return ws.flatMap((w, k) => (set[k >> 5]! & (1 << (k & 31)) ? [w.name] : []));
}
