// v6.13 –: KVM marks the folio dirty when it creates a writable sPTE, not when it zaps one.
import { deriveEra } from '../src/era/derive.js';
import base from './post-change-pte-removal.js';

export default deriveEra(base, {
  id: 'post-aa85986e7150',
  title: 'folio marked dirty at sPTE creation, not at zap',
  releases: { first: 'v6.13' },
  commits: [
    'aa85986e7150 ("KVM: x86/mmu: Mark folio dirty when creating SPTE, not when zapping/modifying")',
    '5f6a3badbb74 ("KVM: x86/mmu: Mark page/folio accessed only when zapping leaf SPTEs")',
  ],
  rules: {
    'kvm.zap.mark_dirty': {
      value: false,
      why: 'mmu_spte_clear_track_bits(), mmu_spte_update(), the TDP MMU handle_changed_spte() and aging no longer call kvm_set_pfn_dirty().',
      cite: [{ file: 'arch/x86/kvm/mmu/mmu.c, arch/x86/kvm/mmu/tdp_mmu.c', fn: 'mmu_spte_clear_track_bits, handle_changed_spte', commit: 'aa85986e7150 ("KVM: x86/mmu: Mark folio dirty when creating SPTE, not when zapping/modifying")', status: 'verified' }],
    },
    'kvm.zap.mark_accessed': {
      value: false,
      why: 'After 5f6a3badbb74 limited accessed-marking to leaf zaps, the same v6.13 series ("KVM: x86/mmu: Don\'t mark "struct page" accessed when zapping SPTEs") removed it: accessed is marked when the faulted-in page is released.',
      cite: [
        { file: 'arch/x86/kvm/mmu/mmu.c', fn: 'mmu_spte_clear_track_bits', commit: '5f6a3badbb74 ("KVM: x86/mmu: Mark page/folio accessed only when zapping leaf SPTEs")', status: 'verified' },
        { file: 'arch/x86/kvm/mmu/mmu.c', fn: 'mmu_spte_clear_track_bits', status: 'recalled', note: '"KVM: x86/mmu: Don\'t mark "struct page" accessed when zapping SPTEs": subject in the v6.13 pull, id not identified, effect recalled' },
      ],
    },
    'kvm.age.flush': {
      value: false,
      why: 'x86 no longer flushes TLBs when aging sPTEs for the mmu_notifier ("KVM: x86: Don\'t emit TLB flushes when aging SPTEs for mmu_notifiers", as the primary MMU has not for years).',
      cite: [
        {
          file: 'virt/kvm/kvm_main.c, arch/x86/kvm/mmu/mmu.c',
          fn: 'kvm_mmu_notifier_clear_flush_young, kvm_age_gfn',
          commit: 'b9883ee40d7e ("KVM: x86: Don\'t emit TLB flushes when aging SPTEs for mmu_notifiers")',
          status: 'verified',
          note: 'subject in the v6.13 pull; the id is from the kvm-x86 "applied" mail',
        },
      ],
    },
    'kvm.age.no_ad_mark_dirty': {
      value: false,
      why: 'Aging no longer marks folios dirty: KVM marked a writable folio dirty when it created the sPTE.',
      cite: [{ file: 'arch/x86/kvm/mmu/mmu.c, arch/x86/kvm/mmu/tdp_mmu.c', fn: 'mmu_spte_age, age_gfn_range', commit: 'aa85986e7150 ("KVM: x86/mmu: Mark folio dirty when creating SPTE, not when zapping/modifying")', status: 'verified' }],
    },
    'kvm.fault.finish': {
      value: 'kvm_release_faultin_page-under-mmu_lock',
      why: 'kvm_release_faultin_page(kvm, page, unused, dirty = map_writable), under mmu_lock: marks the folio dirty if the host gave the page writable (even for a read-only sPTE), marks it accessed, and puts it; on RET_PF_RETRY it only puts it.',
      cite: [{ file: 'arch/x86/kvm/mmu/mmu.c, include/linux/kvm_host.h', fn: 'kvm_mmu_finish_page_fault, kvm_release_faultin_page', commit: 'aa85986e7150 ("KVM: x86/mmu: Mark folio dirty when creating SPTE, not when zapping/modifying")', status: 'verified', note: 'accessed-marking at release is recalled' }],
    },
  },
});
