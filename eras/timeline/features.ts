// Kernel features a scenario may use that not every release has. A release before a feature
// cannot run a scenario that uses it ("not in this release: ..."); a named era that spans its
// arrival runs such a scenario at the release where the feature arrived.
import type { FeatureEntry } from '../../src/contract/era.js';
import { readAt, readIn } from './sources.js';

export const FEATURES: readonly FeatureEntry[] = [
  {
    feature: 'ksm',
    name: 'KSM',
    release: 'v2.6.32',
    commit: '31dbd01f3143 ("ksm: Kernel SamePage Merging")',
    why: 'mm/ksm.c: ksmd merges identical anonymous pages of MADV_MERGEABLE areas.',
    cite: [{ file: 'mm/ksm.c', fn: 'cmp_and_merge_page', commit: '31dbd01f3143 ("ksm: Kernel SamePage Merging")', status: 'verified', note: 'v2.6.31 (no mm/ksm.c) and v2.6.32 read (see read); 31dbd01f3143 (2009-09-21) is an ancestor of the v2.6.32 release commit 22763c5cf369 and not of v2.6.31\'s 74fca6a42863 (allwinner/linux-2.6.36)' }],
    pinned: 'v2.6.32: 31dbd01f3143 is in v2.6.32 and not in v2.6.31 (git merge-base --is-ancestor in allwinner/linux-2.6.36)',
    status: 'verified',
    read: [
      readAt('v2.6.31', 'mm/ksm.c', 'cmp_and_merge_page', 'absent: no mm/ksm.c'),
      readAt('v2.6.32', 'mm/ksm.c', 'cmp_and_merge_page', 'static void cmp_and_merge_page(struct page *page, struct rmap_item *rmap_item)'),
    ],
  },
  {
    feature: 'test_young',
    name: 'khugepaged\'s young test (.test_young)',
    release: 'v2.6.38',
    commit: '8ee53820edfd ("thp: mmu_notifier_test_young")',
    why: 'Transparent huge pages: khugepaged asks secondary MMUs whether a page is young before it collapses the range.',
    cite: [{ file: 'mm/huge_memory.c, include/linux/mmu_notifier.h', fn: 'khugepaged_scan_pmd, mmu_notifier_test_young', commit: '8ee53820edfd ("thp: mmu_notifier_test_young")', status: 'verified', note: 'v2.6.37 and v2.6.38 read (see read); 8ee53820edfd (2011-01-13) is an ancestor of the v2.6.38 release commit 521cb40b0c44 and not of v2.6.37\'s 3c0eee3fe6a3 (gpl-releases/linux-2.6.39.3)' }],
    pinned: 'v2.6.38: 8ee53820edfd is in v2.6.38 and not in v2.6.37 (git merge-base --is-ancestor in gpl-releases/linux-2.6.39.3)',
    status: 'verified',
    read: [
      readAt('v2.6.37', 'include/linux/mmu_notifier.h', 'mmu_notifier_test_young', 'absent: no test_young in mm/, include/linux/mmu_notifier.h or virt/'),
      readAt('v2.6.38', 'mm/huge_memory.c', 'khugepaged_scan_pmd, __collapse_huge_page_isolate', 'mmu_notifier_test_young(vma->vm_mm, address)'),
      readAt('v2.6.38', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', '.test_young = kvm_mmu_notifier_test_young'),
    ],
  },
  {
    feature: 'ept_ad',
    name: 'EPT accessed and dirty bits (enable_ept_ad_bits)',
    release: 'v3.6',
    why: 'kvm_intel uses the EPT accessed/dirty bits where the CPU has them (module parameter eptad, default 1): construct_eptp() sets VMX_EPT_AD_ENABLE_BIT, and vmx_init() passes VMX_EPT_ACCESS_BIT/VMX_EPT_DIRTY_BIT to kvm_mmu_set_mask_ptes() as shadow_accessed_mask/shadow_dirty_mask, which before were 0 on EPT. With them, aging reads and clears the sPTE A bit (kvm.age.no_ad no longer applies), a zap marks the page accessed/dirty from the A/D bits (kvm.zap.mark_accessed, kvm.zap.mark_dirty), and .test_young can answer young.',
    cite: [{ file: 'arch/x86/kvm/vmx.c, arch/x86/include/asm/vmx.h', fn: 'enable_ept_ad_bits, hardware_setup, construct_eptp, vmx_init', status: 'verified', note: 'v3.5 and v3.6 code read (see read); the commit was not identified: searches of the stored pages for "EPT A/D", "enable_ept_ad_bits", "eptad", the recalled subjects "Enable EPT A/D bits if supported by turning on relevant bit in EPTP" and "Use EPT Access bit in response to memory notifiers" (Xudong Hao, 2012) and the 3.6 KVM pull found no id' }],
    pinned: 'v3.6: absent from a 3.5.0 tree (12thmantec/linux-3.5), present in a 3.6.0 tree (liulijun-dev/linux-3.6), Makefiles read',
    status: 'verified',
    read: [
      readAt('v3.5', 'arch/x86/kvm/vmx.c', 'vmx_init', 'if (enable_ept) { kvm_mmu_set_mask_ptes(0ull, 0ull, 0ull, 0ull, VMX_EPT_EXECUTABLE_MASK); ...: no A/D masks; no ept_ad anywhere in the file'),
      readAt('v3.6', 'arch/x86/kvm/vmx.c', 'enable_ept_ad_bits, hardware_setup', 'static bool __read_mostly enable_ept_ad_bits = 1; module_param_named(eptad, enable_ept_ad_bits, bool, S_IRUGO); if (!cpu_has_vmx_ept_ad_bits()) enable_ept_ad_bits = 0;'),
      readAt('v3.6', 'arch/x86/kvm/vmx.c', 'construct_eptp', 'if (enable_ept_ad_bits) eptp |= VMX_EPT_AD_ENABLE_BIT;'),
      readAt('v3.6', 'arch/x86/kvm/vmx.c', 'vmx_init', 'kvm_mmu_set_mask_ptes(0ull, (enable_ept_ad_bits) ? VMX_EPT_ACCESS_BIT : 0ull, (enable_ept_ad_bits) ? VMX_EPT_DIRTY_BIT : 0ull, 0ull, VMX_EPT_EXECUTABLE_MASK)'),
    ],
  },
  {
    feature: 'numa',
    name: 'automatic NUMA balancing (change_prot_numa)',
    release: 'v3.8',
    commit: 'd10e63f29488 ("mm: numa: Create basic numa page hinting infrastructure")',
    why: 'The NUMA scanner makes PTEs PROT_NONE through change_protection(); do_numa_page() handles the hinting fault.',
    cite: [{ file: 'mm/memory.c, mm/mempolicy.c', fn: 'do_numa_page, change_prot_numa', commit: 'd10e63f29488 ("mm: numa: Create basic numa page hinting infrastructure")', status: 'verified', note: 'v3.7.2 (absent) and v3.8.3 (present) read (see read); the id from Hillf Danton, Jan 2013: "3.7 had an important pmd_trans_splitting(orig_pmd) check there, which went AWOL in d10e63f29488"' }],
    pinned: 'v3.8: absent in robacklin/linux-3.7.2, present in ronny1996/linux-3.8.3 (whose later commits do not touch mm/memory.c or mm/mempolicy.c); Mel Gorman\'s "Automatic NUMA Balancing V11" pull targets 3.8',
    status: 'verified',
    read: [
      readAt('v3.7.2', 'mm/memory.c', 'do_numa_page', 'absent'),
      readAt('v3.7.2', 'mm/mempolicy.c', 'change_prot_numa', 'absent'),
      readAt('v3.8.3', 'mm/memory.c', 'do_numa_page', 'int do_numa_page(struct mm_struct *mm, struct vm_area_struct *vma, ...), called from handle_pte_fault()'),
      readAt('v3.8.3', 'mm/mempolicy.c', 'change_prot_numa', 'unsigned long change_prot_numa(struct vm_area_struct *vma, ...)'),
    ],
  },
  {
    feature: 'clear_young',
    name: '.clear_young (idle page tracking)',
    release: 'v4.3',
    commit: '1d7715c676a1 ("mmu-notifier: add clear_young callback")',
    why: '/sys/kernel/mm/page_idle: page_idle_clear_pte_refs() ages a page with ptep_clear_young_notify(), no TLB flush.',
    cite: [{ file: 'mm/page_idle.c, include/linux/mmu_notifier.h', fn: 'page_idle_clear_pte_refs_one, mmu_notifier_clear_young', commit: '1d7715c676a1 ("mmu-notifier: add clear_young callback")', status: 'verified', note: 'a 4.2 tree (absent) and a 4.3 tree (present) read (see read); the id from the commit text' }],
    pinned: 'v4.3: zfruc/linux-4.2.0 (Makefile 4.2.8-ckt12, a 4.2 stable) has no .clear_young and no mm/page_idle.c; YoungjaeLee/linux-4.3-cxlbdev (Makefile 4.3.0-cxlbdev-rc, a research tree on 4.3) has both and KVM\'s kvm_mmu_notifier_clear_young; in the block akpm sends to Linus in the mmotm list of 2015-09-10',
    status: 'verified',
    read: [
      readIn('zfruc/linux-4.2.0', '9d46c44ea6400ef1cb85df406994ad63a815982b', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'clear_flush_young only: no clear_young; no mm/page_idle.c'),
      readIn('YoungjaeLee/linux-4.3-cxlbdev', 'dc98e805a1fa66fd97bf326188708f2918ff60bc', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops, ptep_clear_young_notify', 'int (*clear_young)(struct mmu_notifier *mn, ...); __young |= mmu_notifier_clear_young()'),
      readIn('YoungjaeLee/linux-4.3-cxlbdev', 'dc98e805a1fa66fd97bf326188708f2918ff60bc', 'mm/page_idle.c', 'page_idle_clear_pte_refs_one', 'referenced = ptep_clear_young_notify(vma, addr, pte)'),
      readIn('YoungjaeLee/linux-4.3-cxlbdev', 'dc98e805a1fa66fd97bf326188708f2918ff60bc', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', '.clear_young = kvm_mmu_notifier_clear_young'),
    ],
  },
  {
    feature: 'madv_free',
    name: 'MADV_FREE',
    release: 'v4.5',
    commit: '854e9ed09ded ("mm: support madvise(MADV_FREE)")',
    why: 'madvise(MADV_FREE): anonymous pages the process no longer needs are freed by reclaim unless written again.',
    cite: [{ file: 'mm/madvise.c', fn: 'madvise_free_single_vma', commit: '854e9ed09ded ("mm: support madvise(MADV_FREE)")', status: 'verified', note: 'v4.4.1 (absent) and v4.5 (present) read (see read); "Date: Fri Jan 15 16:54:53 2016" read in a notes file quoting the commit' }],
    pinned: 'v4.5: absent in zanpocc/linux-4.4.1 and xiaojimmychen/linux-4.4 (Android common 4.4.0), present in arthur-lucena/linux-4.5-hw-so (Makefile 4.5.0; its later commit adds a syscall, not mm/); committed 2016-01-15, in the 4.5 merge window',
    status: 'verified',
    read: [
      readAt('v4.4.1', 'mm/madvise.c', 'madvise_free_single_vma', 'absent: no MADV_FREE in mm/madvise.c or include/uapi/asm-generic/mman-common.h'),
      readAt('v4.5', 'mm/madvise.c', 'madvise_free, madvise_behavior_valid', 'madvise_free() returns madvise_free_single_vma(vma, start, end); case MADV_FREE: is a valid behavior'),
      readAt('v4.5', 'include/uapi/asm-generic/mman-common.h', 'MADV_FREE', '#define MADV_FREE 8 /* free pages only if memory pressure */'),
    ],
  },
  {
    feature: 'tdp_mmu',
    name: 'the TDP MMU',
    release: 'v5.10',
    commit: 'fe5db27d3601 ("kvm: x86/mmu: Init / Uninit the TDP MMU")',
    why: 'arch/x86/kvm/mmu/tdp_mmu.c: an EPT/NPT MMU without a reverse map, behind the tdp_mmu module parameter, off by default until v5.15 (kvm.mmu.default).',
    cite: [{ file: 'arch/x86/kvm/mmu/tdp_mmu.c', fn: 'kvm_mmu_init_tdp_mmu, kvm_tdp_mmu_map', commit: 'fe5db27d3601 ("kvm: x86/mmu: Init / Uninit the TDP MMU")', status: 'verified', note: '"[GIT PULL] KVM changes for Linux 5.10": "For now it is disabled by default"; v5.9.1 and v5.10 code read (see read)' }],
    pinned: 'v5.10: in the 5.10 KVM pull; no arch/x86/kvm/mmu/tdp_mmu.c in a 5.9.1 tree, present in the 5.10.0 tree (Makefiles read)',
    status: 'verified',
    read: [
      readAt('v5.9.1', 'arch/x86/kvm/mmu/tdp_mmu.c', '(the file)', 'absent: arch/x86/kvm/mmu/ has mmu.c, mmu_audit.c, mmu_internal.h, mmutrace.h, page_track.c, paging_tmpl.h'),
      readAt('v5.10', 'arch/x86/kvm/mmu/tdp_mmu.c', 'tdp_mmu_enabled, kvm_mmu_init_tdp_mmu', 'static bool __read_mostly tdp_mmu_enabled = false; module_param_named(tdp_mmu, tdp_mmu_enabled, bool, 0644); kvm_mmu_init_tdp_mmu(): if (!is_tdp_mmu_enabled()) return;'),
    ],
  },
];
