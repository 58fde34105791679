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

/**
 * How a PTE that gets a new page (KSM, the COW break) is told to secondary MMUs. Before
 * set_pte_at_notify() (828502d30073, v2.6.32) the old PTE was cleared with
 * ptep_clear_flush_notify(): .invalidate_page under the PTL, then set_pte_at(). Then
 * set_pte_at_notify() orders its two halves; from v6.10 callers use plain set_pte_at().
 */
export const SET_PTE_AT_NOTIFY = ['ptep_clear_flush_notify', 'set_pte_at-then-change_pte', 'change_pte-then-set_pte_at', 'set_pte_at-only'] as const;
export type SetPteAtNotify = (typeof SET_PTE_AT_NOTIFY)[number];

/**
 * What KVM's `.change_pte` handler (kvm_mmu_notifier_change_pte) does: mmu_notifier_seq++, then
 * kvm_set_spte_hva() repoints the sPTE read-only (keeping its accessed bit, as in v2.6.32; or
 * made old, as kvm_set_pte_rmapp() did later) or zaps it. c13fda237f08 (v5.13) dropped the seq
 * bump; 071064f14d87 (v5.15) returns at once unless an invalidation is in progress.
 */
export const KVM_CHANGE_PTE = ['seq-bump-then-set-spte', 'seq-bump-then-set-spte-old', 'set-spte-old', 'set-spte-old-if-in-progress'] as const;
export type KvmChangePte = (typeof KVM_CHANGE_PTE)[number];

/** Callbacks of struct mmu_notifier_ops (include/linux/mmu_notifier.h). */
export const NOTIFIER_CALLBACKS = [
  'release',
  'invalidate_page',
  'invalidate_range_start',
  'invalidate_range_end',
  // 0f0a327fa12c (v3.19); .arch_invalidate_secondary_tlbs from 1af5a8109904 (v6.6): the same
  // slot of the table, printed in each release's own name (eras/timeline/words.ts).
  'invalidate_range',
  'change_pte',
  'clear_flush_young',
  'clear_young',
  'test_young',
] as const;
export type NotifierCallback = (typeof NOTIFIER_CALLBACKS)[number];

/**
 * Where mm calls ->invalidate_range (v3.19-v6.5; ->arch_invalidate_secondary_tlbs from v6.6):
 * the callback a secondary TLB that cannot sleep registers, fired inside the primary update.
 * - `tlb_flush_mmu_tlbonly`: the mmu_gather's flush, after the CPU flush, before its pages are freed;
 * - `invalidate_range_end`: __mmu_notifier_invalidate_range_end() calls it before ->invalidate_range_end;
 * - `range_only_end`: callers that notified under the PTL end with mmu_notifier_invalidate_range_only_end(), which skips it (4645b9fe84bf);
 * - `ksm`: write_protect_page() and replace_page() clear the PTE with ptep_clear_flush_notify();
 * - `wp_page_copy`: the COW break clears the PTE with ptep_clear_flush_notify();
 * - `rmap`: try_to_unmap_one() and page_mkclean_one() call it under the PTL (369ea8242c0f);
 * - `arch_tlb_flush`: the architecture's TLB flush calls it, wherever the CPU TLB is flushed (6bbd42e2df8f).
 */
/**
 * The places mm calls ->invalidate_range from (mm.invalidate_range.callers): the mmu_gather's
 * flush, range end (but not range_only_end), KSM's two ptep_clear_flush_notify(), the COW
 * break's, the rmap walks' in-PTL calls: try_to_unmap_one() of an anonymous page (`rmap`), of a
 * file page (`rmap_file`), setting a migration entry (`migrate`), page_mkclean_one()
 * (`page_mkclean`); from v6.6 the architecture's TLB flush.
 */
export const INVALIDATE_RANGE_CALLERS = ['tlb_flush_mmu_tlbonly', 'invalidate_range_end', 'range_only_end', 'ksm', 'wp_page_copy', 'rmap', 'rmap_file', 'migrate', 'page_mkclean', 'arch_tlb_flush'] as const;
export type InvalidateRangeCaller = (typeof INVALIDATE_RANGE_CALLERS)[number];

