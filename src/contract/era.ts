// The era contract. An era is plain data: a set of named rules, each one kernel fact with its
// source, in the spirit of tools/memory-model's .cat files. The engine (src/engine) reads the
// rules; it never sees an era. The values each rule may take are data too (RULE_DOMAINS), so
// an era file is checked against them. See docs/eras.md and docs/writing-an-era.md.

/** Where a rule comes from. `commit` is in the kernel's form: 12 hex digits and the subject. */
export interface Cite {
  file: string;
  fn: string;
  commit?: string;
  /** verified: source or commit text was read; recalled: from memory, not re-checked. */
  status: 'verified' | 'recalled';
  note?: string;
}

export interface Rule<T> {
  value: T;
  /** One sentence in kernel terms: what the kernel did. */
  why: string;
  cite: Cite[];
}

/** How `set_pte_at_notify()` (include/linux/mmu_notifier.h) orders its two halves. */
export const SET_PTE_AT_NOTIFY = ['set_pte_at-then-change_pte', 'change_pte-then-set_pte_at', 'set_pte_at-only'] as const;
export type SetPteAtNotify = (typeof SET_PTE_AT_NOTIFY)[number];

/**
 * What KVM's `.change_pte` handler (kvm_mmu_notifier_change_pte) does: mmu_notifier_seq++, then
 * kvm_set_spte_hva() repoints the sPTE read-only or zaps it. c13fda237f08 (v5.13) replaced the
 * seq bump by a WARN; inside a bracket the fault retries anyway, so no outcome we model differs
 * and no era is split there (docs/eras.md).
 */
export const KVM_CHANGE_PTE = ['seq-bump-then-set-spte'] as const;
export type KvmChangePte = (typeof KVM_CHANGE_PTE)[number];

/** Callbacks of struct mmu_notifier_ops (include/linux/mmu_notifier.h). */
export const NOTIFIER_CALLBACKS = [
  'release',
  'invalidate_page',
  'invalidate_range_start',
  'invalidate_range_end',
  'change_pte',
  'clear_flush_young',
  'clear_young',
  'test_young',
] as const;
export type NotifierCallback = (typeof NOTIFIER_CALLBACKS)[number];

/** How an unmapping rmap walk (try_to_unmap_one, page_mkclean_one) tells secondary MMUs. */
export const UNMAP_NOTIFY = [
  'invalidate_page-under-ptl', // ptep_clear_flush_notify(): flush, then .invalidate_page, under the PTL
  'invalidate_page-after-unlock', // .invalidate_page after pte_unmap_unlock() (2ec74c3ef2d8)
  'range', // invalidate_range_start() before the walk, _end() after it (369ea8242c0f)
] as const;
export type UnmapNotify = (typeof UNMAP_NOTIFY)[number];

/** How a successful or retried fault lets go of the page it got from the host. */
export const FAULT_FINISH = ['kvm_release_pfn_clean-after-unlock', 'make_spte-marks-dirty', 'kvm_release_faultin_page-under-mmu_lock'] as const;
/** When the fault path, under mmu_lock, gives up and retries. `never` is no kernel's: for overlays and tests. */
export const FAULT_RETRY = ['in-progress-or-seq', 'in-range-or-seq', 'never'] as const;
export const MMU_KINDS = ['shadow', 'tdp'] as const;

export interface EraRules {
  // ---- primary MMU (mm/) ----
  /** set_pte_at_notify(): the PTE write and the .change_pte callback, in this order. */
  'mm.set_pte_at_notify': Rule<SetPteAtNotify>;
  /** KSM write_protect_page()/replace_page() bracketed by invalidate_range_start/end. */
  'mm.ksm.bracket': Rule<boolean>;
  /** The COW break (do_wp_page, later wp_page_copy) bracketed by invalidate_range_start/end. */
  'mm.wp_page_copy.bracket': Rule<boolean>;
  /** try_to_unmap_one() (reclaim; migration too): how secondary MMUs hear of the unmap. */
  'mm.try_to_unmap_one.notify': Rule<UnmapNotify>;
  /** try_to_unmap_one() gives up on a young page (ptep_clear_flush_young_notify), unless TTU_IGNORE_ACCESS. */
  'mm.try_to_unmap_one.young_check': Rule<boolean>;
  /** A clean lazyfree page is discarded only if no one else holds a reference (ref_count == 1 + map_count). */
  'mm.lazyfree.refcount_check': Rule<boolean>;
  /** page_mkclean_one() (writeback of shared file pages): how secondary MMUs hear of the write-protect. */
  'mm.page_mkclean_one.notify': Rule<UnmapNotify>;

