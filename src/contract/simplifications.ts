// Where the engine is coarser than the kernel, in every era. Printed in every report's legend
// and explained in docs/engine.md; era-specific ones live on the era rules.
export const ENGINE_SIMPLIFICATIONS: readonly string[] = [
  'one page-table lock per mm (split PTE locks are not modelled)',
  'host CPU TLBs are not modelled: a PTE cleared and flushed takes effect at once',
  'kvm->mmu_lock is exclusive (the TDP MMU takes it for read in faults)',
  'a vCPU told to retry re-faults once no invalidation covers its gfn; the spin is not modelled',
  'KSM\'s scan, checksum and tree walk are one step (cmp_and_merge_page)',
  'reclaim(P) reclaims the folio at P only (shrink_folio_list(), shrink_page_list() before v6.1); KSM pages are not reclaimed or migrated',
  'zapped pages are freed under the PTL, unless a device TLB on the mm hears ->invalidate_range: then munmap() and MADV_DONTNEED free them in tlb_finish_mmu(), after range_end and the TLB flush, as the kernel always does (KVM\'s sPTEs are gone at range_start: the same outcomes); the mmu_gather never fills, so the flush zap_pte_range() forces on a full batch, under the PTL, is not made',
  'one swap slot per page; a read swap-in keeps it, a write swap-in frees it',
  'do_numa_page() restores the PTE; the page is not moved to another node',
  'the host is Intel EPT: A/D bits only with enable_ept_ad_bits from v3.6 (shadow paging and AMD NPT, which always had them, are not run)',
  'a device bound to a process (SVA) caches translations in a device TLB (ATC); an x86 IOMMU\'s own TLB is not modelled (it walks again on a permission miss), an arm64 SMMU\'s is, one entry per page; its page requests (PRI) are faulted in on the device\'s own thread, not a driver work queue; a translation waits out amd_iommu_v2\'s empty page table (v3.3-v3.18), and a device faulting forever on a stale SMMU TLB entry waits for an invalidation, instead of faulting again and again; a DMA through its ATC while the CPU TLB flush of a PTE change is still to come (the mmu_gather\'s, fork\'s flush_tlb_mm()) orders before the change, as a CPU\'s through its stale TLB entry would, and is judged after the flush like a guest\'s',
];
