// KVM's side: the mmu_notifier handlers (virt/kvm/kvm_main.c + arch/x86/kvm/mmu), which KVM
// registers on the chain as kvmMmuNotifier, and the EPT-violation fault path with its
// invalidate seq / in-progress retry protocol. Its steps are data (engine/step-data.ts).
import { hex } from '../contract/output.js';
import type { AGE_NO_AD, FAULT_FINISH, FAULT_GUP, FAULT_RETRY, NotifierCallback } from '../contract/era.js';
import { FAULT_LOCALS, L } from '../engine/layout.js';
import { clearLocalsData, type Emit } from '../engine/emit.js';
import { emitHandleMmFault } from '../engine/mm.js';
import type { AgeCallback, MmuNotifierOps } from '../engine/notifier.js';
import { unreachable, type Label } from '../engine/program.js';
import { bump, getPageData, lockFree, mmLive, putPageData, vmaMapped, vmaWritable } from '../engine/prims.js';
import { PTE } from '../engine/state.js';
import { and, assign, bind, bits, block, cond, eq, fail, goto, not, note, op, or, slot, v, when, write, type Expr, type Stmt } from '../engine/step-data.js';
import { SPTE, gfnsOf, kvmOf, tdp, type GfnSlot } from './layout.js';
import { flushRemoteTlbs, kvmMarkAccessed, kvmMarkDirty, spteMarksDirty, trackBits, zapper } from './prims.js';

/**
 * KVM's struct mmu_notifier_ops, registered on the VM's mm (kvm_init_mmu_notifier()): it hears
 * a callback about a page of that mm when it registered that callback in this era.
 */
export const kvmMmuNotifier: MmuNotifierOps = {
  name: 'kvm',
  listens: (e, page, cb) => {
    // KVM's .invalidate_range (v5.7-v6.4: kvm_mmu_notifier_invalidate_range, which only
    // reloads the APIC-access page) is not modelled: the engine's KVM never hears it.
    if (cb === 'invalidate_range') return false;
    const { vmProc } = kvmOf(e.l);
    return vmProc >= 0 && e.l.pages[page]!.proc === vmProc && e.rule('kvm.notifier_ops').includes(cb);
  },
  registeredOn: (e, page) => kvmOf(e.l).vmProc === e.l.pages[page]!.proc,
  invalidate_range_start: (e, pages) => emitKvmInvalidateRangeStart(e, pages),
  invalidate_range_end: (e) => emitKvmInvalidateRangeEnd(e),
  invalidate_page: (e, page) => emitKvmInvalidatePage(e, page),
  change_pte: (e, page) => emitKvmChangePte(e, page),
  clear_flush_young: (e, page) => emitKvmAge(e, page, 'clear_flush_young'),
  clear_young: (e, page) => emitKvmAge(e, page, 'clear_young'),
  test_young: (e, page) => emitKvmAge(e, page, 'test_young'),
  release: (e) => emitKvmRelease(e),
};


/**
 * The shape of KVM's notifier handlers: one step that takes mmu_lock and does the work, then,
 * only if the work set `touched` (the sPTEs it touched need it), kvm_flush_remote_tlbs() before
 * mmu_lock is dropped (a separate step: a guest can use its TLB in between). `work` gets the
 * label past the handler, to end it early.
 */
function emitHandler(e: Emit, h: { callback: NotifierCallback; does: string; flushes?: boolean; work: (done: Label) => readonly Stmt[] }): void {
  const { l, asm } = e;
  const k = kvmOf(l);
  const done = asm.label();
  const flushes = h.flushes ?? true;
  const fn = `kvm_mmu_notifier_${h.callback}`;
  asm.emit({
    fn,
    does: h.does,
    callback: h.callback,
    handler: 'KVM',
    data: () => ({
      guard: lockFree(k.mmuLock),
      effect: [bind('touched', 0), ...h.work(done), ...(flushes ? [when(not(v('touched')), [goto(done)]), write(k.mmuLock, e.owner)] : [goto(done)])],
    }),
  });
  if (flushes) asm.emit({ fn, does: 'kvm_flush_remote_tlbs(), drop mmu_lock', handler: 'KVM', data: () => ({ effect: [...flushRemoteTlbs(l), write(k.mmuLock, 0)] }) });
  asm.bind(done);
}