/**
 * How the OOM reaper treats an mm with mmu notifiers: it unmaps without telling them (v4.6);
 * skips the mm (4d4bbd8526a8); skips it unless every notifier is flagged
 * MMU_INVALIDATE_DOES_NOT_BLOCK, bracketing each VMA (v4.16); brackets each VMA with a
 * non-blocking invalidate_range_start() and skips a VMA a notifier refuses (93065ac753e4).
 */
export const OOM_REAPER_NOTIFIERS = ['unnotified', 'skip-if-notifiers', 'skip-if-blockable', 'nonblock-start'] as const;
/**
 * What arm64's range flush (__flush_tlb_range(), the mmu_gather's tlb_flush(), mprotect) hands
 * mmu_notifier_arch_invalidate_secondary_tlbs() (v6.6+): the range, or an empty one (start
 * advanced to end by the flush loop) that an SMMU's SVA driver takes, as size 0, for all.
 */
export const ARM64_RANGE_NOTIFY = ['empty', 'range'] as const;

/** How an unmapping rmap walk (try_to_unmap_one, page_mkclean_one) tells secondary MMUs. */
export const UNMAP_NOTIFY = [
  'invalidate_page-under-ptl', // ptep_clear_flush_notify(): flush, then .invalidate_page, under the PTL, before the rest of the PTE work (until v3.6)
  'invalidate_page-before-unlock', // .invalidate_page after the PTE work (page_remove_rmap()/put_page(); set_pte_at()), still under the PTL: the page_vma_mapped_walk() loops (c7ab0d2fdc84, f27176cfc363)
  'invalidate_page-after-unlock', // .invalidate_page after pte_unmap_unlock() (2ec74c3ef2d8)
  'range', // invalidate_range_start() before the walk, _end() after it (369ea8242c0f)
] as const;
export type UnmapNotify = (typeof UNMAP_NOTIFY)[number];

/**
 * How a successful or retried fault lets go of the page it got from the host. Before
 * acb66dd051d0 a mapped sPTE kept the get_user_pages() reference until rmap_remove() dropped it;
 * then mmu_set_spte() dropped it under mmu_lock (a retry after unlocking) until v5.3, which
 * releases after unlocking on both paths; v6.13 releases under mmu_lock on both.
 */
export const FAULT_FINISH = ['hold-ref-until-zap', 'kvm_release_pfn_clean-under-mmu_lock', 'kvm_release_pfn_clean-after-unlock', 'make_spte-marks-dirty', 'kvm_release_faultin_page-under-mmu_lock'] as const;
/**
 * When the fault path gives up and retries: under mmu_lock, on any invalidation in progress or
 * a moved seq; on one covering the faulting address (4a42d848db95); and also before asking the
 * host for the page (d02c357e5bfa). `never` is no kernel's: for overlays and tests.
 */
