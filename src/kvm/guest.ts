// A vCPU's guest-physical access: the TLB, else a walk of the EPT (the sPTE), else an EPT
// violation into KVM's fault path. The harm checks (docs/output.md) are made here, at the
// moment the guest touches a frame. Its steps are data (step-data.ts).
import { EFAULT_VALUE, hex } from '../contract/output.js';
import { clearLocalsData, type Emit } from '../engine/emit.js';
import { FAULT_LOCALS, L } from '../engine/layout.js';
import { bump, completeSecondaryAccess } from '../engine/prims.js';
import { and, assign, bind, bits, cond, eq, goto, not, note, op, slot, v, when, write, type Stmt } from '../engine/step-data.js';
import { SPTE, TLB, kvmOf, type GfnSlot, type KvmLayout } from './layout.js';
import { emitKvmFault, faultinRetryCheck } from './mmu.js';

export function emitGuestAccess(e: Emit, gi: number, isWrite: boolean, value: number, reg: number): void {
  const { l, asm } = e;
  const k = kvmOf(l);
  const g = k.gfns[gi]!;
  const pg = l.pages[g.page]!;
  const vcpu = k.vcpus[l.threads[e.tid]!.vcpu!]!;
  const tlb = vcpu.tlb + gi;
  const seq = e.local(L.SEQ);
  const access = asm.label();
  const fault = asm.label();
  const fast = asm.label();
  const efault = asm.label();
  const retry = asm.label();
  const done = asm.label();
  const retryBeforeGup = faultinRetryCheck(e, gi);
  const pfn = v('pfn');
  const spte = v('spte');

  asm.bind(access);
  asm.emit({
    fn: isWrite ? 'guest store' : 'guest load',
    does: `${isWrite ? `write ${hex(value)} to` : 'read'} gfn ${hex(g.gfn)}: TLB, else EPT walk, else EPT violation`,
    data: () => ({
      effect: [
        ...translate(k, g, tlb, isWrite),
        when(eq(pfn, 0), [
          // vmx_handle_exit -> handle_ept_violation -> kvm_mmu_page_fault: snapshot the seq.
          bump(l, 'kvm.fault'),
          write(seq, slot(k.seq)),
          note(`EPT violation (${isWrite ? 'write' : 'read'})`),
          when(bits(slot(g.spte), SPTE.ACC_TRACK), [goto(fast)]),
          ...(retryBeforeGup?.([...clearLocalsData(e, FAULT_LOCALS), goto(retry)]) ?? []),
          goto(fault),
        ]),
        ...completeSecondaryAccess(l, 'guest', pg.pte, isWrite, value, reg, { read: 'guest.read', write: 'guest.write' }),
        ...clearLocalsData(e, FAULT_LOCALS),
        goto(done),
      ],
    }),
  });
  asm.bind(fast);
  asm.emit({
    fn: 'fast_page_fault',
    does: 'restore the access-tracked spte without mmu_lock (cmpxchg)',
    data: () => ({
      effect: [
        bind('spte', slot(g.spte)),
        when(not(bits(spte, SPTE.ACC_TRACK)), [goto(fault)]),
        write(g.spte, op(op(spte, '&', ~SPTE.ACC_TRACK), '|', SPTE.PRESENT)),
        ...clearLocalsData(e, FAULT_LOCALS),
        goto(access),
      ],
    }),
  });
  asm.bind(fault);
  emitKvmFault(e, gi, isWrite, access, efault, retry);
  asm.bind(efault);
  asm.emit({
    fn: 'kvm_mmu_page_fault',
    does: `-EFAULT: KVM exits to the VMM; the access completes with ${hex(EFAULT_VALUE)}`,
    data: () => ({ effect: [...(reg >= 0 ? [write(reg, EFAULT_VALUE)] : []), ...clearLocalsData(e, FAULT_LOCALS)] }),
  });
  asm.bind(done);
}

/** The guest's translation into `pfn` (0: an EPT violation): its TLB entry if it allows the access, else the sPTE, which fills the TLB (and sets the sPTE's A/D bits with EPT A/D bits). */
function translate(k: KvmLayout, g: GfnSlot, tlb: number, isWrite: boolean): Stmt[] {
  const pfn = v('pfn');
  const t = v('t');
  const spte = v('spte');
  return [
    bind('pfn', 0),
    bind('t', slot(tlb)),
    when(
      and(bits(t, TLB.PRESENT), ...(isWrite ? [bits(t, TLB.WRITABLE)] : [])),
      [assign('pfn', op(t, '>>>', TLB.SHIFT))],
      [
        bind('spte', slot(g.spte)),
        when(and(bits(spte, SPTE.PRESENT), ...(isWrite ? [bits(spte, SPTE.WRITABLE)] : [])), [
          assign('pfn', op(spte, '>>>', SPTE.SHIFT)),
          write(tlb, op(op(op(pfn, '<<', TLB.SHIFT), '|', TLB.PRESENT), '|', cond(bits(spte, SPTE.WRITABLE), TLB.WRITABLE, 0))),
          ...(k.eptAd ? [write(g.spte, op(spte, '|', SPTE.ACCESSED | (isWrite ? SPTE.DIRTY : 0)))] : []),
        ]),
      ],
    ),
  ];
}