/** 57128468080a: aging without EPT A/D bits does mmu_notifier_seq++, so that a racing fault retries. */
function agingBumpsSeq(how: (typeof AGE_NO_AD)[number]): boolean {
  switch (how) {
    case 'zap-and-seq-bump':
      return true;
    case 'report-old':
    case 'zap':
    case 'access-track':
      return false;
    default:
      return unreachable(how);
  }
}

/** A handler's zap of every present sPTE of these gfns; `touched` is set if one was. */
const zapAll = (zap: (g: GfnSlot) => Stmt, gs: readonly GfnSlot[]): Stmt[] => gs.map((g) => when(bits(slot(g.spte), SPTE.PRESENT | SPTE.ACC_TRACK), [zap(g), touch]));
const touch: Stmt = assign('touched', 1);

/**
 * kvm_mmu_notifier_invalidate_range_start(): mmu_invalidate_in_progress++ (and the range), then
 * zap every leaf sPTE in the range and flush remote TLBs before returning, so the primary MMU
 * may free the pages once the callback returns.
 */
function emitKvmInvalidateRangeStart(e: Emit, pages: number[]): void {
  const { l } = e;
  const k = kvmOf(l);
  const gs = gfnsOf(e.l, pages);
  const lo = Math.min(...gs.map((g) => g.gfn));
  const hi = Math.max(...gs.map((g) => g.gfn)) + 1;
  const start = slot(k.rangeStart);
  const end = slot(k.rangeEnd);
  const zap = zapper(e);
  emitHandler(e, {
    callback: 'invalidate_range_start',
    does: 'take mmu_lock, mmu_invalidate_in_progress++, zap the sptes in range',
    work: () => [
      bump(l, 'notifier.invalidate_range_start'),
      // kvm_mmu_invalidate_begin() + kvm_mmu_invalidate_range_add(): concurrent ranges merge.
      write(k.inProgress, op(slot(k.inProgress), '+', 1)),
      when(
        or(eq(slot(k.inProgress), 1), eq(start, end)),
        [write(k.rangeStart, gs.length ? lo : 0), write(k.rangeEnd, gs.length ? hi : 0)],
        gs.length ? [write(k.rangeStart, cond(op(start, '<', lo), start, lo)), write(k.rangeEnd, cond(op(end, '>', hi), end, hi))] : [],
      ),
      ...zapAll(zap, gs),
      when(not(v('touched')), [note('no spte in range')]),
    ],
  });
}

/** kvm_mmu_notifier_invalidate_range_end(): mmu_invalidate_seq++, then in_progress-- (smp_wmb between). */
function emitKvmInvalidateRangeEnd(e: Emit): void {
  const { l } = e;
  const k = kvmOf(l);
  e.asm.emit({
    fn: 'kvm_mmu_notifier_invalidate_range_end',
    callback: 'invalidate_range_end',
    handler: 'KVM',
    does: 'mmu_invalidate_seq++, mmu_invalidate_in_progress--',
    data: () => ({
      guard: lockFree(k.mmuLock),
      effect: [
        bump(l, 'notifier.invalidate_range_end'),
        write(k.seq, op(slot(k.seq), '+', 1)),
        write(k.inProgress, op(slot(k.inProgress), '-', 1)),
        when(op(slot(k.inProgress), '<', 0), [fail('mmu_invalidate_in_progress went negative')]),
      ],
    }),
  });
}

/**
 * kvm_mmu_notifier_invalidate_page() (until v4.12): mmu_notifier_seq++ and kvm_unmap_hva() under
 * mmu_lock, then flush remote TLBs. No in-progress count: nothing holds back a racing fault
 * except the seq.
 */
function emitKvmInvalidatePage(e: Emit, page: number): void {
  const { l } = e;
  const k = kvmOf(l);
  const zap = zapper(e);
  emitHandler(e, {
    callback: 'invalidate_page',
    does: 'take mmu_lock, mmu_invalidate_seq++, kvm_unmap_hva(): zap the spte',
    work: () => [bump(l, 'notifier.invalidate_page'), write(k.seq, op(slot(k.seq), '+', 1)), ...zapAll(zap, gfnsOf(e.l, [page]))],
  });
}

