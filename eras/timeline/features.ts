// Kernel features a scenario may use that not every release has. A release before a feature
// cannot run a scenario that uses it ("not in this release: ..."); a named era that spans its
// arrival runs such a scenario at the release where the feature arrived.
import type { FeatureEntry } from '../../src/contract/era.js';

export const FEATURES: readonly FeatureEntry[] = [
  {
    feature: 'ksm',
    name: 'KSM',
    release: 'v2.6.32',
    commit: '31dbd01f3143 ("ksm: Kernel SamePage Merging")',
    why: 'mm/ksm.c: ksmd merges identical anonymous pages of MADV_MERGEABLE areas.',
    cite: [{ file: 'mm/ksm.c', fn: 'cmp_and_merge_page', commit: '31dbd01f3143 ("ksm: Kernel SamePage Merging")', status: 'verified', note: '0-day blame of cmp_and_merge_page() dated 2009-09-21' }],
    pinned: 'v2.6.32: blamed 2009-09-21, between v2.6.31 (2009-09-09) and 2.6.32-rc1',
    status: 'verified',
  },
  {
    feature: 'test_young',
    name: 'khugepaged\'s young test (.test_young)',
    release: 'v2.6.38',
    commit: '8ee53820edfd ("thp: mmu_notifier_test_young")',
    why: 'Transparent huge pages: khugepaged asks secondary MMUs whether a page is young before it collapses the range.',
    cite: [{ file: 'mm/huge_memory.c, include/linux/mmu_notifier.h', fn: 'khugepaged_scan_pmd, mmu_notifier_test_young', commit: '8ee53820edfd ("thp: mmu_notifier_test_young")', status: 'verified', note: 'commit text read' }],
    pinned: 'v2.6.38: still in -mm on top of 2.6.37 in Jan 2011, merged with THP for 2.6.38',
    status: 'verified',
  },
  {
    feature: 'numa',
    name: 'automatic NUMA balancing (change_prot_numa)',
    release: 'v3.8',
    commit: 'd10e63f29488 ("mm: numa: Create basic numa page hinting infrastructure")',
    why: 'The NUMA scanner makes PTEs PROT_NONE through change_protection(); do_numa_page() handles the hinting fault.',
    cite: [{ file: 'mm/memory.c, mm/mempolicy.c', fn: 'do_numa_page, change_prot_numa', commit: 'd10e63f29488 ("mm: numa: Create basic numa page hinting infrastructure")', status: 'verified', note: 'Hillf Danton, Jan 2013: "3.7 had an important pmd_trans_splitting(orig_pmd) check there, which went AWOL in d10e63f29488"' }],
    pinned: 'v3.8: Mel Gorman\'s "Automatic NUMA Balancing V11" pull targets 3.8; the Jan 2013 mail puts the commit after 3.7',
    status: 'verified',
  },
  {
    feature: 'clear_young',
    name: '.clear_young (idle page tracking)',
    release: 'v4.3',
    commit: '1d7715c676a1 ("mmu-notifier: add clear_young callback")',
    why: '/sys/kernel/mm/page_idle: page_idle_clear_pte_refs() ages a page with ptep_clear_young_notify(), no TLB flush.',
    cite: [{ file: 'mm/page_idle.c, include/linux/mmu_notifier.h', fn: 'page_idle_clear_pte_refs, mmu_notifier_clear_young', commit: '1d7715c676a1 ("mmu-notifier: add clear_young callback")', status: 'verified', note: 'commit text read' }],
    pinned: 'v4.3: in the block akpm sends to Linus in the mmotm list of 2015-09-10',
    status: 'verified',
  },
  {
    feature: 'madv_free',
    name: 'MADV_FREE',
    release: 'v4.5',
    commit: '854e9ed09ded ("mm: support madvise(MADV_FREE)")',
    why: 'madvise(MADV_FREE): anonymous pages the process no longer needs are freed by reclaim unless written again.',
    cite: [{ file: 'mm/madvise.c', fn: 'madvise_free_single_vma', commit: '854e9ed09ded ("mm: support madvise(MADV_FREE)")', status: 'verified', note: '"Date: Fri Jan 15 16:54:53 2016" read in a notes file quoting the commit' }],
    pinned: 'v4.5: committed 2016-01-15, in the 4.5 merge window; "4.5 (madv_free: introduction)" (Mauricio Faria de Oliveira)',
    status: 'verified',
  },
  {
    feature: 'tdp_mmu',
    name: 'the TDP MMU',
    release: 'v5.10',
    commit: 'fe5db27d3601 ("kvm: x86/mmu: Init / Uninit the TDP MMU")',
    why: 'arch/x86/kvm/mmu/tdp_mmu.c: an EPT/NPT MMU without a reverse map, off by default until v5.15.',
    cite: [{ file: 'arch/x86/kvm/mmu/tdp_mmu.c', fn: 'kvm_tdp_mmu_map', commit: 'fe5db27d3601 ("kvm: x86/mmu: Init / Uninit the TDP MMU")', status: 'verified', note: '"[GIT PULL] KVM changes for Linux 5.10": "For now it is disabled by default"' }],
    pinned: 'v5.10: in the 5.10 KVM pull',
    status: 'verified',
  },
];