export const FAULT_RETRY = ['in-progress-or-seq', 'in-range-or-seq', 'in-range-or-seq-before-gup', 'never'] as const;
export const MMU_KINDS = ['shadow', 'tdp'] as const;
/** How the fault asks the host for the page: get_user_pages() with write=1 for every fault, or as the fault is. */
export const FAULT_GUP = ['write', 'as-fault'] as const;
/** Which zapped sPTEs mark the folio dirty: the D bit (without EPT A/D bits, a writable sPTE); every one without A/D bits; none. */
export const ZAP_DIRTY = ['if-dirty', 'if-dirty-or-no-ad', 'never'] as const;
/** Which zapped sPTEs mark the folio accessed: the A bit (none without EPT A/D bits); every one without A/D bits; none. */
export const ZAP_ACCESSED = ['if-accessed', 'if-accessed-or-no-ad', 'never'] as const;
/** What aging does to an sPTE when EPT has no accessed bit. */
export const AGE_NO_AD = [
  'report-old', // "always return old for EPT": the sPTE stays, the page looks old
  'zap', // "emulate the accessed bit for EPT": young if mapped, and the sPTE is zapped
  'zap-and-seq-bump', // the same, and mmu_notifier_seq++ so a racing fault retries (57128468080a)
  'access-track', // mark_spte_for_access_track(): non-present until fast_page_fault (f160c7b7bb32)
] as const;
/** What reclaim does with a lazyfree (MADV_FREE) page that was written again: swap it out like any anon page, or map it back (802a3a92ad7a). */
export const LAZYFREE_DIRTY = ['swap-out', 'restore-pte'] as const;
/** How do_wp_page() decides an anon page is exclusive and can be reused in place. */
export const WP_REUSE = ['mapcount', 'refcount'] as const;

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
  /** Reclaim of a lazyfree page that was written again since MADV_FREE. */
  'mm.lazyfree.dirty': Rule<(typeof LAZYFREE_DIRTY)[number]>;
  /** A clean lazyfree page is discarded only if no one else holds a reference (ref_count == 1 + map_count). */
  'mm.lazyfree.refcount_check': Rule<boolean>;
  /** page_mkclean_one() (writeback of shared file pages): how secondary MMUs hear of the write-protect. */
  'mm.page_mkclean_one.notify': Rule<UnmapNotify>;
  /** do_wp_page(): the test that lets a write fault reuse an anon page in place instead of copying it. */
  'mm.do_wp_page.reuse': Rule<(typeof WP_REUSE)[number]>;
  /** How the OOM reaper (v4.6+) treats a victim's mm that has mmu notifiers. */
  'mm.oom_reaper.notifiers': Rule<(typeof OOM_REAPER_NOTIFIERS)[number]>;
  /** Where mm calls ->invalidate_range (->arch_invalidate_secondary_tlbs): none before v3.19. */
  'mm.invalidate_range.callers': Rule<InvalidateRangeCaller[]>;
  /** The range arm64's range flush passes to ->arch_invalidate_secondary_tlbs (from v6.6, when the architecture calls it). */
  'arm64.flush_tlb_range.notify': Rule<(typeof ARM64_RANGE_NOTIFY)[number]>;

  // ---- KVM (virt/kvm, arch/x86/kvm) ----
  /** The callbacks KVM registers in kvm_mmu_notifier_ops; the chain delivers no others to KVM. */
  'kvm.notifier_ops': Rule<NotifierCallback[]>;
  'kvm.change_pte': Rule<KvmChangePte>;
  /** Zapping or repointing a leaf sPTE marks the folio dirty from the old sPTE (mmu_spte_clear_track_bits). */
  'kvm.zap.mark_dirty': Rule<(typeof ZAP_DIRTY)[number]>;
  /** Zapping or repointing a leaf sPTE marks the folio accessed from the old sPTE. */
  'kvm.zap.mark_accessed': Rule<(typeof ZAP_ACCESSED)[number]>;
  /** How a successful or retried fault lets go of the page it got from the host. */
  'kvm.fault.finish': Rule<(typeof FAULT_FINISH)[number]>;
  /** When the fault path, under mmu_lock, gives up and retries (mmu_notifier_retry and successors). */
  'kvm.fault.retry': Rule<(typeof FAULT_RETRY)[number]>;
  /** A read fault asks get_user_pages() for a writable page (breaking COW), or for what the fault needs. */
  'kvm.fault.gup': Rule<(typeof FAULT_GUP)[number]>;
  /** .clear_flush_young flushes remote TLBs when it found a young sPTE. */
  'kvm.age.flush': Rule<boolean>;
  /** What aging (clear_flush_young, clear_young) does to an sPTE when EPT has no accessed bit. */
  'kvm.age.no_ad': Rule<(typeof AGE_NO_AD)[number]>;
  /** Without EPT A/D bits, aging marks a writable sPTE's folio dirty before it access-tracks the sPTE. */
  'kvm.age.no_ad_mark_dirty': Rule<boolean>;
  /** The x86 MMU a VM gets by default: the shadow/rmap MMU, or the TDP MMU (v5.10+, default later). */
  'kvm.mmu.default': Rule<(typeof MMU_KINDS)[number]>;

  // ---- an IOMMU bound to a process (SVA/ATS: drivers/iommu) ----
  /** The callbacks a device's IOMMU driver registers on the process's mm: amd_iommu_v2's (v3.3-v6.6), then the SVA drivers'. */
  'iommu.notifier_ops': Rule<NotifierCallback[]>;
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
  'mm.lazyfree.dirty': { oneOf: LAZYFREE_DIRTY },
  'mm.lazyfree.refcount_check': { boolean: true },
  'mm.page_mkclean_one.notify': { oneOf: UNMAP_NOTIFY },
  'mm.do_wp_page.reuse': { oneOf: WP_REUSE },
  'mm.oom_reaper.notifiers': { oneOf: OOM_REAPER_NOTIFIERS },
  'mm.invalidate_range.callers': { subsetOf: INVALIDATE_RANGE_CALLERS },
  'arm64.flush_tlb_range.notify': { oneOf: ARM64_RANGE_NOTIFY },
  'kvm.notifier_ops': { subsetOf: NOTIFIER_CALLBACKS },
  'kvm.change_pte': { oneOf: KVM_CHANGE_PTE },
  'kvm.zap.mark_dirty': { oneOf: ZAP_DIRTY },
  'kvm.zap.mark_accessed': { oneOf: ZAP_ACCESSED },
  'kvm.fault.finish': { oneOf: FAULT_FINISH },
  'kvm.fault.retry': { oneOf: FAULT_RETRY },
  'kvm.fault.gup': { oneOf: FAULT_GUP },
  'kvm.age.flush': { boolean: true },
  'kvm.age.no_ad': { oneOf: AGE_NO_AD },
  'kvm.age.no_ad_mark_dirty': { boolean: true },
  'kvm.mmu.default': { oneOf: MMU_KINDS },
  'iommu.notifier_ops': { subsetOf: NOTIFIER_CALLBACKS },
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

