// KVM's side: the mmu_notifier handlers (virt/kvm/kvm_main.c + arch/x86/kvm/mmu), which KVM
// registers on the chain as kvmMmuNotifier, and the EPT-violation fault path with its
// invalidate seq / in-progress retry protocol.
import { hex } from '../contract/output.js';
import type { FAULT_FINISH, FAULT_GUP, FAULT_RETRY, NotifierCallback } from '../contract/era.js';
import { FAULT_LOCALS, L, type GfnSlot } from './layout.js';
import { clearLocals, type Emit } from './emit.js';
import { emitHandleMmFault } from './mm.js';
import type { AgeCallback, MmuNotifierOps } from './notifier.js';
import { unreachable, type Label, type Notes } from './program.js';
import { bump, flushRemoteTlbs, getPage, kvmMarkAccessed, kvmMarkDirty, lockFree, mmLive, putPage, spteMarksDirty, trackBits, vmaMapped, vmaWritable, zapper } from './prims.js';
import { PTE, SPTE, ptePfn, sptePfn, type State, put, get } from './state.js';

/**
 * KVM's struct mmu_notifier_ops, registered on the VM's mm (kvm_init_mmu_notifier()): it hears
 * a callback about a page of that mm when it registered that callback in this era.
 */
export const kvmMmuNotifier: MmuNotifierOps = {
  name: 'kvm',
  listens: (e, page, cb) => e.vmProc >= 0 && e.l.pages[page]!.proc === e.vmProc && e.rule('kvm.notifier_ops').includes(cb),
  invalidate_range_start: (e, pages) => emitKvmInvalidateRangeStart(e, pages),
  invalidate_range_end: (e) => emitKvmInvalidateRangeEnd(e),
  invalidate_page: (e, page) => emitKvmInvalidatePage(e, page),
  change_pte: (e, page) => emitKvmChangePte(e, page),
  clear_flush_young: (e, page) => emitKvmAge(e, page, 'clear_flush_young'),
  clear_young: (e, page) => emitKvmAge(e, page, 'clear_young'),
  test_young: (e, page) => emitKvmAge(e, page, 'test_young'),
  release: (e) => emitKvmRelease(e),
};

const gfnsOf = (e: Emit, pages: number[]) => pages.flatMap((p) => e.l.pages[p]!.gfns.map((i) => e.l.gfns[i]!));

/**
 * The shape of KVM's notifier handlers: one step that takes mmu_lock and does the work, then,
 * only if `work` says the sPTEs it touched need it, kvm_flush_remote_tlbs() before mmu_lock is
 * dropped (a separate step: a guest can use its TLB in between).
 */
function emitHandler(e: Emit, h: { callback: NotifierCallback; does: string; flushes?: boolean; work: (s: State, notes: Notes) => boolean }): void {
  const { l, asm } = e;
  const done = asm.label();
  const flushes = h.flushes ?? true;
  const fn = `kvm_mmu_notifier_${h.callback}`;
  asm.emit({
    fn,
    does: h.does,
    callback: h.callback,
    enabled: (s) => lockFree(s, l.mmuLock),
    exec: (s, notes) => {
      if (!h.work(s, notes) || !flushes) return done.pc;
      put(s, l.mmuLock, e.owner);
    },
  });
  if (flushes) asm.emit({
    fn,
    does: 'kvm_flush_remote_tlbs(), drop mmu_lock',
    exec: (s) => {
      flushRemoteTlbs(l, s);
      put(s, l.mmuLock, 0);
    },
  });
  asm.bind(done);
}

/**
 * kvm_mmu_notifier_invalidate_range_start(): mmu_invalidate_in_progress++ (and the range), then
 * zap every leaf sPTE in the range and flush remote TLBs before returning, so the primary MMU
 * may free the pages once the callback returns.
 */
