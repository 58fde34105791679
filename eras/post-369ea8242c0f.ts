// v4.13 – v6.9: invalidate_page is gone; every invalidation is a range bracket.
import { deriveEra } from '../src/era/derive.js';
import base from './post-6bdb913f0a70.js';

export default deriveEra(base, {
  id: 'post-369ea8242c0f',
  title: 'invalidate_page removed: every invalidation is bracketed',
  releases: { first: 'v4.13', last: 'v6.9' },
  commits: [
    '369ea8242c0f ("mm/rmap: update to new mmu_notifier semantic v2")',
    '5f32b265400d ("mm/mmu_notifier: kill invalidate_page")',
    'fb1522e099f0 ("KVM: update to new mmu_notifier semantic v2")',
  ],
  simplifications: [
    'kvm.fault.retry: the model keeps the v4.13 rule (any invalidation in progress makes a fault retry); from v5.12 (4a42d848db95) only one covering the faulting address does.',
    'mm.try_to_unmap_one.young_check: kept as in v4.13; v5.11 (013339df116c "mm/rmap: always do TTU_IGNORE_ACCESS") removed it.',
    'mm.lazyfree.refcount_check: absent as in v4.13; added around v5.18 by 6c8e2a256915 ("mm: fix race between MADV_FREE reclaim and blkdev direct IO read").',
    'kvm.mmu.default: the shadow MMU as in v4.13; the TDP MMU arrived in v5.10 and became the default later (ept=1 hosts).',
  ],
  rules: {
    'mm.try_to_unmap_one.notify': {
      value: 'range',
      why: 'try_to_unmap_one() calls invalidate_range_start() on the whole folio range before the page_vma_mapped_walk(), and _end() after: KVM zaps before the PTE is cleared and before the lazyfree dirty check.',
      cite: [{ file: 'mm/rmap.c', fn: 'try_to_unmap_one', commit: '369ea8242c0f ("mm/rmap: update to new mmu_notifier semantic v2")', status: 'verified' }],
    },
    'mm.page_mkclean_one.notify': {
      value: 'range',
      why: 'page_mkclean_one() brackets its walk with invalidate_range_start/end.',
      cite: [{ file: 'mm/rmap.c', fn: 'page_mkclean_one', commit: '369ea8242c0f ("mm/rmap: update to new mmu_notifier semantic v2")', status: 'verified' }],
    },
    'kvm.notifier_ops': {
      value: ['release', 'invalidate_range_start', 'invalidate_range_end', 'change_pte', 'clear_flush_young', 'clear_young', 'test_young'],
      why: 'KVM drops .invalidate_page (fb1522e099f0).',
      cite: [
        { file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_ops', commit: 'fb1522e099f0 ("KVM: update to new mmu_notifier semantic v2")', status: 'verified', note: 'v4.19 tree read' },
      ],
    },
  },
});
