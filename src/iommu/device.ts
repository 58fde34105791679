// A device's DMA to a virtual address of the process it is bound to: its device TLB (ATC),
// else an ATS translation request (the IOMMU walks the process's page table), else a page
// request (PRI) that the IOMMU driver turns into handle_mm_fault() for the device; an invalid
// response fails the access. The harm checks are made at the moment the device touches a
// frame. Its steps are data (engine/step-data.ts).
import { EFAULT_VALUE, hex } from '../contract/output.js';
import type { Emit } from '../engine/emit.js';
import type { Layout } from '../engine/layout.js';
import { emitHandleMmFault } from '../engine/mm.js';
import { bump, completeSecondaryAccess, violateData, type OrderedBefore } from '../engine/prims.js';
import { PTE } from '../engine/state.js';
import { and, bind, bits, cond, eq, goto, not, note, op, or, slot, v, when, write, type Stmt } from '../engine/step-data.js';
import type { Label } from '../engine/program.js';
import { ATC, atcOf, iommuOf, iotlbOf, type DeviceSlot } from './layout.js';

/**
 * A DMA through the ATC while the CPU TLB flush of a change to the page's PTE is still to come
 * orders before the change (IommuLayout.flushPending): a CPU's stale TLB entry does the same.
 */
function orderedBefore(l: Layout, pi: number): OrderedBefore | undefined {
  const pending = iommuOf(l).flushPending.get(pi);
  return pending === undefined ? undefined : { when: slot(pending), why: `the DMA went through the ATC before the CPU TLB flush of ${l.procs[l.pages[pi]!.proc]!.name}'s change: it orders before the change, as a CPU's through its stale TLB entry would` };
}

/** `reg`: the register a read loads (-1 for none). */
export function emitDeviceAccess(e: Emit, d: DeviceSlot, pi: number, isWrite: boolean, value: number, reg: number): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const where = `${l.procs[pg.proc]!.name}:${hex(pg.addr)}`;
  const atc = atcOf(d, pi);
  const iotlb = iotlbOf(d, pi);
  const access = asm.label();
  const ats = asm.label();
  const pri = asm.label();
  const efault = asm.label();
  const done = asm.label();
  // Where a device waits out a stale read-only SMMU TLB entry (arm64 only).
  const stuck = iotlb < 0 ? null : asm.label();
  const entry = v('atc');
  const pte = v('pte');
  const fails: Stmt[] = [...(reg >= 0 ? [write(reg, EFAULT_VALUE)] : []), goto(done)];

  asm.bind(access);
  asm.emit({
    fn: isWrite ? 'device DMA write' : 'device DMA read',
    does: `${isWrite ? `write ${hex(value)} to` : 'read'} ${where}: the device TLB (ATC), else an ATS translation request`,
    data: () => ({
      effect: [
        when(slot(d.released), [note('the PASID is unbound: the IOMMU aborts the access'), ...fails]),
        bind('atc', slot(atc)),
        when(and(bits(entry, ATC.PRESENT), ...(isWrite ? [bits(entry, ATC.WRITABLE)] : [])), [bind('pfn', op(entry, '>>>', ATC.SHIFT)), ...completeSecondaryAccess(l, 'device', pg.pte, isWrite, value, reg, { read: 'device.read', write: 'device.write' }, orderedBefore(l, pi)), goto(done)]),
        note('ATC miss'),
        goto(ats),
      ],
    }),
  });
  asm.bind(ats);
  asm.emit({
    fn: 'ATS translation',
    does: `the IOMMU walks the PASID's page table (${l.procs[pg.proc]!.name}'s): fill the ATC, else a page request (PRI)`,
    data: () => ({
      // While amd_iommu_v2 (v3.3-v3.18) points the PASID at an empty page table, every
      // translation faults, the page request finds the PTE fine, and the device asks again:
      // the model lets the request wait for range_end instead (the spin is not modelled).
      guard: eq(slot(d.emptyTable), 0),
      effect: [
        bump(l, 'iommu.ats'),
        bind('pte', slot(pg.pte)),
        ...(stuck ? smmuTlbHit(iotlb, atc, isWrite, { access, pri, stuck }) : []),
        when(or(not(bits(pte, PTE.PRESENT)), bits(pte, PTE.PROTNONE), ...(isWrite ? [not(bits(pte, PTE.WRITE))] : [])), [note('translation fault'), goto(pri)]),
        // The IOMMU's walk sets the accessed bit, and for a write the dirty bit, as the CPU's
        // does; a read request is granted read access only (simplification: ATS completions
        // carry the PTE's permissions; a device that reads, then writes, asks again).
        write(pg.pte, op(pte, '|', isWrite ? PTE.YOUNG | PTE.DIRTY : PTE.YOUNG)),
        bind('walked', op(op(pte, '>>>', PTE.SHIFT), '<<', ATC.SHIFT)),
        write(atc, op(v('walked'), '|', isWrite ? ATC.PRESENT | ATC.WRITABLE : ATC.PRESENT)),
        ...(iotlb < 0 ? [] : [write(iotlb, op(v('walked'), '|', cond(bits(pte, PTE.WRITE), ATC.PRESENT | ATC.WRITABLE, ATC.PRESENT)))]),
        goto(access),
      ],
    }),
  });
  if (stuck) emitFaultLoop(e, d, pi, iotlb, stuck, access);
  asm.bind(pri);
  asm.emit({
    fn: 'PRI page request',
    does: `the IOMMU driver faults ${where} in for the device (handle_mm_fault(), ${isWrite ? 'write' : 'read'})`,
    data: () => ({ effect: [bump(l, 'iommu.pri')] }),
  });
  emitHandleMmFault(e, pi, isWrite, access, efault);
  asm.bind(efault);
  asm.emit({
    fn: 'PRI response',
    does: `invalid request: the device's access fails (completed with ${hex(EFAULT_VALUE)})`,
    data: () => ({ effect: fails }),
  });
  asm.bind(done);
}