function emitKvmInvalidateRangeStart(e: Emit, pages: number[]): void {
  const { l } = e;
  const gs = gfnsOf(e, pages);
  const lo = Math.min(...gs.map((g) => g.gfn));
  const hi = Math.max(...gs.map((g) => g.gfn)) + 1;
  const zap = zapAll(e);
  emitHandler(e, {
    callback: 'invalidate_range_start',
    does: 'take mmu_lock, mmu_invalidate_in_progress++, zap the sptes in range',
    work: (s, notes) => {
      bump(l, s, 'notifier.invalidate_range_start');
      // kvm_mmu_invalidate_begin() + kvm_mmu_invalidate_range_add(): concurrent ranges merge.
      put(s, l.inProgress, get(s, l.inProgress) + 1);
      if (get(s, l.inProgress) === 1 || get(s, l.rangeStart) === get(s, l.rangeEnd)) {
        put(s, l.rangeStart, gs.length ? lo : 0);
        put(s, l.rangeEnd, gs.length ? hi : 0);
      } else if (gs.length) {
        put(s, l.rangeStart, Math.min(get(s, l.rangeStart), lo));
        put(s, l.rangeEnd, Math.max(get(s, l.rangeEnd), hi));
      }
      if (zap(s, gs, notes)) return true;
      notes?.push('no spte in range');
      return false;
    },
  });
}

/** kvm_mmu_notifier_invalidate_range_end(): mmu_invalidate_seq++, then in_progress-- (smp_wmb between). */
function emitKvmInvalidateRangeEnd(e: Emit): void {
  const { l } = e;
  e.asm.emit({
    fn: 'kvm_mmu_notifier_invalidate_range_end',
    callback: 'invalidate_range_end',
    does: 'mmu_invalidate_seq++, mmu_invalidate_in_progress--',
    enabled: (s) => lockFree(s, l.mmuLock),
    exec: (s) => {
      bump(l, s, 'notifier.invalidate_range_end');
      put(s, l.seq, get(s, l.seq) + 1);
      put(s, l.inProgress, get(s, l.inProgress) - 1);
      if (get(s, l.inProgress) < 0) throw new Error('internal: mmu_invalidate_in_progress went negative');
    },
  });
}

/**
 * kvm_mmu_notifier_invalidate_page() (until v4.12): mmu_notifier_seq++ and kvm_unmap_hva() under
 * mmu_lock, then flush remote TLBs. No in-progress count: nothing holds back a racing fault
 * except the seq.
 */
function emitKvmInvalidatePage(e: Emit, page: number): void {
  const { l } = e;
  const gs = gfnsOf(e, [page]);
  const zap = zapAll(e);
  emitHandler(e, {
    callback: 'invalidate_page',
    does: 'take mmu_lock, mmu_invalidate_seq++, kvm_unmap_hva(): zap the spte',
    work: (s, notes) => {
      bump(l, s, 'notifier.invalidate_page');
      put(s, l.seq, get(s, l.seq) + 1);
      return zap(s, gs, notes);
    },
  });
}

/** kvm_mmu_notifier_release(): kvm_flush_shadow_all() drops every sPTE of the VM. */
function emitKvmRelease(e: Emit): void {
  const { l } = e;
  const zap = zapAll(e);
  emitHandler(e, {
    callback: 'release',
    does: 'take mmu_lock; kvm_arch_flush_shadow_all(): zap every spte',
    work: (s, notes) => {
      bump(l, s, 'notifier.release');
      return zap(s, l.gfns, notes);
    },
  });
}

/**
 * The aging callbacks: kvm_age_gfn() (clear the A bit) or kvm_test_age_gfn(). Without EPT A/D
 * bits what aging does is the era's rule: answer old, zap the sPTE ("emulate the accessed
 * bit"), zap it and bump the seq (57128468080a), or access-track it (f160c7b7bb32); a test
 * says young only for a present, not access-tracked sPTE once access tracking exists, old
 * before. Whether the sPTE was young is ORed into L.RESULT. clear_flush_young flushes remote
 * TLBs when it found a young sPTE, by the era's rule.
 */
