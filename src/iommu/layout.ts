// A device bound to a process through its IOMMU (SVA: amd_iommu_v2 from v3.3, the SVA drivers
// later), as the machine's flat state holds it: per device, whether its PASID still
// translates, whether it points at an empty page table, and its device TLB (the ATC of PCIe
// ATS): one entry per page of the process, keyed by virtual address.
import { hex } from '../contract/output.js';
import type { Scenario } from '../contract/scenario.js';
import type { Layout } from '../engine/layout.js';
import type { LayoutBuilder } from '../engine/secondary.js';

/** A device TLB (ATC) entry: the pfn an ATS translation returned, and whether it allows writes. 0 is no entry. */
export const ATC = {
  PRESENT: 1,
  WRITABLE: 2,
  SHIFT: 8,
} as const;

export interface DeviceSlot {
  /** The device's name in the scenario, its thread's name too (`dev0`). */
  name: string;
  /** The process whose mm the device is bound to (its PASID's page table). */
  proc: number;
  /** 1 once .release has unbound the PASID (the mm went away): the IOMMU stops translating. */
  released: number;
  /**
   * How many invalidate_range_start() brackets amd_iommu_v2 is inside (v3.3-v3.18): while
   * above 0 the PASID points at an empty page table and every translation faults.
   */
  emptyTable: number;
  /** Layout.pages indexes of the process's pages, and the ATC entry of each, in the same order. */
  pages: number[];
  atc: number[];
  /**
   * An arm64 SMMU's own TLB entry for each page (ATC encoding; the permission is the PTE's as
   * walked): it may hold a read-only translation after the PTE was made writable, until a TLB
   * invalidation reaches it. Empty on x86, whose IOMMU walks again on a permission miss
   * (simplification: the x86 IOMMU's TLB is not modelled).
   */
  iotlb: number[];
}

export interface IommuLayout {
  devices: DeviceSlot[];
  /**
   * Per page of a process a device is bound to (Layout.pages index): 1 while a change of its
   * PTE waits for the CPU TLB flush that goes with it (the mmu_gather's, fork's
   * flush_tlb_mm()): a device's access through its ATC then orders before the change, as a
   * CPU's through its stale TLB entry would (a mark, no kernel state).
   */
  flushPending: Map<number, number>;
  /** The scenario's `arch` and `btm` options: an SMMU that snoops the CPU's TLB invalidations. */
  arch: Scenario['options']['arch'];
  btm: boolean;
  /** The scenario's `device_wait`: the driver sleeps while its device invalidates (Options.deviceWait). */
  sleeps: boolean;
}

/** The devices of a scenario (its `devN(proc)` threads), each its slots after the primary MMU's. */
export function iommuLayout(s: Scenario, b: LayoutBuilder): IommuLayout {
  const devices = s.threads
    .filter((t) => t.kind === 'device')
    .map((t): DeviceSlot => {
      const proc = s.procs.findIndex((p) => p.name === t.proc);
      const pages = b.pages.flatMap((pg, pi) => (pg.proc === proc ? [pi] : []));
      return {
        name: t.name,
        proc,
        released: b.slot(`${t.name} PASID`, 'pasid'),
        emptyTable: b.slot(`${t.name} GCR3 empty-table count`, 'num'),
        pages,
        atc: pages.map((pi) => b.slot(`${t.name} atc ${s.procs[proc]!.name}:${hex(b.pages[pi]!.addr)}`, 'atc')),
        iotlb: s.options.arch === 'arm64' ? pages.map((pi) => b.slot(`${t.name} smmu tlb ${s.procs[proc]!.name}:${hex(b.pages[pi]!.addr)}`, 'atc')) : [],
      };
    });
  const bound = new Set(devices.map((d) => d.proc));
  const flushPending = new Map(b.pages.flatMap((pg, pi) => (bound.has(pg.proc) ? [[pi, b.slot(`${s.procs[pg.proc]!.name}:${hex(pg.addr)} CPU flush pending`, 'mark')] as [number, number]] : [])));
  return { devices, flushPending, arch: s.options.arch, btm: s.options.btm === 'on', sleeps: s.options.deviceWait === 'sleep' };
}

/** The IOMMU's part of a layout. */
export const iommuOf = (l: Layout): IommuLayout => l.parts.get('iommu') as IommuLayout;

/** The devices bound to the mm of a page's process. */
export const devicesOn = (l: Layout, page: number): DeviceSlot[] => iommuOf(l).devices.filter((d) => d.proc === l.pages[page]!.proc);

/** A device's ATC entry for a page, or -1 when the page is not its process's. */
export const atcOf = (d: DeviceSlot, page: number): number => {
  const k = d.pages.indexOf(page);
  return k < 0 ? -1 : d.atc[k]!;
};

/** A device's SMMU TLB entry for a page, or -1 (x86, or not its process's page). */
export const iotlbOf = (d: DeviceSlot, page: number): number => {
  const k = d.pages.indexOf(page);
  return k < 0 || !d.iotlb.length ? -1 : d.iotlb[k]!;
};

/** How the IOMMU's slot kinds read in a trace. */
export const IOMMU_FORMATS: Readonly<Record<string, (v: number) => string>> = {
  atc: (v) => (v & ATC.PRESENT ? `pfn ${hex(v >>> ATC.SHIFT)} ${v & ATC.WRITABLE ? 'W' : 'R'}` : 'none'),
  pasid: (v) => (v ? 'unbound (.release)' : 'bound'),
};
