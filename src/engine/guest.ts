// A vCPU's guest-physical access: the TLB, else a walk of the EPT (the sPTE), else an EPT
// violation into KVM's fault path. The harm checks (docs/output.md) are made here, at the
// moment the guest touches a frame.
import { EFAULT_VALUE, hex } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { emitKvmFault, faultinRetryCheck } from './kvm.js';
import { FAULT_LOCALS, L } from './layout.js';
import { anyPteDirty, bump, frameGet, frameSet, hostPfn, pageFlags, setPageFlag, violate } from './prims.js';
import type { Notes } from './program.js';
import { FRAME, PG, SPTE, TLB, sptePfn, tlbPfn, type State, put, get } from './state.js';

export function emitGuestAccess(e: Emit, gi: number, write: boolean, value: number, reg: number): void {
  const { l, asm } = e;
  const g = l.gfns[gi]!;
  const pg = l.pages[g.page]!;
  const vcpu = l.vcpus[l.threads[e.tid]!.vcpu!]!;
  const tlb = vcpu.tlb + gi;
  const seq = e.local(L.SEQ);
  const access = asm.label();
  const fault = asm.label();
  const fast = asm.label();
  const efault = asm.label();
  const retry = asm.label();
  const done = asm.label();
  const retryBeforeGup = faultinRetryCheck(e, gi);

  asm.bind(access);
  asm.emit({
    fn: write ? 'guest store' : 'guest load',
    does: `${write ? `write ${hex(value)} to` : 'read'} gfn ${hex(g.gfn)}: TLB, else EPT walk, else EPT violation`,
    exec: (s, notes) => {
      let pfn = 0;
      const t = get(s, tlb);
      if (t & TLB.PRESENT && (!write || t & TLB.WRITABLE)) {
        pfn = tlbPfn(t);
      } else {
        const spte = get(s, g.spte);
        if (spte & SPTE.PRESENT && (!write || spte & SPTE.WRITABLE)) {
          pfn = sptePfn(spte);
          put(s, tlb, (pfn << TLB.SHIFT) | TLB.PRESENT | (spte & SPTE.WRITABLE ? TLB.WRITABLE : 0));
          if (e.eptAd) put(s, g.spte, spte | SPTE.ACCESSED | (write ? SPTE.DIRTY : 0));
        }
      }
      if (!pfn) {
        // vmx_handle_exit -> handle_ept_violation -> kvm_mmu_page_fault: snapshot the seq.
        bump(l, s, 'kvm.fault');
        put(s, seq, get(s, l.seq));
        notes?.push(`EPT violation (${write ? 'write' : 'read'})`);
        if (get(s, g.spte) & SPTE.ACC_TRACK) return fast.pc;
        if (retryBeforeGup?.(s, notes)) {
          clearLocals(e, s, FAULT_LOCALS);
          return retry.pc;
        }
        return fault.pc;
      }
      checkGuestAccess(e, s, pfn, pg.pte, write, notes);
      if (write) {
        frameSet(l, s, pfn, FRAME.CONTENT, value);
        // A secondary-MMU write dirties no PTE: unless the folio is already dirty, the primary
        // MMU does not know about it until KVM marks the folio dirty.
        if (!(pageFlags(l, s, pfn) & PG.DIRTY) && !anyPteDirty(l, s, pfn)) setPageFlag(l, s, pfn, PG.GUEST_WROTE);
        bump(l, s, 'guest.write');
      } else {
        if (reg >= 0) put(s, reg, frameGet(l, s, pfn, FRAME.CONTENT));
        bump(l, s, 'guest.read');
      }
      clearLocals(e, s, FAULT_LOCALS);
      return done.pc;
    },
  });
  asm.bind(fast);
  asm.emit({
    fn: 'fast_page_fault',
    does: 'restore the access-tracked spte without mmu_lock (cmpxchg)',
    exec: (s) => {
      const spte = get(s, g.spte);
      if (!(spte & SPTE.ACC_TRACK)) return fault.pc;
      put(s, g.spte, (spte & ~SPTE.ACC_TRACK) | SPTE.PRESENT);
      clearLocals(e, s, FAULT_LOCALS);
      return access.pc;
    },
  });
  asm.bind(fault);
  emitKvmFault(e, gi, write, access, efault, retry);
  asm.bind(efault);
  asm.emit({
    fn: 'kvm_mmu_page_fault',
    does: `-EFAULT: KVM exits to the VMM; the access completes with ${hex(EFAULT_VALUE)}`,
    exec: (s) => {
      if (reg >= 0) put(s, reg, EFAULT_VALUE);
      clearLocals(e, s, FAULT_LOCALS);
    },
  });
  asm.bind(done);
}

/** Harm, not a mere window: the guest touched a frame it must not touch, or read data the primary MMU no longer shows. */
function checkGuestAccess(e: Emit, s: State, pfn: number, pte: number, write: boolean, notes: Notes): void {
  const { l } = e;
  const flags = pageFlags(l, s, pfn);
  const primary = hostPfn(s, pte);
  if (flags & PG.FREE) {
    violate(l, s, 'freed-frame-access', notes, `guest ${write ? 'wrote' : 'read'} freed pfn ${hex(pfn)}`);
    return;
  }
  if (write && (flags & (PG.KSM | PG.ZERO) || frameGet(l, s, pfn, FRAME.MAPCOUNT) > 1)) {
    violate(l, s, 'shared-frame-write', notes, `guest wrote pfn ${hex(pfn)}, which is shared`);
  }
  if (primary !== 0 && primary !== pfn) {
    if (write) violate(l, s, 'lost-write', notes, `guest wrote pfn ${hex(pfn)}; the process maps ${hex(primary)}`);
    else if (frameGet(l, s, pfn, FRAME.CONTENT) !== frameGet(l, s, primary, FRAME.CONTENT)) {
      violate(l, s, 'stale-read', notes, `guest read pfn ${hex(pfn)}; the process maps ${hex(primary)} with other data`);
    }
  }
}