function emitKvmAge(e: Emit, page: number, cb: AgeCallback): void {
  const { l } = e;
  const gs = gfnsOf(e, [page]);
  const result = e.local(L.RESULT);
  const markDirty = e.ruleAt('kvm.age.no_ad_mark_dirty');
  const noAd = e.eptAd ? null : e.ruleAt('kvm.age.no_ad');
  const zap = zapper(e);
  emitHandler(e, {
    callback: cb,
    does: cb === 'test_young' ? 'kvm_test_age_gfn(): is the spte young?' : 'take mmu_lock; kvm_age_gfn(): test and clear the spte accessed state',
    flushes: cb === 'clear_flush_young' && e.rule('kvm.age.flush'),
    work: (s, notes) => {
      bump(l, s, `notifier.${cb}`);
      const how = noAd?.(notes);
      switch (how) {
        case 'zap-and-seq-bump':
          // 57128468080a: mmu_notifier_seq++, so that a racing fault retries.
          if (cb !== 'test_young') put(s, l.seq, get(s, l.seq) + 1);
          break;
        case undefined: // EPT A/D bits: the rule is not read
        case 'report-old':
        case 'zap':
        case 'access-track':
          break;
        default:
          unreachable(how);
      }
      let young = 0;
      for (const g of gs) {
        const spte = get(s, g.spte);
        if (!(spte & SPTE.PRESENT)) continue;
        if (!how) {
          if (!(spte & SPTE.ACCESSED)) continue;
          young = 1;
          if (cb !== 'test_young') put(s, g.spte, spte & ~SPTE.ACCESSED);
        } else {
          // A test (kvm_test_age_rmapp()) has no A bit to read: young only for a present sPTE once
          // access tracking exists (is_accessed_spte()), old before.
          switch (how) {
            case 'report-old':
              continue;
            case 'zap':
            case 'zap-and-seq-bump':
              if (cb === 'test_young') continue;
              young = 1;
              zap(s, g, notes);
              continue;
            case 'access-track':
              young = 1;
              if (cb === 'test_young') break;
              // mark_spte_for_access_track(): the next access faults and fast_page_fault restores it.
              if (spte & SPTE.WRITABLE && markDirty(notes)) kvmMarkDirty(l, s, sptePfn(spte), notes);
              put(s, g.spte, (spte & ~SPTE.PRESENT) | SPTE.ACC_TRACK);
              break;
            default:
              unreachable(how);
          }
        }
        notes?.push(`spte gfn ${hex(g.gfn)} was young`);
      }
      put(s, result, get(s, result) | young);
      return young === 1;
    },
  });
}

/** A handler's zap of every present sPTE of these gfns (true if one was), its rule readers made once. */
function zapAll(e: Emit): (s: State, gs: GfnSlot[], notes: Notes) => boolean {
  const zap = zapper(e);
  return (s, gs, notes) => {
    let zapped = false;
    for (const g of gs) {
      if (get(s, g.spte) & (SPTE.PRESENT | SPTE.ACC_TRACK)) {
        zap(s, g, notes);
        zapped = true;
      }
    }
    return zapped;
  };
}

/**
 * kvm_mmu_notifier_change_pte() -> kvm_set_spte_gfn() (kvm_set_spte_hva() before v5.13) ->
 * kvm_set_pte_rmapp() (tdp_mmu: set_spte_gfn): a writable new PTE zaps the sPTE; a read-only
 * one repoints it, read-only, to the new pfn. What else it does is the era's rule: bump the
 * seq first (until c13fda237f08), return at once unless an invalidation is in progress
 * (071064f14d87), keep the accessed bit (v2.6.32) or make the repointed sPTE old and account
 * the old one as a zap would (set_spte_track_bits(), later). The new PTE is in L.NEWPTE.
 */
function emitKvmChangePte(e: Emit, page: number): void {
  const { l } = e;
  const gs = gfnsOf(e, [page]);
  const newPte = e.local(L.NEWPTE);
  const handlerRule = e.ruleAt('kvm.change_pte');
  const markDirty = e.ruleAt('kvm.zap.mark_dirty');
  const zap = zapper(e);
  const track = trackBits(e);
  emitHandler(e, {
    callback: 'change_pte',
    does: 'take mmu_lock; kvm_set_spte_gfn(): repoint the spte read-only, or zap it',
    work: (s, notes) => {
      bump(l, s, 'notifier.change_pte');
      const handler = handlerRule(notes);
      let old: boolean;
      switch (handler) {
        case 'seq-bump-then-set-spte':
          put(s, l.seq, get(s, l.seq) + 1);
          old = false;
          break;
        case 'seq-bump-then-set-spte-old':
          put(s, l.seq, get(s, l.seq) + 1);
          old = true;
          break;
        case 'set-spte-old':
          old = true;
          break;
        case 'set-spte-old-if-in-progress':
          if (get(s, l.inProgress) === 0) {
            notes?.push('no invalidation in progress: return');
            return false;
          }
          old = true;
          break;
        default:
          unreachable(handler);
      }
      const pte = get(s, newPte);
      let touched = false;
      for (const g of gs) {
        const spte = get(s, g.spte);
        if (!(spte & SPTE.PRESENT)) continue;
        touched = true;
        if (pte & PTE.WRITE) {
          zap(s, g, notes);
          continue;
        }
        const was = sptePfn(spte);
        // Made old, the sPTE is accounted as a zap would be (set_spte_track_bits()); before that
        // kvm_set_pte_rmapp() read no D bit, `if (is_writeble_pte(*spte)) kvm_set_pfn_dirty()`:
        // the rule's answer without EPT A/D bits.
        if (old) track(s, spte, notes);
        else if (spte & SPTE.WRITABLE && spteMarksDirty(markDirty(notes), false, spte)) kvmMarkDirty(l, s, was, notes);
        const flags = spte & ((1 << SPTE.SHIFT) - 1) & ~(SPTE.WRITABLE | SPTE.HOST_WRITABLE | (old ? SPTE.ACCESSED : 0));
        put(s, g.spte, (ptePfn(pte) << SPTE.SHIFT) | flags);
        if (spte & SPTE.PAGE_REF) {
          // An sPTE that holds its page's reference moves it to the new page.
          getPage(l, s, ptePfn(pte));
          putPage(l, s, was, notes);
        }
        bump(l, s, 'kvm.spte_change');
        notes?.push(`spte gfn ${hex(g.gfn)} repointed to pfn ${hex(ptePfn(pte))}, read-only${old ? ', old' : ''}`);
      }
      if (!touched) notes?.push('no spte present: nothing to change');
      return touched;
    },
  });
}