/**
 * The SMMU's TLB holds the page read-only while the PTE is writable: the page request will find
 * nothing to fix and the device will fault again, forever, unless a TLB invalidation reaches the
 * SMMU (the spin is not modelled: the device waits for one at `stuck`; if none comes, the run
 * ends with it waiting), then it accesses again.
 */
function emitFaultLoop(e: Emit, d: DeviceSlot, pi: number, iotlb: number, stuck: Label, access: Label): void {
  const { l, asm } = e;
  const pg = l.pages[pi]!;
  const where = `${l.procs[pg.proc]!.name}:${hex(pg.addr)}`;
  asm.bind(stuck);
  asm.emit({
    fn: 'PRI page request',
    does: `the SMMU's TLB still holds ${where} read-only, the PTE is writable: handle_mm_fault() finds nothing to fix and the device faults again`,
    data: () => ({ effect: [bump(l, 'iommu.pri'), ...violateData(l, 'device-fault-loop', [`${d.name} faults on `, { hex: pg.addr }, ": the SMMU's TLB entry is read-only, the PTE writable"])] }),
  });
  asm.emit({
    fn: 'PRI page request',
    does: "the device retries once a TLB invalidation has reached the SMMU's entry",
    waitsForever: "it faults forever: no TLB invalidation reaches the SMMU's read-only entry (device-fault-loop)",
    data: () => ({ guard: or(not(bits(slot(iotlb), ATC.PRESENT)), bits(slot(iotlb), ATC.WRITABLE)), effect: [goto(access)] }),
  });
}

/**
 * An arm64 SMMU answers a translation from its own TLB when it holds the page (no walk): the ATC
 * gets that entry, or, for a write it does not allow, a translation fault: a stale one (`stuck`)
 * when the PTE (bound to `pte`) already allows the write.
 */
function smmuTlbHit(iotlb: number, atc: number, isWrite: boolean, to: { access: Label; pri: Label; stuck: Label }): Stmt[] {
  const tlb = v('tlb');
  const pte = v('pte');
  return [
    bind('tlb', slot(iotlb)),
    when(bits(tlb, ATC.PRESENT), [
      ...(isWrite
        ? [
            when(not(bits(tlb, ATC.WRITABLE)), [
              when(and(bits(pte, PTE.PRESENT), not(bits(pte, PTE.PROTNONE)), bits(pte, PTE.WRITE)), [goto(to.stuck)]),
              note("the SMMU's TLB holds it read-only: translation fault"),
              goto(to.pri),
            ]),
          ]
        : []),
      write(atc, isWrite ? tlb : op(tlb, '&', ~ATC.WRITABLE)),
      goto(to.access),
    ]),
  ];
}

/** The device whose thread (or `touched` prologue) this is; undefined for any other thread. */
function deviceOfThread(l: Layout, tid: number): DeviceSlot | undefined {
  const t = l.threads[tid]!;
  if (t.kind !== 'device' && !(t.kind === 'prologue' && t.vcpu === undefined)) return undefined;
  const name = t.kind === 'prologue' ? t.name.slice(0, -'(prologue)'.length) : t.name;
  return iommuOf(l).devices.find((d) => d.name === name);
}
export const deviceOf = (e: Emit): DeviceSlot | undefined => deviceOfThread(e.l, e.tid);
