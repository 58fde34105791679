// An IOMMU with devices bound to processes (SVA) as the engine meets it: a secondary MMU
// registered on each bound process's mm (engine/secondary.ts). Its state (layout.ts), its
// driver's notifier handlers (driver.ts), a device's DMA (device.ts), and here what the
// engine asks of a registrant: the mappings that can go stale, the frames they reach, its
// invariants.
import { hex } from '../contract/output.js';
import type { Op } from '../contract/scenario.js';
import type { Layout } from '../engine/layout.js';
import { frameSlot } from '../engine/layout.js';
import type { SecondaryMmu } from '../engine/secondary.js';
import { FRAME, PG, get, type State } from '../engine/state.js';
import { and, bits, eq, op, or, slot, write, type Expr } from '../engine/step-data.js';
import type { Watcher } from '../engine/windows.js';
import { deviceOf, emitDeviceAccess } from './device.js';
import { emitTlbiSnooped, iommuMmuNotifier } from './driver.js';
import { ATC, IOMMU_FORMATS, iommuLayout, iommuOf } from './layout.js';

export const iommu: SecondaryMmu = {
  name: 'iommu',
  layout: iommuLayout,
  formats: IOMMU_FORMATS,
  ops: iommuMmuNotifier,
  emitOp(e, o: Op) {
    const t = e.l.threads[e.tid]!;
    const d = deviceOf(e);
    if (!d || (o.kind !== 'host-read' && o.kind !== 'host-write')) return false;
    const pi = e.l.pages.findIndex((p) => p.proc === d.proc && p.addr === o.at.addr);
    emitDeviceAccess(e, d, pi, o.kind === 'host-write', o.kind === 'host-write' ? o.value : 0, o.kind === 'host-read' ? (t.regs.get(o.reg) ?? -1) : -1);
    return true;
  },
  machine: () => null,
  // A device's DMA does not keep its process's mm: do_exit() does not wait for it (the driver
  // unbinds the PASID first: .release, or task_exit() before v3.17).
  usesMm: () => false,
  mapsFrame: (l, pfn) => ({ maps: mapsFrame(l, pfn), mappings: 'a device TLB (ATC) entry' }),
  watchers,
  tlbiSnooped: emitTlbiSnooped,
  flushPending: (l, pages, pending) =>
    pages.flatMap((pi) => {
      const mark = iommuOf(l).flushPending.get(pi);
      return mark === undefined ? [] : [write(mark, pending ? 1 : 0)];
    }),
  observe: () => undefined,
  sanity,
};

/** Does a device's ATC entry map the frame `pfn` is bound to? */
function mapsFrame(l: Layout, pfn: Expr): Expr {
  return or(...iommuOf(l).devices.flatMap((d) => d.atc.map((a) => and(bits(slot(a), ATC.PRESENT), eq(op(slot(a), '>>>', ATC.SHIFT), pfn)))));
}

/**
 * Each device's ATC entries, page by page. An entry is covered while its PASID points at an
 * empty page table (v3.3-v3.18: inside invalidate_range_start/end); from v3.19 nothing covers
 * it: the device may use a stale entry until ->invalidate_range reaches it.
 */
function watchers(l: Layout): Watcher[] {
  return iommuOf(l).devices.flatMap((d) =>
    d.pages.map((pi, k) => {
      const pg = l.pages[pi]!;
      return { slot: d.atc[k]!, pte: pg.pte, gfn: pg.addr, present: ATC.PRESENT, writable: ATC.WRITABLE, inProgress: d.emptyTable, rangeStart: null, rangeEnd: null, mapping: `${d.name} atc`, name: l.names[d.atc[k]!]!, where: `${l.procs[pg.proc]!.name}:${hex(pg.addr)}` };
    }),
  );
}

/** The IOMMU's invariants (docs/iommu.md): an unbound PASID caches nothing; no ATC entry reaches a free frame unless a harm was reported. */
function sanity(l: Layout, _part: unknown, s: State): string | null {
  for (const d of iommuOf(l).devices) {
    if (get(s, d.emptyTable) < 0) return `${d.name}: the empty-table count is negative`;
    for (const a of d.atc) {
      const v = get(s, a);
      if (!(v & ATC.PRESENT)) continue;
      if (get(s, d.released)) return `${l.names[a]} survives .release`;
      if (get(s, l.violations) === 0 && get(s, frameSlot(l, v >>> ATC.SHIFT, FRAME.FLAGS)) & PG.FREE) return `${l.names[a]} maps a free page`;
    }
  }
  return null;
}