/**
 * How the fault lets go of the page it got from the host (kvm.fault.finish) decides the install
 * step and the steps after it. A row for every value: a new one does not type-check without its own.
 */
const FINISH: Record<(typeof FAULT_FINISH)[number], { holdRef: boolean; makeSpteMarksDirty: boolean; putUnderLock: boolean; underLock: boolean }> = {
  // Before acb66dd051d0 the sPTE keeps the reference hva_to_pfn took, until it is zapped.
  'hold-ref-until-zap': { holdRef: true, makeSpteMarksDirty: false, putUnderLock: false, underLock: false },
  // acb66dd051d0 (v2.6.32): mmu_set_spte() calls kvm_release_pfn_clean() after rmap_add(),
  // under mmu_lock; a retry releases after spin_unlock() (out_unlock).
  'kvm_release_pfn_clean-under-mmu_lock': { holdRef: false, makeSpteMarksDirty: false, putUnderLock: true, underLock: false },
  // v5.3 ("kvm: x86: Do not release the page inside mmu_set_spte()"): kvm_release_pfn_clean()
  // after mmu_lock is dropped, on both paths.
  'kvm_release_pfn_clean-after-unlock': { holdRef: false, makeSpteMarksDirty: false, putUnderLock: false, underLock: false },
  // The March 2024 RFC: make_spte() marks a writable sPTE's folio dirty as it creates it.
  'make_spte-marks-dirty': { holdRef: false, makeSpteMarksDirty: true, putUnderLock: false, underLock: false },
  // v6.13: kvm_release_faultin_page() under mmu_lock does it all in the install step.
  'kvm_release_faultin_page-under-mmu_lock': { holdRef: false, makeSpteMarksDirty: false, putUnderLock: false, underLock: true },
};

/**
 * The EPT-violation path: kvm_mmu_page_fault() has read mmu_invalidate_seq into L.SEQ (done by
 * the access step that missed). Get the page from the host (hva_to_pfn, which may fault it in
 * or break COW), then under mmu_lock check is_page_fault_stale() and install the sPTE. On
 * success or retry, jump back to `access`: the guest re-executes its access.
 */
