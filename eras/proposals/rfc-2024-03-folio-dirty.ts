// A patch under review as an overlay on a released era: "[RFC PATCH 0/4] KVM: x86/mmu: Rework
// marking folios dirty/accessed" (Sean Christopherson, 19 Mar 2024,
// 20240320005024.3216282-1-seanjc@google.com), on post-369ea8242c0f as it stood at v6.9, the
// release the series was posted against (the 6.10 merge window was yet to come). Patch 2/4 "Mark folio
// dirty when creating SPTE, not when zapping/modifying" marks the folio dirty in make_spte()
// for a writable sPTE and deletes the kvm_set_pfn_dirty() calls from the zap, update and aging
// paths. (Merged in v6.13 in another form: see post-aa85986e7150.)
import { atRelease, deriveEra } from '../../src/era/derive.js';
import era from '../post-369ea8242c0f.js';
import timeline from '../timeline/index.js';

const RFC = { file: 'arch/x86/kvm/mmu/spte.c, arch/x86/kvm/mmu/mmu.c', status: 'verified' as const, note: 'RFC patch 2/4 diff read (mail archive)' };

export default deriveEra(atRelease(timeline, era, 'v6.9'), {
  id: 'rfc-2024-03-folio-dirty',
  title: 'PROPOSAL: the March 2024 RFC marks folios dirty when creating sPTEs',
  proposal: {
    subject: '[RFC PATCH 0/4] KVM: x86/mmu: Rework marking folios dirty/accessed',
    date: '2024-03-19',
    messageId: '20240320005024.3216282-1-seanjc@google.com',
  },
  commits: [],
  rules: {
    'kvm.fault.finish': {
      value: 'make_spte-marks-dirty',
      why: 'make_spte() calls kvm_set_pfn_dirty(pfn) when pte_access has ACC_WRITE_MASK; the page is still released with kvm_release_pfn_clean() after mmu_lock is dropped.',
      cite: [{ ...RFC, fn: 'make_spte' }],
    },
    'kvm.zap.mark_dirty': {
      value: 'never',
      why: 'kvm_set_pfn_dirty() is deleted from mmu_spte_update(), mmu_spte_clear_track_bits() and the TDP MMU handle_changed_spte().',
      cite: [{ ...RFC, fn: 'mmu_spte_clear_track_bits, handle_changed_spte' }],
    },
    'kvm.age.no_ad_mark_dirty': {
      value: false,
      why: 'kvm_set_pfn_dirty() is deleted from mmu_spte_age() and age_gfn_range().',
      cite: [{ ...RFC, fn: 'mmu_spte_age, age_gfn_range' }],
    },
  },
});