/** kvm_mmu_notifier_release(): kvm_flush_shadow_all() drops every sPTE of the VM. */
function emitKvmRelease(e: Emit): void {
  const { l } = e;
  const k = kvmOf(l);
  const zap = zapper(e);
  emitHandler(e, {
    callback: 'release',
    does: 'take mmu_lock; kvm_arch_flush_shadow_all(): zap every spte',
    work: () => [bump(l, 'notifier.release'), ...zapAll(zap, k.gfns)],
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
  const k = kvmOf(l);
  const gs = gfnsOf(e.l, [page]);
  const result = e.local(L.RESULT);
  const markDirty = e.ruleRead('kvm.age.no_ad_mark_dirty');
  const noAd = k.eptAd ? null : e.ruleRead('kvm.age.no_ad');
  const zap = zapper(e);
  const spte = v('spte');
  /** Per sPTE: what aging does to a present one, by the rule (EPT A/D bits: the rule is not read). */
  const aged = (g: GfnSlot): Stmt[] => {
    const wasYoung = note(`spte gfn ${hex(g.gfn)} was young`);
    const how = noAd?.value;
    switch (how) {
      case undefined:
        return [when(bits(spte, SPTE.ACCESSED), [touch, ...(cb !== 'test_young' ? [write(g.spte, op(spte, '&', ~SPTE.ACCESSED))] : []), wasYoung])];
      // A test (kvm_test_age_rmapp()) has no A bit to read: young only for a present sPTE once
      // access tracking exists (is_accessed_spte()), old before.
      case 'report-old':
        return [];
      case 'zap':
      case 'zap-and-seq-bump':
        return cb === 'test_young' ? [] : [touch, zap(g)];
      case 'access-track':
        return [
          touch,
          ...(cb === 'test_young'
            ? []
            : [
                // mark_spte_for_access_track(): the next access faults and fast_page_fault restores it.
                when(bits(spte, SPTE.WRITABLE), [markDirty.read, ...(markDirty.value ? kvmMarkDirty(l, op(spte, '>>>', SPTE.SHIFT)) : [])]),
                write(g.spte, op(op(spte, '&', ~SPTE.PRESENT), '|', SPTE.ACC_TRACK)),
              ]),
          wasYoung,
        ];
      default:
        return unreachable(how);
    }
  };
  emitHandler(e, {
    callback: cb,
    does: cb === 'test_young' ? 'kvm_test_age_gfn(): is the spte young?' : 'take mmu_lock; kvm_age_gfn(): test and clear the spte accessed state',
    flushes: cb === 'clear_flush_young' && e.rule('kvm.age.flush'),
    work: () => [
      bump(l, `notifier.${cb}`),
      ...(noAd ? [noAd.read] : []),
      ...(noAd && agingBumpsSeq(noAd.value) && cb !== 'test_young' ? [write(k.seq, op(slot(k.seq), '+', 1))] : []),
      ...gs.map((g): Stmt => (block([bind('spte', slot(g.spte)), when(bits(spte, SPTE.PRESENT), aged(g))]))),
      write(result, op(slot(result), '|', v('touched'))),
    ],
  });
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
  const k = kvmOf(l);
  const gs = gfnsOf(e.l, [page]);
  const newPte = e.local(L.NEWPTE);
  const handlerRule = e.ruleRead('kvm.change_pte');
  const markDirty = e.ruleRead('kvm.zap.mark_dirty');
  const seqBump = write(k.seq, op(slot(k.seq), '+', 1));
  const zap = zapper(e);
  const track = trackBits(e);
  emitHandler(e, {
    callback: 'change_pte',
    does: 'take mmu_lock; kvm_set_spte_gfn(): repoint the spte read-only, or zap it',
    work: (done) => {
      let first: Stmt[];
      let old: boolean;
      switch (handlerRule.value) {
        case 'seq-bump-then-set-spte':
          first = [seqBump];
          old = false;
          break;
        case 'seq-bump-then-set-spte-old':
          first = [seqBump];
          old = true;
          break;
        case 'set-spte-old':
          first = [];
          old = true;
          break;
        case 'set-spte-old-if-in-progress':
          first = [when(eq(slot(k.inProgress), 0), [note('no invalidation in progress: return'), goto(done)])];
          old = true;
          break;
        default:
          unreachable(handlerRule.value);
      }
      const pte = v('pte');
      const spte = v('spte');
      const was = v('was');
      const to = op(pte, '>>>', PTE.SHIFT);
      const kept = ((1 << SPTE.SHIFT) - 1) & ~(SPTE.WRITABLE | SPTE.HOST_WRITABLE | (old ? SPTE.ACCESSED : 0));
      return [
        bump(l, 'notifier.change_pte'),
        handlerRule.read,
        ...first,
        bind('pte', slot(newPte)),
        ...gs.map(
          (g): Stmt => ({
            k: 'do',
            do: [
              bind('spte', slot(g.spte)),
              when(bits(spte, SPTE.PRESENT), [
                touch,
                when(
                  bits(pte, PTE.WRITE),
                  [zap(g)],
                  [
                    bind('was', op(spte, '>>>', SPTE.SHIFT)),
                    // Made old, the sPTE is accounted as a zap would be (set_spte_track_bits()); before that
                    // kvm_set_pte_rmapp() read no D bit, `if (is_writeble_pte(*spte)) kvm_set_pfn_dirty()`:
                    // the rule's answer without EPT A/D bits.
                    ...(old ? track(spte) : [when(bits(spte, SPTE.WRITABLE), [markDirty.read, when(spteMarksDirty(markDirty.value, false, spte), kvmMarkDirty(l, was))])]),
                    write(g.spte, op(op(to, '<<', SPTE.SHIFT), '|', bits(spte, kept))),
                    // An sPTE that holds its page's reference moves it to the new page.
                    when(bits(spte, SPTE.PAGE_REF), [getPageData(l, to), putPageData(l, was)]),
                    bump(l, 'kvm.spte_change'),
                    note(`spte gfn ${hex(g.gfn)} repointed to pfn `, { hex: to }, `, read-only${old ? ', old' : ''}`),
                  ],
                ),
              ]),
            ],
          }),
        ),
        when(not(v('touched')), [note('no spte present: nothing to change')]),
      ];
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

/** One EPT-violation fault being built: its gfn, the fault's locals, and the labels it jumps to. */
interface KvmFault {
  e: Emit;
  g: GfnSlot;
  seq: number;
  pfnSlot: number;
  mapWritable: number;
  retryRule: { value: (typeof FAULT_RETRY)[number]; read: Stmt };
  /** Forget the fault's locals. */
  done: Stmt[];
  at: { access: Label; efault: Label; retry: Label; install: Label; releaseAfter: Label; releaseRetry: Label };
}

/**
 * The EPT-violation path: kvm_mmu_page_fault() has read mmu_invalidate_seq into L.SEQ (done by
 * the access step that missed). Get the page from the host (hva_to_pfn, which may fault it in
 * or break COW), then under mmu_lock check is_page_fault_stale() and install the sPTE. On
 * success or retry, jump back to `access`: the guest re-executes its access. (The rules a step
 * depends on are read just before it is emitted: a read tags the next step.)
 */
export function emitKvmFault(e: Emit, gi: number, write_: boolean, access: Label, efault: Label, retry: Label): void {
  const { asm } = e;
  const f: KvmFault = {
    e,
    g: kvmOf(e.l).gfns[gi]!,
    seq: e.local(L.SEQ),
    pfnSlot: e.local(L.PFN),
    mapWritable: e.local(L.MAP_WRITABLE),
    retryRule: e.ruleRead('kvm.fault.retry'),
    done: clearLocalsData(e, FAULT_LOCALS),
    at: { access, efault, retry, install: asm.label(), releaseAfter: asm.label(), releaseRetry: asm.label() },
  };
  const gupWrite = write_ || readFaultGupsWrite(e.rule('kvm.fault.gup'));
  const gup = asm.label();
  const hostFault = asm.label();
  asm.bind(gup);
  emitHvaToPfn(f, gupWrite, hostFault);
  asm.bind(hostFault);
  emitHandleMmFault(e, f.g.page, gupWrite, gup, efault);
  emitInstall(f);
  emitRelease(f);
  asm.bind(retry);
  e.rule('kvm.fault.retry'); // the wait exists, and waits, by the retry rule
  asm.emit({
    fn: 'kvm_mmu_page_fault',
    does: 'RET_PF_RETRY: re-enter the guest, which faults again once no invalidation covers the gfn',
    data: () => ({ guard: not(retryBlocked(e, f.g.gfn, f.retryRule.value)), effect: [goto(access)] }),
  });
}

/** hva_to_pfn(): a host PTE that allows the access gives its page (a reference taken); else the host fault path, then again. */
function emitHvaToPfn(f: KvmFault, gupWrite: boolean, hostFault: Label): void {
  const { e, g } = f;
  const { l } = e;
  const page = l.pages[g.page]!;
  const pte = v('pte');
  const pfn = v('pfn');
  e.asm.emit({
    fn: 'hva_to_pfn',
    does: `get_user_pages_unlocked(${gupWrite ? 'FOLL_WRITE' : ''}): walk the host page table, take a page reference`,
    data: () => ({
      effect: [
        when(or(not(mmLive(l, g.page)), not(vmaMapped(l, g.page)), ...(gupWrite ? [not(vmaWritable(l, g.page))] : [])), [note(`no ${gupWrite ? 'writable ' : ''}vma at the hva: -EFAULT`), goto(f.at.efault)]),
        bind('pte', slot(page.pte)),
        bind('mapped', and(bits(pte, PTE.PRESENT), not(bits(pte, PTE.PROTNONE)))),
        when(and(v('mapped'), ...(gupWrite ? [bits(pte, PTE.WRITE)] : [])), [
          bind('pfn', op(pte, '>>>', PTE.SHIFT)),
          getPageData(l, pfn),
          write(f.pfnSlot, pfn),
          // A read fault maps writable when the host PTE already is (hva_to_pfn_fast with *writable).
          write(f.mapWritable, cond(bits(pte, PTE.WRITE), 1, 0)),
          goto(f.at.install),
        ]),
        when(v('mapped'), [note('host PTE read-only: fault it in for write')], [note('host PTE not present: fault it in')]),
        goto(hostFault),
      ],
    }),
  });
}

/**
 * Under mmu_lock: is_page_fault_stale() by the retry rule (RET_PF_RETRY), else make_spte() and
 * install it (rmap_add() for the shadow MMU), and let go of the page as the finish rule says.
 */
function emitInstall(f: KvmFault): void {
  const { e, g } = f;
  const { l, asm } = e;
  const k = kvmOf(l);
  const finish = e.ruleRead('kvm.fault.finish');
  const how = FINISH[finish.value];
  const isTdpMmu = tdp(e);
  const putUnderLock = FINISH[e.rule('kvm.fault.finish')].putUnderLock;
  const { done, mapWritable, retryRule } = f;
  const { access } = f.at;
  const pfn = v('pfn');
  const w = v('w');
  asm.bind(f.at.install);
  asm.emit({
    fn: isTdpMmu ? 'kvm_tdp_mmu_map' : 'direct_map',
    does: `take mmu_lock; is_page_fault_stale(); make_spte() and install it${putUnderLock ? '; kvm_release_pfn_clean()' : ''}`,
    data: () => ({
      guard: lockFree(k.mmuLock),
      effect: [
        bind('pfn', slot(f.pfnSlot)),
        finish.read,
        retryRule.read,
        when(faultIsStale(e, g.gfn, retryRule.value), [
          bump(l, 'kvm.fault_retry'),
          when(retryBlocked(e, g.gfn, retryRule.value), [bump(l, 'kvm.fault_retry_in_progress')]),
          note('stale fault (seq ', { dec: slot(f.seq) }, ' -> ', { dec: slot(k.seq) }, ', in progress ', { dec: slot(k.inProgress) }, '): RET_PF_RETRY'),
          ...(how.underLock ? [putPageData(l, pfn), ...done, goto(f.at.retry)] : [goto(f.at.releaseRetry)]), // kvm_release_faultin_page(..., unused=true, ...)
        ]),
        bind('w', cond(slot(mapWritable), SPTE.WRITABLE | SPTE.HOST_WRITABLE, 0)),
        // make_spte(): A set for a non-prefetch fault; a writable sPTE is created dirty
        // (spte_shadow_dirty_mask, 9b51a63024bd "KVM: MMU: Explicitly set D-bit for writable spte.").
        write(
          g.spte,
          op(op(op(op(pfn, '<<', SPTE.SHIFT), '|', SPTE.PRESENT | (how.holdRef ? SPTE.PAGE_REF : 0)), '|', w), '|', k.eptAd ? op(SPTE.ACCESSED, '|', cond(w, SPTE.DIRTY, 0)) : 0),
        ),
        ...(isTdpMmu ? [] : [write(g.rmap, 1)]), // rmap_add(): the TDP MMU keeps no rmap
        when(w, [note(`spte gfn ${hex(g.gfn)} -> pfn `, { hex: pfn }, ' writable')], [note(`spte gfn ${hex(g.gfn)} -> pfn `, { hex: pfn }, ' read-only')]),
        ...(how.makeSpteMarksDirty ? [when(w, kvmMarkDirty(l, pfn))] : []),
        ...(how.holdRef
          ? [...done, goto(access)]
          : how.putUnderLock
            ? // mmu_set_spte(): kvm_release_pfn_clean(pfn) after rmap_add(), mmu_lock still held.
              [putPageData(l, pfn), ...done, goto(access)]
            : !how.underLock
              ? [goto(f.at.releaseAfter)]
              : // kvm_release_faultin_page(kvm, page, unused=false, dirty=map_writable) under mmu_lock (v6.13).
                [when(slot(mapWritable), kvmMarkDirty(l, pfn)), ...kvmMarkAccessed(l, pfn), putPageData(l, pfn), ...done, goto(access)]),
      ],
    }),
  });
}

/**
 * kvm_release_pfn_clean() after mmu_lock is dropped; KVM keeps no reference to mapped pages.
 * Under mmu_lock (v6.13) the install step has done it: these steps are never reached.
 */
function emitRelease(f: KvmFault): void {
  const { e } = f;
  const { asm } = e;
  const how = FINISH[e.rule('kvm.fault.finish')];
  if (how.underLock) {
    asm.bind(f.at.releaseAfter);
    asm.bind(f.at.releaseRetry);
    return;
  }
  const release = (next: Label) =>
    asm.emit({ fn: 'kvm_release_pfn_clean', does: 'put_page() the reference hva_to_pfn took', data: () => ({ effect: [putPageData(e.l, slot(f.pfnSlot)), ...f.done, goto(next)] }) });
  asm.bind(f.at.releaseAfter);
  // Released in the install step (mmu_set_spte(), until v5.3): only a retry releases here.
  if (!how.putUnderLock) release(f.at.access);
  asm.bind(f.at.releaseRetry);
  release(f.at.retry);
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
 * (decided while building, which names no rule: the check names it when it runs); else the
 * check, which does `then` when the fault retries.
 */
export function faultinRetryCheck(e: Emit, gi: number): ((then: readonly Stmt[]) => Stmt[]) | null {
  const retryRule = e.ruleRead('kvm.fault.retry');
  if (!checksBeforeGup(retryRule.value)) return null;
  const { l } = e;
  const k = kvmOf(l);
  const g = k.gfns[gi]!;
  return (then) => [
    retryRule.read,
    when(retryBlocked(e, g.gfn, retryRule.value), [
      bump(l, 'kvm.fault_retry'),
      bump(l, 'kvm.fault_retry_in_progress'),
      note(`kvm_mmu_faultin_pfn(): an invalidation covers gfn ${hex(g.gfn)}, RET_PF_RETRY before get_user_pages()`),
      ...then,
    ]),
  ];
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
function faultIsStale(e: Emit, gfn: number, retry: (typeof FAULT_RETRY)[number]): Expr {
  switch (retry) {
    case 'never':
      return 0;
    case 'in-progress-or-seq':
    case 'in-range-or-seq':
    case 'in-range-or-seq-before-gup':
      return or(retryBlocked(e, gfn, retry), op(slot(kvmOf(e.l).seq), '!==', slot(e.local(L.SEQ))));
    default:
      return unreachable(retry);
  }
}

/** An invalidation in progress that covers this fault, by the era's rule. */
function retryBlocked(e: Emit, gfn: number, retry: (typeof FAULT_RETRY)[number]): Expr {
  const { l } = e;
  const k = kvmOf(l);
  const inProgress = op(slot(k.inProgress), '!==', 0);
  switch (retry) {
    case 'never':
      return and(inProgress, 0);
    case 'in-progress-or-seq':
      return inProgress;
    case 'in-range-or-seq':
    case 'in-range-or-seq-before-gup':
      return and(inProgress, op(gfn, '>=', slot(k.rangeStart)), op(gfn, '<', slot(k.rangeEnd)));
    default:
      return unreachable(retry);
  }
}
