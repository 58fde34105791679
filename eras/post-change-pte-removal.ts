// v6.10 – v6.12: .change_pte() and set_pte_at_notify() are removed.
import { deriveEra } from '../src/era/derive.js';
import base from './post-369ea8242c0f.js';

export default deriveEra(base, {
  id: 'post-change-pte-removal',
  title: '.change_pte() and set_pte_at_notify() removed',
  releases: { first: 'v6.10', last: 'v6.12' },
  commits: [
    'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")',
    '997308f9ae72 ("mmu_notifier: remove the .change_pte() callback")',
    'f7842747d13d ("mm: replace set_pte_at_notify() with just set_pte_at()")',
  ],
  simplifications: [
    'Four rules set here arrived earlier, inside post-369ea8242c0f\'s releases: mm.try_to_unmap_one.young_check (013339df116c, v5.11), kvm.fault.retry (4a42d848db95, v5.12), kvm.mmu.default (the TDP MMU default, about v5.15) and mm.lazyfree.refcount_check (6c8e2a256915, about v5.18). mmutt bisect lists each rule with its own source.',
  ],
  rules: {
    'mm.try_to_unmap_one.young_check': {
      value: false,
      why: 'Reclaim no longer asks try_to_unmap_one() to check young bits: they were meaningless once range_start had unmapped secondary MMUs.',
      cite: [{ file: 'mm/rmap.c, mm/vmscan.c', fn: 'try_to_unmap_one', commit: '013339df116c ("mm/rmap: always do TTU_IGNORE_ACCESS")', status: 'verified', note: 'in v5.11' }],
    },
    'mm.lazyfree.refcount_check': {
      value: true,
      why: 'A clean lazyfree page is discarded only if ref_count == 1 + map_count; otherwise its PTE is restored and it becomes swapbacked again.',
      cite: [{ file: 'mm/rmap.c', fn: 'try_to_unmap_one', commit: '6c8e2a256915 ("mm: fix race between MADV_FREE reclaim and blkdev direct IO read")', status: 'verified', note: 'around v5.18' }],
    },
    'kvm.mmu.default': {
      value: 'tdp',
      why: 'On EPT hosts VMs use the TDP MMU (arch/x86/kvm/mmu/tdp_mmu.c, v5.10), the default since about v5.15.',
      cite: [{ file: 'arch/x86/kvm/mmu/tdp_mmu.c', fn: 'kvm_tdp_mmu_map', status: 'recalled', note: 'release of the default switch recalled' }],
    },
    'mm.set_pte_at_notify': {
      value: 'set_pte_at-only',
      why: 'KSM write_protect_page()/replace_page() and wp_page_copy() call plain set_pte_at().',
      cite: [{ file: 'mm/ksm.c, mm/memory.c', fn: 'write_protect_page, replace_page, wp_page_copy', commit: 'f7842747d13d ("mm: replace set_pte_at_notify() with just set_pte_at()")', status: 'verified' }],
    },
    'kvm.notifier_ops': {
      value: ['release', 'invalidate_range_start', 'invalidate_range_end', 'clear_flush_young', 'clear_young', 'test_young'],
      why: 'KVM no longer registers .change_pte.',
      cite: [{ file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_ops', commit: 'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")', status: 'verified' }],
    },
    'kvm.fault.retry': {
      value: 'in-range-or-seq',
      why: 'mmu_invalidate_retry_gfn(): retry if an invalidation in progress covers the faulting gfn, or the seq moved.',
      cite: [
        { file: 'include/linux/kvm_host.h', fn: 'mmu_invalidate_retry_gfn', status: 'verified' },
        { file: 'arch/x86/kvm/mmu/mmu.c', fn: 'is_page_fault_stale', commit: '4a42d848db95 ("KVM: x86/mmu: Consider the hva in mmu_notifier retry")', status: 'verified', note: 'range-based since v5.12 (hva), gfn-based later' },
      ],
    },
  },
});
