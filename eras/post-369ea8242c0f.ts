// v4.13 – v6.9: invalidate_page is gone; every invalidation is a range bracket.
import { deriveEra } from '../src/era.js';
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
  ],
  rules: {
    'kvm.notifier_ops': {
      value: ['release', 'invalidate_range_start', 'invalidate_range_end', 'change_pte', 'clear_flush_young', 'clear_young', 'test_young'],
      why: 'KVM drops .invalidate_page (fb1522e099f0); .clear_young (v4.3) is registered.',
      cite: [
        { file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_ops', commit: 'fb1522e099f0 ("KVM: update to new mmu_notifier semantic v2")', status: 'verified', note: 'v4.19 tree read' },
      ],
    },
  },
});