  // ---- KVM (virt/kvm, arch/x86/kvm) ----
  /** The callbacks KVM registers in kvm_mmu_notifier_ops; the chain delivers no others to KVM. */
  'kvm.notifier_ops': Rule<NotifierCallback[]>;
  'kvm.change_pte': Rule<KvmChangePte>;
  /** Zapping or repointing a leaf sPTE marks the folio dirty from the old sPTE (mmu_spte_clear_track_bits). */
  'kvm.zap.mark_dirty': Rule<boolean>;
  /** Zapping or repointing a leaf sPTE marks the folio accessed from the old sPTE. */
  'kvm.zap.mark_accessed': Rule<boolean>;
  /** How a successful or retried fault lets go of the page it got from the host. */
  'kvm.fault.finish': Rule<(typeof FAULT_FINISH)[number]>;
  /** When the fault path, under mmu_lock, gives up and retries (mmu_notifier_retry and successors). */
  'kvm.fault.retry': Rule<(typeof FAULT_RETRY)[number]>;
  /** .clear_flush_young flushes remote TLBs when it found a young sPTE. */
  'kvm.age.flush': Rule<boolean>;
  /** Without EPT A/D bits, aging marks a writable sPTE's folio dirty before it access-tracks (or zaps) the sPTE. */
  'kvm.age.no_ad_mark_dirty': Rule<boolean>;
  /** The x86 MMU a VM gets by default: the shadow/rmap MMU, or the TDP MMU (v5.10+, default later). */
  'kvm.mmu.default': Rule<(typeof MMU_KINDS)[number]>;
}

/**
 * The values each rule may take, as data: an era file (--era-file) is checked against it, and
 * the rule types above are derived from the same lists.
 */
export type RuleDomain = { oneOf: readonly string[] } | { boolean: true } | { subsetOf: readonly string[] };
export const RULE_DOMAINS: { [K in keyof EraRules]: RuleDomain } = {
  'mm.set_pte_at_notify': { oneOf: SET_PTE_AT_NOTIFY },
  'mm.ksm.bracket': { boolean: true },
  'mm.wp_page_copy.bracket': { boolean: true },
  'mm.try_to_unmap_one.notify': { oneOf: UNMAP_NOTIFY },
  'mm.try_to_unmap_one.young_check': { boolean: true },
  'mm.lazyfree.refcount_check': { boolean: true },
  'mm.page_mkclean_one.notify': { oneOf: UNMAP_NOTIFY },
  'kvm.notifier_ops': { subsetOf: NOTIFIER_CALLBACKS },
  'kvm.change_pte': { oneOf: KVM_CHANGE_PTE },
  'kvm.zap.mark_dirty': { boolean: true },
  'kvm.zap.mark_accessed': { boolean: true },
  'kvm.fault.finish': { oneOf: FAULT_FINISH },
  'kvm.fault.retry': { oneOf: FAULT_RETRY },
  'kvm.age.flush': { boolean: true },
  'kvm.age.no_ad_mark_dirty': { boolean: true },
  'kvm.mmu.default': { oneOf: MMU_KINDS },
};

/** The rule names, in the order of EraRules. */
export const RULE_NAMES = Object.keys(RULE_DOMAINS) as (keyof EraRules)[];

export type RuleName = keyof EraRules;

/** Where a patch under review was posted: the cover letter's subject, its date, its Message-ID. */
export interface Posting {
  subject: string;
  /** YYYY-MM-DD; absent for an overlay of the user's own that was not posted. */
  date?: string;
  messageId?: string;
}

export interface Era {
  id: string;
  title: string;
  /**
   * First and last mainline release covered; `last` is undefined for an open era. A proposal
   * has the releases of the era it applies to (features available there), never its own.
   */
  releases: { first: string; last?: string };
  /** The commits that open the era, in the kernel's form `12hexdigits ("subject")`. */
  commits: string[];
  /** The era this one is derived from (undefined for the first era). */
  base?: string;
  /** Set for a patch under review (an overlay): where it was posted. Such an era is in no release. */
  proposal?: Posting;
  rules: EraRules;
  /** Rules this era sets itself (the rest come from `base`): what `mmutt list` shows as its difference. */
  changed: RuleName[];
  /**
   * Where this era's model is coarser than the kernel of its releases, one line each, shown in
   * every output's legend. Not inherited: a later era states its own.
   */
  simplifications: string[];
}

export interface EraDelta {
  id: string;
  title: string;
  /** A released era's releases; a proposal gives `proposal` instead and runs in its base's releases. */
  releases?: { first: string; last?: string };
  proposal?: Posting;
  commits: string[];
  rules: Partial<EraRules>;
  simplifications?: string[];
}