export function emitKvmFault(e: Emit, gi: number, write: boolean, access: Label, efault: Label, retry: Label): void {
  const { l, asm } = e;
  const g = l.gfns[gi]!;
  const page = l.pages[g.page]!;
  const seq = e.local(L.SEQ);
  const pfnSlot = e.local(L.PFN);
  const mapWritable = e.local(L.MAP_WRITABLE);
  const gup = asm.label();
  const hostFault = asm.label();
  const install = asm.label();
  const retryWait = retry;
  const retryRule = e.ruleAt('kvm.fault.retry');

  const gupWrite = write || readFaultGupsWrite(e.rule('kvm.fault.gup'));

  asm.bind(gup);
  asm.emit({
    fn: 'hva_to_pfn',
    does: `get_user_pages_unlocked(${gupWrite ? 'FOLL_WRITE' : ''}): walk the host page table, take a page reference`,
    exec: (s, notes) => {
      if (!mmLive(l, s, g.page) || !vmaMapped(l, s, g.page) || (gupWrite && !vmaWritable(l, s, g.page))) {
        notes?.push(`no ${gupWrite ? 'writable ' : ''}vma at the hva: -EFAULT`);
        return efault.pc;
      }
      const pte = get(s, page.pte);
      if (pte & PTE.PRESENT && !(pte & PTE.PROTNONE) && (!gupWrite || pte & PTE.WRITE)) {
        const pfn = ptePfn(pte);
        getPage(l, s, pfn);
        put(s, pfnSlot, pfn);
        // A read fault maps writable when the host PTE already is (hva_to_pfn_fast with *writable).
        put(s, mapWritable, pte & PTE.WRITE ? 1 : 0);
        return install.pc;
      }
      notes?.push(pte & PTE.PRESENT && !(pte & PTE.PROTNONE) ? 'host PTE read-only: fault it in for write' : 'host PTE not present: fault it in');
      return hostFault.pc;
    },
  });
  asm.bind(hostFault);
  emitHandleMmFault(e, g.page, gupWrite, gup, efault);

  const finish = e.ruleAt('kvm.fault.finish');
  const tdp = e.tdp;
  const releaseAfter = asm.label();
  const releaseRetry = asm.label();
  const putUnderLock = FINISH[e.rule('kvm.fault.finish')].putUnderLock;
  asm.bind(install);
  asm.emit({
    fn: tdp ? 'kvm_tdp_mmu_map' : 'direct_map',
    does: `take mmu_lock; is_page_fault_stale(); make_spte() and install it${putUnderLock ? '; kvm_release_pfn_clean()' : ''}`,
    enabled: (s) => lockFree(s, l.mmuLock),
    exec: (s, notes) => {
      const pfn = get(s, pfnSlot);
      const how = FINISH[finish(notes)];
      const retry = retryRule(notes);
      if (faultIsStale(e, s, g.gfn, retry)) {
        bump(l, s, 'kvm.fault_retry');
        if (retryBlocked(e, s, g.gfn, retry)) bump(l, s, 'kvm.fault_retry_in_progress');
        notes?.push(`stale fault (seq ${get(s, seq)} -> ${get(s, l.seq)}, in progress ${get(s, l.inProgress)}): RET_PF_RETRY`);
        if (!how.underLock) return releaseRetry.pc;
        putPage(l, s, pfn, notes); // kvm_release_faultin_page(..., unused=true, ...)
        clearLocals(e, s, FAULT_LOCALS);
        return retryWait.pc;
      }
      const w = get(s, mapWritable) ? SPTE.WRITABLE | SPTE.HOST_WRITABLE : 0;
      // make_spte(): A set for a non-prefetch fault; a writable sPTE is created dirty
      // (spte_shadow_dirty_mask, 9b51a63024bd "KVM: MMU: Explicitly set D-bit for writable spte.").
      const ad = e.eptAd ? SPTE.ACCESSED | (w ? SPTE.DIRTY : 0) : 0;
      const ref = how.holdRef ? SPTE.PAGE_REF : 0;
      put(s, g.spte, (pfn << SPTE.SHIFT) | SPTE.PRESENT | w | ad | ref);
      if (!tdp) put(s, g.rmap, 1); // rmap_add(): the TDP MMU keeps no rmap
      notes?.push(`spte gfn ${hex(g.gfn)} -> pfn ${hex(pfn)} ${w ? 'writable' : 'read-only'}`);
      if (how.makeSpteMarksDirty && w) kvmMarkDirty(l, s, pfn, notes);
      if (ref) {
        clearLocals(e, s, FAULT_LOCALS);
        return access.pc;
      }
      if (how.putUnderLock) {
        // mmu_set_spte(): kvm_release_pfn_clean(pfn) after rmap_add(), mmu_lock still held.
        putPage(l, s, pfn, notes);
        clearLocals(e, s, FAULT_LOCALS);
        return access.pc;
      }
      if (!how.underLock) return releaseAfter.pc;
      // kvm_release_faultin_page(kvm, page, unused=false, dirty=map_writable) under mmu_lock (v6.13).
      if (get(s, mapWritable)) kvmMarkDirty(l, s, pfn, notes);
      kvmMarkAccessed(l, s, pfn, notes);
      putPage(l, s, pfn, notes);
      clearLocals(e, s, FAULT_LOCALS);
      return access.pc;
    },
  });
  // kvm_release_pfn_clean() after mmu_lock is dropped; KVM keeps no reference to mapped pages.
  // Under mmu_lock (v6.13) the install step has done it: these steps are never reached.
  if (!FINISH[e.rule('kvm.fault.finish')].underLock) {
    const release = (next: Label) =>
      asm.emit({
        fn: 'kvm_release_pfn_clean',
        does: 'put_page() the reference hva_to_pfn took',
        exec: (s, notes) => {
          putPage(l, s, get(s, pfnSlot), notes);
          clearLocals(e, s, FAULT_LOCALS);
          return next.pc;
        },
      });
    asm.bind(releaseAfter);
    // Released in the install step (mmu_set_spte(), until v5.3): only a retry releases here.
    if (!putUnderLock) release(access);
    asm.bind(releaseRetry);
    release(retryWait);
  } else {
    asm.bind(releaseAfter);
    asm.bind(releaseRetry);
  }
  asm.bind(retryWait);
  e.rule('kvm.fault.retry'); // the wait exists, and waits, by the retry rule
  asm.emit({
    fn: 'kvm_mmu_page_fault',
    does: 'RET_PF_RETRY: re-enter the guest, which faults again once no invalidation covers the gfn',
    enabled: (s) => !retryBlocked(e, s, g.gfn, retryRule(null)),
    exec: () => access.pc,
  });
}

