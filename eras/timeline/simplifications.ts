// Where the model is coarser than the kernel over some releases, and no commit was found that
// would let a timeline entry replace the simplification. Each says what was searched.
// Simplifications of every release live with the engine (src/contract/simplifications.ts).
import type { Simplification } from '../../src/contract/era.js';

export const SIMPLIFICATIONS: readonly Simplification[] = [
  {
    text: 'The TLB flush of .invalidate_page and .invalidate_range_start is modelled under mmu_lock; until v3.3 KVM flushed just after dropping it. No outcome seen depends on it.',
    from: 'v2.6.27',
    to: 'v3.3',
    searched: 'the commit that moved kvm_flush_remote_tlbs() under mmu_lock in kvm_mmu_notifier_invalidate_page() and _invalidate_range_start() was not identified (its subject was not found by find_string or a search of stored pages). The code bounds it: the flush follows spin_unlock(&kvm->mmu_lock) at v2.6.27 (allwinner/linux-2.6.36 at 3fa8749e584b), in 3.1.3 (303750856/linux-3.1), 3.2.0 (fastbot3d/linux-3.2.0) and 3.3.0 (SleepyRabbit/arm-linux-3.3, linux-3.3-fa/, a vendor tree); it precedes the unlock in 3.3.8 (ciminaghi/linux-3.3.8, a stable backport), 3.4.2 (461911662/linux-3.4.2) and 3.6 (liulijun-dev/linux-3.6): so from v3.4 (between v3.3 and v3.4, a release without a tree here; the 3.3.8 backport agrees)',
  },
  {
    text: 'KSM in v2.6.32 merged two pages into a newly allocated KSM page (try_to_merge_two_pages() copies, then replaces both); the model keeps one of the two pages and replaces the other, as from v2.6.33.',
    from: 'v2.6.32',
    to: 'v2.6.32',
    searched: 'found: 80e148226028 ("ksm: share anon page without allocating"), Hugh Dickins, 2009-12-14, in gpl-releases/linux-2.6.39.3: an ancestor of the v2.6.33 release commit 60b341b778cc, not of v2.6.32\'s 22763c5cf369. v2.6.32 try_to_merge_two_pages() alloc_page()s a kpage, copy_user_highpage()s page1 into it, try_to_merge_one_page(vma, page1, kpage) then try_to_merge_with_ksm_page(mm2, addr2, page2, kpage): both PTEs are replaced by replace_page(); v2.6.33 try_to_merge_with_ksm_page(rmap_item, page, NULL) upgrades page itself to KSM (write_protect_page() only), then replaces tree_page\'s PTE with it. Kept as a simplification: a rule would need v2.6.32\'s two-page merge in the engine for one release',
  },
  {
    text: 'KSM marks the page it merges dirty (SetPageDirty() in try_to_merge_one_page()) only from v4.5, with "mm: mark stable page dirty in KSM" (the MADV_FREE series); the model marks it in every release (the trace says PG_dirty). Nothing in the model observes it: KSM pages are not reclaimed.',
    from: 'v2.6.32',
    to: 'v4.4',
    searched: 'the mainline id of "mm: mark stable page dirty in KSM" (Minchan Kim, v3 posted 2015-11-12) was not found: find_string of the subject (and of its kernel citation form) finds only the postings and cover letters, and the full-history repositories end at 2.6.39.3. The code bounds it to v4.5: try_to_merge_one_page() has no SetPageDirty() in v2.6.32 (allwinner/linux-2.6.36 at 22763c5cf369), 4.4.1 (zanpocc/linux-4.4.1) and 4.4.0 (xiaojimmychen/linux-4.4); v4.5 (arthur-lucena/linux-4.5-hw-so) has, when the page itself becomes the KSM page (!kpage), "if (!PageDirty(page)) SetPageDirty(page);" after set_page_stable_node(page, NULL). Kept as a simplification: nothing in the model observes it (KSM pages are not reclaimed)',
  },
  {
    text: 'The lockless retry check d02c357e5bfa added to kvm_faultin_pfn() is made in the step that reads mmu_invalidate_seq for the fault, a few instructions earlier: an invalidation that starts between the two is caught under mmu_lock instead, after get_user_pages().',
    from: 'v6.8',
    searched: 'a modelling choice, not a gap in history: the two lockless reads are one atomic step',
  },
];