/**
 * Where kernel code was read to establish a history entry: a repository that carries the
 * kernel's record (../shared/history/sources.md: full history to v2.6.36 and v2.6.39.3,
 * one-commit snapshots of later releases; torvalds/linux through its stored file versions),
 * the commit or the release snapshot, the file, the function, and what the code there shows.
 */
export interface Read {
  repo: string;
  /** A commit id in `repo` (12 to 40 hex digits, a release commit or the change itself), or the release a one-commit snapshot is of ("v4.10", "v5.12.9"). */
  at: string;
  path: string;
  fn: string;
  /** What the code there shows, in a few words: the line that matters, or that it is absent. */
  saw: string;
}

/**
 * How far a history entry is established. verified: the code of its release was read (and,
 * for a change, the code of the release before, or the change itself with its first release);
 * between: only two snapshots bound it, absent in `between[0]` and present in `between[1]`;
 * the entry's release is where the model puts the change, and a run that depends on it says so
 * in its legend. Nothing is left "recalled": an entry states only what was read.
 */
export type Status = 'verified' | 'between';

/**
 * Where an entry's effect shows: a scenario (catalog name or a file under test/timeline/) and a
 * condition whose truth flips exactly at the entry's release (on the canonical run, or on the
 * explored verdict with `explore`), bisected between two releases; or why no run can show it.
 */
export type Observability = { scenario: string; where: string; explore?: boolean; between: [string, string] } | { unobservable: string };

interface EntryFacts {
  /** First mainline release that has the change. */
  release: string;
  /** The commit, in the kernel's form `12hexdigits ("subject")`; absent when none was identified (`pinned` says what was searched). */
  commit?: string;
  /** One sentence in kernel terms: what the kernel did from this release on. */
  why: string;
  cite: Cite[];
  /** How the release is known: what was read (a pull, a queue list, a Makefile of a tree with the code). */
  pinned: string;
  status: Status;
  /** The code that was read (docs/timeline.md shows it). */
  read: Read[];
  /** For status `between`: the two releases whose code bounds the change. */
  between?: [string, string];
}

