// v2.6.32 – v3.6: KSM and the COW fault call .change_pte() through set_pte_at_notify() with no
// invalidate_range_start/end around it, so KVM repoints a present sPTE in place.
import { firstEra } from '../src/era/derive.js';

const KVM_OPS_2012 = ['release', 'invalidate_page', 'invalidate_range_start', 'invalidate_range_end', 'change_pte', 'clear_flush_young', 'test_young'] as const;

export default firstEra({
  id: 'pre-6bdb913f0a70',
  title: 'change_pte unbracketed: KVM repoints the sPTE in place',
  releases: { first: 'v2.6.32', last: 'v3.6' },
  commits: ['828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")'],
  simplifications: [
    'kvm.notifier_ops: test_young is listed from v2.6.32 on; the v2.6.32 ops table did not have it yet.',
    'kvm.zap.mark_accessed: v2.6.32 marked accessed only from a real A bit; the model uses the v2.6.36+ rule throughout.',
    'gfn_to_pfn() took the page with write=1 even for read faults in v2.6.32 (source read); the model maps a read fault as the host PTE allows, as later kernels do. The commit that changed it is not identified, so no era boundary is drawn.',
    'kvm.age.no_ad_mark_dirty: v2.6.32 EPT aging without A bits answered "old" and left the sPTE alone; the model uses the v2.6.36+/v3.18 behaviour.',
    'kvm.change_pte: the repointed read-only sPTE keeps its accessed bit, as in v2.6.32; from about v2.6.36 kvm_set_pte_rmapp() cleared it.',
    'The TLB flush of .invalidate_page and .invalidate_range_start is modelled under mmu_lock; v2.6.32 flushed just after dropping it. No outcome seen depends on it.',
  ],
  rules: {
    'mm.set_pte_at_notify': {
      value: 'set_pte_at-then-change_pte',
      why: 'set_pte_at_notify() sets the primary PTE first, then calls mmu_notifier_change_pte().',
      cite: [{ file: 'include/linux/mmu_notifier.h', fn: 'set_pte_at_notify', commit: '828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")', status: 'verified' }],
    },
    'mm.ksm.bracket': {
      value: false,
      why: 'write_protect_page() and replace_page() call set_pte_at_notify() under the PTL with no invalidate_range_start/end.',
      cite: [{ file: 'mm/ksm.c', fn: 'write_protect_page, replace_page', commit: '828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")', status: 'verified', note: 'v2.6.32 mm/ksm.c read' }],
    },
    'mm.wp_page_copy.bracket': {
      value: false,
      why: 'do_wp_page() replaced ptep_clear_flush_notify() by ptep_clear_flush() + set_pte_at_notify(): the COW is announced only by change_pte.',
      cite: [{ file: 'mm/memory.c', fn: 'do_wp_page', commit: '828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")', status: 'verified' }],
    },
    'mm.try_to_unmap_one.notify': {
      value: 'invalidate_page-under-ptl',
      why: 'try_to_unmap_one() clears the PTE with ptep_clear_flush_notify(): the CPU TLB flush, then .invalidate_page, all under the PTL, before the swap entry is set.',
      cite: [{ file: 'mm/rmap.c', fn: 'try_to_unmap_one', status: 'verified', note: 'v2.6.3x mm/rmap.c read' }],
    },
    'mm.try_to_unmap_one.young_check': {
      value: true,
      why: 'Unless TTU_IGNORE_ACCESS (not passed by reclaim), try_to_unmap_one() first runs ptep_clear_flush_young_notify() and gives up (SWAP_FAIL) if the host PTE or a secondary MMU says young.',
      cite: [{ file: 'mm/rmap.c', fn: 'try_to_unmap_one', status: 'verified' }],
    },
    'mm.lazyfree.refcount_check': {
      value: false,
      why: 'A clean lazyfree page is discarded whatever its refcount.',
      cite: [{ file: 'mm/rmap.c', fn: 'try_to_unmap_one', commit: '854e9ed09ded ("mm: support madvise(MADV_FREE)")', status: 'recalled', note: 'MADV_FREE arrives in v4.5; the shape of its first check is recalled' }],
    },
    'mm.page_mkclean_one.notify': {
      value: 'invalidate_page-under-ptl',
      why: 'page_mkclean_one() write-protects with ptep_clear_flush_notify() (.invalidate_page under the PTL), then set_pte_at() a clean read-only PTE.',
      cite: [{ file: 'mm/rmap.c', fn: 'page_mkclean_one', status: 'verified', note: 'v2.6.3x mm/rmap.c read' }],
    },
    'kvm.notifier_ops': {
      value: [...KVM_OPS_2012],
      why: 'kvm_mmu_notifier_ops registers invalidate_page, invalidate_range_start/end, change_pte, clear_flush_young, test_young and release.',
      cite: [{ file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_ops', status: 'verified', note: 'v3.4-era tree read; test_young arrived after v2.6.32' }],
    },
    'kvm.change_pte': {
      value: 'seq-bump-then-set-spte',
      why: 'kvm_mmu_notifier_change_pte() bumps mmu_notifier_seq under mmu_lock, then kvm_set_spte_hva() -> kvm_set_pte_rmapp(): a writable new PTE zaps the sPTE, a read-only one repoints it to the new pfn with W and host-writable cleared, marking the old pfn dirty if the sPTE was writable; one remote TLB flush.',
      cite: [
        { file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_change_pte', status: 'verified' },
        { file: 'arch/x86/kvm/mmu.c', fn: 'kvm_set_pte_rmapp', status: 'verified', note: 'v2.6.32 form read' },
      ],
    },
    'kvm.zap.mark_dirty': {
      value: true,
      why: 'Dropping an sPTE marks the page dirty from the old sPTE (rmap_remove(), later set_spte_track_bits()/mmu_spte_clear_track_bits()).',
      cite: [{ file: 'arch/x86/kvm/mmu.c', fn: 'rmap_remove', status: 'verified', note: 'v2.6.32: dirty iff the sPTE was writable' }],
    },
    'kvm.zap.mark_accessed': {
      value: true,
      why: 'Dropping an sPTE marks the page accessed from the old sPTE A bit (always, when EPT has no A bit, from about v2.6.36).',
      cite: [{ file: 'arch/x86/kvm/mmu.c', fn: 'rmap_remove, set_spte_track_bits', status: 'verified' }],
    },
    'kvm.fault.finish': {
      value: 'kvm_release_pfn_clean-after-unlock',
      why: 'After installing the sPTE (or deciding to retry) KVM drops mmu_lock, then kvm_release_pfn_clean() puts the page: KVM holds no reference to mapped pages.',
      cite: [{ file: 'arch/x86/kvm/mmu.c', fn: 'tdp_page_fault', commit: 'acb66dd051d0 ("KVM: MMU: dont hold pagecount reference for mapped sptes pages")', status: 'verified' }],
    },
    'kvm.age.flush': {
      value: true,
      why: 'kvm_mmu_notifier_clear_flush_young() flushes remote TLBs when kvm_age_hva() found a young sPTE.',
      cite: [{ file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_clear_flush_young', status: 'verified' }],
    },
    'kvm.age.no_ad_mark_dirty': {
      value: true,
      why: 'Without an EPT A bit, aging emulates it by dropping the sPTE ("blowing the spte", later access tracking), marking a writable sPTE\'s page dirty first.',
      cite: [
        { file: 'arch/x86/kvm/mmu.c', fn: 'kvm_age_rmapp', commit: '57128468080a ("kvm: Fix page ageing bugs")', status: 'verified' },
        { file: 'arch/x86/kvm/mmu/mmu.c', fn: 'mmu_spte_age', status: 'verified', note: 'v5.8 form: kvm_set_pfn_dirty() before mark_spte_for_access_track()' },
      ],
    },
    'kvm.mmu.default': {
      value: 'shadow',
      why: 'Every VM uses the shadow/rmap MMU (arch/x86/kvm/mmu.c); the TDP MMU does not exist yet.',
      cite: [{ file: 'arch/x86/kvm/mmu.c', fn: 'tdp_page_fault', status: 'verified' }],
    },
    'kvm.fault.retry': {
      value: 'in-progress-or-seq',
      why: 'Under mmu_lock, mmu_notifier_retry() makes the fault retry if any invalidation is in progress (mmu_notifier_count) or mmu_notifier_seq moved since it was read before gfn_to_pfn().',
      cite: [{ file: 'include/linux/kvm_host.h', fn: 'mmu_notifier_retry', status: 'verified' }],
    },
  },
});