/** Until 612819c3c6e6 every fault asked get_user_pages() for a writable page: a read breaks COW. */
function readFaultGupsWrite(gup: (typeof FAULT_GUP)[number]): boolean {
  switch (gup) {
    case 'write':
      return true;
    case 'as-fault':
      return false;
    default:
      return unreachable(gup);
  }
}

/**
 * d02c357e5bfa (v6.8): before any get_user_pages(), kvm_faultin_pfn() makes a fault that an
 * invalidation in progress covers retry at once (mmu_invalidate_retry_gfn_unsafe(), no lock).
 * The check is made in the step that reads mmu_invalidate_seq for the fault, a few lockless
 * instructions before it (a simplification of the timeline from v6.8): an invalidation that
 * starts between the two is caught under mmu_lock instead. Null when the era has no such check
 * (decided while building, which names no rule: the check names it when it runs).
 */
export function faultinRetryCheck(e: Emit, gi: number): ((s: State, notes: Notes) => boolean) | null {
  const retryRule = e.ruleAt('kvm.fault.retry');
  if (!checksBeforeGup(retryRule(null))) return null;
  const { l } = e;
  const g = l.gfns[gi]!;
  return (s, notes) => {
    if (!retryBlocked(e, s, g.gfn, retryRule(notes))) return false;
    bump(l, s, 'kvm.fault_retry');
    bump(l, s, 'kvm.fault_retry_in_progress');
    notes?.push(`kvm_mmu_faultin_pfn(): an invalidation covers gfn ${hex(g.gfn)}, RET_PF_RETRY before get_user_pages()`);
    return true;
  };
}

/** Only d02c357e5bfa's rule looks for an invalidation before get_user_pages(). */
function checksBeforeGup(retry: (typeof FAULT_RETRY)[number]): boolean {
  switch (retry) {
    case 'in-range-or-seq-before-gup':
      return true;
    case 'never':
    case 'in-progress-or-seq':
    case 'in-range-or-seq':
      return false;
    default:
      return unreachable(retry);
  }
}

/**
 * is_page_fault_stale() -> mmu_invalidate_retry_gfn() (older: mmu_notifier_retry()), under the
 * era's retry rule. The value `never` is no kernel's: a KVM without the check, for overlays and
 * tests.
 */
function faultIsStale(e: Emit, s: State, gfn: number, retry: (typeof FAULT_RETRY)[number]): boolean {
  switch (retry) {
    case 'never':
      return false;
    case 'in-progress-or-seq':
    case 'in-range-or-seq':
    case 'in-range-or-seq-before-gup':
      return retryBlocked(e, s, gfn, retry) || get(s, e.l.seq) !== get(s, e.local(L.SEQ));
    default:
      return unreachable(retry);
  }
}

/** An invalidation in progress that covers this fault, by the era's rule. */
function retryBlocked(e: Emit, s: State, gfn: number, retry: (typeof FAULT_RETRY)[number]): boolean {
  const { l } = e;
  if (get(s, l.inProgress) === 0) return false;
  switch (retry) {
    case 'never':
      return false;
    case 'in-progress-or-seq':
      return true;
    case 'in-range-or-seq':
    case 'in-range-or-seq-before-gup':
      return gfn >= get(s, l.rangeStart) && gfn < get(s, l.rangeEnd);
    default:
      return unreachable(retry);
  }
}