/** One change of one rule in mainline history (eras/timeline/rules.ts). The first entry of each rule is its value at v2.6.27. */
export type RuleEntry = { [K in RuleName]: { rule: K; value: EraRules[K]['value']; observable: Observability } & EntryFacts }[RuleName];

/** Kernel features a scenario may use that not every release has. */
export const FEATURES = ['ksm', 'test_young', 'numa', 'clear_young', 'madv_free', 'tdp_mmu', 'ept_ad', 'iommu_sva', 'arm_smmu_sva', 'smmu_sva_without_btm', 'oom_reaper'] as const;
export type FeatureKey = (typeof FEATURES)[number];
export interface FeatureEntry extends EntryFacts {
  feature: FeatureKey;
  /** As a reader names it: "KSM", "MADV_FREE". */
  name: string;
}

/**
 * One name a trace prints, through history (tools/memory-model's linux-kernel.def, by release).
 * `word` is how the engine spells it (the newest kernel's name); `since` lists what the kernel
 * called it from each release on, oldest first, the last one being `word` itself. A name is
 * null where the release has no such thing (a field that did not exist yet): a change of such
 * a slot is not printed, and a step that names it fails the vocabulary test.
 */
export interface Word {
  word: string;
  kind: 'function' | 'lock' | 'field' | 'type' | 'constant';
  since: { release: string; name: string | null; commit?: string; status: Status; read: Read[]; between?: [string, string]; note?: string }[];
}

/** A place where the model is coarser than the kernel, over the releases where that is so. */
export interface Simplification {
  text: string;
  from: string;
  /** Last release it applies to; absent: every release from `from` on. */
  to?: string;
  /** What was searched for the commit that would remove it. */
  searched?: string;
}

/** The history mmutt models (eras/timeline/): releases, rule changes, features, names. */
export interface Timeline {
  /** Every mainline release modelled, oldest first. */
  releases: readonly string[];
  /** Why the newest release is the newest: what was read. */
  newest: string;
  rules: readonly RuleEntry[];
  features: readonly FeatureEntry[];
  words: readonly Word[];
  simplifications: readonly Simplification[];
}

export interface Era {
  id: string;
  title: string;
  /**
   * First and last mainline release covered; `last` is undefined for an open era. A proposal
   * has the releases of the era it applies to (features available there), never its own.
   */
  releases: { first: string; last?: string };
  /** The release whose rules this era runs: a named era's opening release, or the one release of a --kernel run. */
  release: string;
  /** For a single release: the named era it falls in, if any. */
  era?: string;
  /** For a single release in a named era: the commits that open that era (what a cite names for it). */
  eraCommits?: string[];
  /** The commits that open the era (for a release: those of its timeline entries), in the kernel's form `12hexdigits ("subject")`. */
  commits: string[];
  /** The era this one is derived from (undefined for the first era). */
  base?: string;
  /** Set for a patch under review (an overlay): where it was posted. Such an era is in no release. */
  proposal?: Posting;
  rules: EraRules;
  /** Rules this era sets itself (the rest come from `base` or the timeline): what `mmutt list` shows as its difference. */
  changed: RuleName[];
  /** The rules an overlay sets: applied again when the era runs at a later release (a feature that arrives inside it). */
  overlay?: Partial<EraRules>;
  /** The timeline entry behind each rule that comes from history (an overlay's own rules have none). */
  entries: Partial<Record<RuleName, RuleEntry>>;
  /** The release's names for the engine's words (Word.word -> name, or null where it has none). */
  words: Readonly<Record<string, string | null>>;
  /**
   * Where this era's model is coarser than the kernel of its release, one line each, shown in
   * every output's legend.
   */
  simplifications: string[];
  /** The history, for a run at a later release of this era (a feature that arrives inside it). */
  timeline?: Timeline;
  /** Names the release prints whose change only two releases' code bounds: the name, and what bounds it. */
  unpinned?: { name: string; bound: string }[];
  /** A short hash of the history data the era came from: a result quoted before a history fix can be told apart. */
  history?: string;
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
