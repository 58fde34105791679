// Where the engine is coarser than the kernel, in every era. Printed in every report's legend
// and explained in docs/engine.md; era-specific ones live on the era rules.
export const ENGINE_SIMPLIFICATIONS: readonly string[] = [
  'one page-table lock per mm (split PTE locks are not modelled)',
  'host CPU TLBs are not modelled: a PTE cleared and flushed takes effect at once',
  'kvm->mmu_lock is exclusive (the TDP MMU takes it for read in faults)',
  'a vCPU told to retry re-faults once no invalidation covers its gfn; the spin is not modelled',
  'KSM\'s scan, checksum and tree walk are one step (cmp_and_merge_page)',
  'reclaim(P) reclaims the folio at P only (shrink_folio_list(), shrink_page_list() before v6.1); KSM pages are not reclaimed or migrated',
  'zapped pages are freed under the PTL (the mmu_gather may free them after range_end)',
  'one swap slot per page; a read swap-in keeps it, a write swap-in frees it',
  'do_numa_page() restores the PTE; the page is not moved to another node',
  'the host is Intel EPT: A/D bits only with enable_ept_ad_bits from v3.6 (shadow paging and AMD NPT, which always had them, are not run)',
];
