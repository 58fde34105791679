// Where the model is coarser than the kernel over some releases, and no commit was found that
// would let a timeline entry replace the simplification. Each says what was searched.
// Simplifications of every release live with the engine (src/contract/simplifications.ts).
import type { Simplification } from '../../src/contract/era.js';

export const SIMPLIFICATIONS: readonly Simplification[] = [
  {
    text: 'The TLB flush of .invalidate_page and .invalidate_range_start is modelled under mmu_lock; v2.6.32 flushed just after dropping it. No outcome seen depends on it.',
    from: 'v2.6.27',
    to: 'v3.6',
    searched: 'the commit that moved kvm_flush_remote_tlbs() under mmu_lock in the notifier handlers was not identified',
  },
  {
    text: 'KSM in v2.6.32 merged two pages into a newly allocated KSM page (try_to_merge_two_pages() copies, then replaces both); the model keeps one of the two pages and replaces the other, as from v2.6.33.',
    from: 'v2.6.32',
    to: 'v2.6.32',
    searched: 'the mainline id of "ksm: share anon page without allocating" (Hugh Dickins, for 2.6.33) was not found',
  },
  {
    text: 'KSM marks the page it merges dirty (SetPageDirty() in try_to_merge_one_page()) only from v4.5, with "mm: mark stable page dirty in KSM" (the MADV_FREE series); the model marks it in every release (the trace says PG_dirty). Nothing in the model observes it: KSM pages are not reclaimed.',
    from: 'v2.6.32',
    to: 'v4.4',
    searched: 'the mainline id of "mm: mark stable page dirty in KSM" (Minchan Kim, v3 posted 2015-11-12): its subject quoted with an id or in a Fixes: tag, kernel.org push lists, logs of mm/ksm.c',
  },
  {
    text: 'The lockless retry check d02c357e5bfa added to kvm_faultin_pfn() is made in the step that reads mmu_invalidate_seq for the fault, a few instructions earlier: an invalidation that starts between the two is caught under mmu_lock instead, after get_user_pages().',
    from: 'v6.8',
    searched: 'a modelling choice, not a gap in history: the two lockless reads are one atomic step',
  },
];
