// The names a trace prints, by release: tools/memory-model's linux-kernel.def, for history.
// The engine spells every step in the newest kernel's words (the `word`); a run at an older
// release prints what that release called the same thing. Names are per release, not per
// call site: where a kernel kept an old wrapper, the newer name may be printed for a call site
// that still used the wrapper. Where a call site is known to have lagged, it has a word of its
// own, spelt with its argument (`folio_trylock(folio)` for KSM's try_to_merge_one_page(), which
// kept trylock_page(page) until v6.13): the longer word wins over `folio_trylock()`. The test
// in test/vocabulary.test.ts runs the catalog at every release and fails on a name the
// vocabulary does not give for that release.
import type { Status, Word } from '../../src/contract/era.js';

type Since = Word['since'][number];
const at = (release: string, name: string | null, status: Status, read: string, commit?: string): Since => (commit ? { release, name, commit, status, read } : { release, name, status, read });
const word = (w: string, kind: Word['kind'], ...since: Since[]): Word => ({ word: w, kind, since });
/** A name that has not changed since it arrived. */
const same = (w: string, kind: Word['kind'], release: string, status: Status, read: string): Word => word(w, kind, at(release, w, status, read));

const OLD = 'v2.6.27';
const IN_2632 = 'in v2.6.32 code read';
const IN_229 = 'in a 2.6.29 tree read (Makefile read)';
const RECALLED_OLD = 'recalled: in the kernels of the time, not re-read';
const FOLIO_516 = 'the "Memory folios" pull (tag folio-5.16) read';
const MM_61 = '"[GIT PULL] MM updates for 6.1-rc1" read';
const MM_63 = '"[GIT PULL] MM updates for 6.3-rc1" read';
const MM_68 = '"[GIT PULL] MM updates for 6.8-rc1" read';
const FOLIO_518 = 'the 5.18 folio commits in a mainline log after "Linux 5.17" read';
const KVM_513 = '"[GIT PULL] KVM changes for Linux 5.13" read';
const MMAP_LOCK = '9740ca4e95b4 ("mmap locking API: initial implementation as rwsem wrappers")';
const MMAP_LOCK_READ = 'dated 2020-06-08, after v5.8-rc1 opened; its call sites converted in the same series';
const RENAME_60 = '20ec3ebd707c ("KVM: Rename mmu_notifier_* to mmu_invalidate_*")';
const RENAME_60_READ = 'its diff read; in the Linux 6.0-rc2 shortlog';
const RMAP_68 = 'the "mm/rmap: interface overhaul" in the 6.8-rc1 MM pull read';
const KSM_FOLIO_613 = '9c0a1b99e391 ("ksm: use a folio in try_to_merge_one_page()")';
const KSM_FOLIO_613_READ =
  'Matthew Wilcox (Oracle) in "[GIT PULL] MM updates for 6.13-rc1"; the full id 9c0a1b99e3919f5fddeeaf96b36f86ccc5cc2a10 in the kernel.org post-receive list of torvalds/linux master of 2024-11-23, which ends in 5c00ff742bf5 ("Merge tag \'mm-stable-2024-11-18-19-27\'"): the 6.13 merge window; the folio calls read in later mm/ksm.c (v6.18 and a stored copy; the commit\'s diff itself not read)';
const KSM_PAGE_CALLS =
  'try_to_merge_one_page() kept the page calls after v5.16: they are the context of Alex Shi\'s "[PATCH 03/10] mm/ksm: use folio in try_to_merge_one_page" (2024-06-04, against the mm tree after 6.10-rc1; reviewed by David Hildenbrand, not merged as posted)';
const KSM_SHARE_ANON = 'Hugh Dickins, "[PATCH 5/9] ksm: share anon page without allocating" (2009-11-24, for 2.6.33) read: it adds set_page_stable_node(page, NULL); mark_page_accessed(page) to try_to_merge_one_page(); its mainline id not found';
const KSM_AS_2633 = 'v2.6.32 merged into a newly allocated KSM page; the model runs the v2.6.33 merge there and names it as v2.6.33 does';

export const WORDS: readonly Word[] = [
  // ---- locks and fields ----
  word('mmap_lock', 'lock', at(OLD, 'mmap_sem', 'verified', 'struct mm_struct::mmap_sem until the rename'), at('v5.8', 'mmap_lock', 'verified', 'git describe v5.7-13158-gda1c55f1b272 (v5.8-rc1)', 'da1c55f1b272 ("mmap locking API: rename mmap_sem to mmap_lock")')),
  word('mmap_read_lock()', 'function', at(OLD, 'down_read(&mm->mmap_sem)', 'verified', 'the call sites 9740ca4e95b4 converts'), at('v5.8', 'mmap_read_lock()', 'verified', MMAP_LOCK_READ, MMAP_LOCK)),
  word('mmap_read_unlock()', 'function', at(OLD, 'up_read(&mm->mmap_sem)', 'verified', 'the call sites 9740ca4e95b4 converts'), at('v5.8', 'mmap_read_unlock()', 'verified', MMAP_LOCK_READ, MMAP_LOCK)),
  word('mmap_write_lock()', 'function', at(OLD, 'down_write(&mm->mmap_sem)', 'verified', 'the call sites 9740ca4e95b4 converts'), at('v5.8', 'mmap_write_lock()', 'verified', MMAP_LOCK_READ, MMAP_LOCK)),
  word('mmap_write_unlock()', 'function', at(OLD, 'up_write(&mm->mmap_sem)', 'verified', 'the call sites 9740ca4e95b4 converts'), at('v5.8', 'mmap_write_unlock()', 'verified', MMAP_LOCK_READ, MMAP_LOCK)),
  same('mmu_lock', 'lock', OLD, 'verified', 'kvm->mmu_lock in the e930bffe95e1 diff'),
  same('kvm->mmu_lock', 'lock', OLD, 'verified', 'the e930bffe95e1 diff'),
  same('PTL', 'lock', OLD, 'verified', 'the page-table lock, pte_offset_map_lock()'),
  word('mmu_invalidate_seq', 'field', at(OLD, 'mmu_notifier_seq', 'verified', 'the e930bffe95e1 diff'), at('v6.0', 'mmu_invalidate_seq', 'verified', RENAME_60_READ, RENAME_60)),
  word('kvm->mmu_invalidate_seq', 'field', at(OLD, 'kvm->mmu_notifier_seq', 'verified', 'the e930bffe95e1 diff'), at('v6.0', 'kvm->mmu_invalidate_seq', 'verified', RENAME_60_READ, RENAME_60)),
  word('mmu_invalidate_in_progress', 'field', at(OLD, 'mmu_notifier_count', 'verified', 'the e930bffe95e1 diff'), at('v6.0', 'mmu_invalidate_in_progress', 'verified', RENAME_60_READ, RENAME_60)),
  word('kvm->mmu_invalidate_in_progress', 'field', at(OLD, 'kvm->mmu_notifier_count', 'verified', 'the e930bffe95e1 diff'), at('v6.0', 'kvm->mmu_invalidate_in_progress', 'verified', RENAME_60_READ, RENAME_60)),
  word(
    'kvm->mmu_invalidate_range_start',
    'field',
    at(OLD, null, 'verified', 'no range was kept before 4a42d848db95'),
    at('v5.12', 'kvm->mmu_notifier_range_start', 'verified', 'in the second 5.12 KVM pull', '4a42d848db95 ("KVM: x86/mmu: Consider the hva in mmu_notifier retry")'),
    at('v6.0', 'kvm->mmu_invalidate_range_start', 'verified', RENAME_60_READ, RENAME_60),
  ),
  word(
    'kvm->mmu_invalidate_range_end',
    'field',
    at(OLD, null, 'verified', 'no range was kept before 4a42d848db95'),
    at('v5.12', 'kvm->mmu_notifier_range_end', 'verified', 'in the second 5.12 KVM pull', '4a42d848db95 ("KVM: x86/mmu: Consider the hva in mmu_notifier retry")'),
    at('v6.0', 'kvm->mmu_invalidate_range_end', 'verified', RENAME_60_READ, RENAME_60),
  ),

  // ---- types ----
  word('folio', 'type', at(OLD, 'page', 'verified', 'struct page only'), at('v5.16', 'folio', 'verified', FOLIO_516)),
  word('folios', 'type', at(OLD, 'pages', 'verified', 'struct page only'), at('v5.16', 'folios', 'verified', FOLIO_516)),
  same('spte', 'type', OLD, 'verified', 'arch/x86/kvm/mmu.c of every release'),
  same('sptes', 'type', OLD, 'verified', 'arch/x86/kvm/mmu.c of every release'),
  same('PTE', 'type', OLD, 'verified', 'every release'),
  same('PG_dirty', 'constant', OLD, 'verified', 'include/linux/page-flags.h'),
  same('VM_WRITE', 'constant', OLD, 'verified', 'include/linux/mm.h'),
  same('PROT_NONE', 'constant', OLD, 'verified', 'include/uapi/asm-generic/mman-common.h'),
  same('FOLL_WRITE', 'constant', OLD, 'recalled', 'a get_user_pages() flag; the int write argument of older get_user_pages() calls is printed as FOLL_WRITE'),
  word('MM_CP_PROT_NUMA', 'constant', at('v3.8', 'prot_numa', 'verified', 'change_protection(..., prot_numa) in the Automatic NUMA Balancing pull'), at('v5.7', 'MM_CP_PROT_NUMA', 'recalled', '"mm: merge parameters for change_protection()" (uffd-wp series, merged for 5.7; mainline id not found)')),
  word('RET_PF_RETRY', 'constant', at(OLD, 'return 0', 'verified', 'the e930bffe95e1 diff: "goto out_unlock ... return 0"'), at('v4.14', 'RET_PF_RETRY', 'recalled', 'torvalds/linux mmu.c at 9b8ebbdb74b5 read: enum { RET_PF_RETRY = 0, ... }; 4.9.202 needed it as a backport, 4.14.154 did not; the same mmu.c has AMD SME, recalled as 4.14 material; the kvm-4.14-1 tag text read (no commit list); the id is in no stored push list or pull', '9b8ebbdb74b5 ("KVM: x86: extend usage of RET_MMIO_PF_* constants")')),

  // ---- KVM: notifier handlers ----
  same('kvm_mmu_notifier_invalidate_range_start', 'function', OLD, 'verified', 'the e930bffe95e1 diff'),
  same('kvm_mmu_notifier_invalidate_range_end', 'function', OLD, 'verified', 'the e930bffe95e1 diff'),
  word('kvm_mmu_notifier_invalidate_page', 'function', at(OLD, 'kvm_mmu_notifier_invalidate_page', 'verified', 'the e930bffe95e1 diff'), at('v4.13', null, 'recalled', 'removed by fb1522e099f0 (id and subject in a Fixes: tag, Marc Zyngier); the merge ea25c4317946 text read ("By killing this callback ..."), its list of commits not seen, so that fb1522e099f0 is in it is inferred', 'fb1522e099f0 ("KVM: update to new mmu_notifier semantic v2")')),
  word('kvm_mmu_notifier_change_pte', 'function', at('v2.6.32', 'kvm_mmu_notifier_change_pte', 'verified', 'a 2.6.32.9 tree read'), at('v6.10', null, 'verified', 'removed', 'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")')),
  same('kvm_mmu_notifier_clear_flush_young', 'function', OLD, 'verified', 'the e930bffe95e1 diff'),
  same('kvm_mmu_notifier_clear_young', 'function', 'v4.3', 'verified', '1d7715c676a1 adds it'),
  same('kvm_mmu_notifier_test_young', 'function', 'v2.6.38', 'verified', '8ee53820edfd adds it'),
  same('kvm_mmu_notifier_release', 'function', 'v2.6.29', 'verified', IN_229),
  same('kvm_flush_remote_tlbs()', 'function', OLD, 'verified', IN_229),
  word('kvm_unmap_hva()', 'function', at(OLD, 'kvm_unmap_hva()', 'verified', `${IN_229}: range_start loops over the pages calling it`), at('v5.13', null, 'verified', KVM_513, 'b4c5936c47f8 ("KVM: Kill off the old hva-based MMU notifier callbacks")')),
  word('kvm_arch_flush_shadow_all()', 'function', at(OLD, 'kvm_arch_flush_shadow()', 'verified', IN_229), at('v3.7', 'kvm_arch_flush_shadow_all()', 'recalled', 'torvalds/linux kvm_main.c at 2df72e9bc4c5 read: .release calls kvm_arch_flush_shadow_all(); the same file has read-only memslots (4d8b81abc47b, blamed 2012-08-21, after v3.6-rc1); id and subject quoted in later kvm mails (Sean Christopherson: 2df72e9bc4c5 ("KVM: split kvm_arch_flush_shadow")), full id 2df72e9bc4c505d8357012f2924589f3d16f9d44; v3.7 inferred (no 3.7 KVM pull or release tree found)', '2df72e9bc4c5 ("KVM: split kvm_arch_flush_shadow")')),
  word('kvm_age_gfn()', 'function', at(OLD, 'kvm_age_hva()', 'verified', IN_229), at('v5.13', 'kvm_age_gfn()', 'verified', KVM_513, '3039bcc74498 ("KVM: Move x86\'s MMU notifier memslot walkers to generic code")')),
  word('kvm_test_age_gfn()', 'function', at('v2.6.38', 'kvm_test_age_hva()', 'verified', 'added by 8ee53820edfd; in a 2.6.38.7 tree'), at('v5.13', 'kvm_test_age_gfn()', 'verified', KVM_513, '3039bcc74498 ("KVM: Move x86\'s MMU notifier memslot walkers to generic code")')),
  word('kvm_set_spte_gfn()', 'function', at('v2.6.32', 'kvm_set_spte_hva()', 'verified', 'a 2.6.32.9 tree read'), at('v5.13', 'kvm_set_spte_gfn()', 'verified', KVM_513, '3039bcc74498 ("KVM: Move x86\'s MMU notifier memslot walkers to generic code")'), at('v6.10', null, 'verified', 'removed', 'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")')),

  // ---- KVM: the fault path ----
  same('kvm_mmu_page_fault', 'function', OLD, 'recalled', RECALLED_OLD),
  word('hva_to_pfn', 'function', at(OLD, 'gfn_to_pfn', 'verified', `${IN_229}: gfn_to_pfn() calls get_user_pages itself`), at('v2.6.34', 'hva_to_pfn', 'recalled', 'split out of gfn_to_pfn() between v2.6.30 and v2.6.34; printed from v2.6.34 (gfn_to_pfn() stays its caller)')),
  same('get_user_pages', 'function', OLD, 'verified', IN_229),
  same('kvm_release_pfn_clean', 'function', OLD, 'verified', 'used in the e930bffe95e1 diff itself'),
  word('direct_map', 'function', at(OLD, '__direct_map', 'verified', `${IN_229}; and a 2.6.38.7 tree`), at('v6.3', 'direct_map', 'verified', 'torvalds/linux arch/x86/kvm/mmu/mmu.c at 362871d74ff67f23534a5ecb448967b0507d0848 read: direct_page_fault() calls direct_map(); the id and subject are in the kernel.org post-receive list of torvalds/linux master of 2023-02-25, with "Merge tag \'kvm-x86-mmu-6.3\'" and "vfio-v6.3-rc1" (the 6.3 merge window); the same push carries a second commit of the same subject, 6c882ef4fc7b', '362871d74ff6 ("KVM: x86/mmu: Rename __direct_map() to direct_map()")')),
  same('kvm_tdp_mmu_map', 'function', 'v5.10', 'verified', 'bb18842e2111 ("kvm: x86/mmu: Add TDP MMU PF handler"), in the 5.10 KVM pull'),
  word('is_page_fault_stale()', 'function', at(OLD, 'mmu_notifier_retry()', 'verified', `${IN_229} and in a 2.6.38.7 tree`), at('v5.12', 'mmu_notifier_retry_hva()', 'verified', 'added by 4a42d848db95 (second 5.12 KVM pull)', '4a42d848db95 ("KVM: x86/mmu: Consider the hva in mmu_notifier retry")'), at('v5.16', 'is_page_fault_stale()', 'verified', 'the diff of a955cad84cda adds it', 'a955cad84cda ("KVM: x86/mmu: Retry page fault if root is invalidated by memslot update")')),
  word('make_spte()', 'function', at(OLD, 'set_spte()', 'verified', IN_229), at('v5.10', 'make_spte()', 'verified', '"kvm: x86/mmu: Separate making SPTEs from set_spte" in the 5.10 KVM pull')),
  word('kvm_mmu_faultin_pfn()', 'function', at('v5.15', 'kvm_faultin_pfn()', 'verified', '"KVM: x86/mmu: rename try_async_pf to kvm_faultin_pfn" in the 5.15 KVM pull'), at('v6.13', 'kvm_mmu_faultin_pfn()', 'verified', 'torvalds/linux arch/x86/kvm/mmu/mmu.c at 447c375c9104b5c2881a5806f26f967492cab867 read: direct_page_fault() and kvm_tdp_mmu_page_fault() call kvm_mmu_faultin_pfn() (at 362871d74ff6 they call kvm_faultin_pfn()); the id and subject are in the kvm.git post-receive list of 2024-10-25 that ends in "Merge branch \'kvm-no-struct-page\' into HEAD" (5cb1659f4120), merged for 6.13', '447c375c9104 ("KVM: x86/mmu: Add "mmu" prefix fault-in helpers to free up generic names")')),
  word('fast_page_fault', 'function', at('v3.6', 'fast_page_fault', 'recalled', 'id and subject in a Fixes: tag (2022); the full id c7ba5b48cc8ddc015a9e0463813ca1e60bc42c59 in a git.kernel.org torvalds/linux link; v7 posted 2012-06-20, after v3.5-rc1: v3.6 inferred (no 3.6 KVM pull or release tree found)', 'c7ba5b48cc8d ("KVM: MMU: fast path of handling guest page fault")')),

  // ---- mm: the fault path ----
  same('handle_mm_fault', 'function', OLD, 'verified', 'in 2.6-era code quoted on the web and in 2024/25 stack traces'),
  word('do_user_addr_fault', 'function', at(OLD, '__do_page_fault', 'verified', 'syzbot traces "__do_page_fault ... do_page_fault ... page_fault"'), at('v4.20', 'do_user_addr_fault', 'recalled', 'split out of __do_page_fault() by Dave Hansen (2018); the commit was not found')),
  same('do_anonymous_page', 'function', OLD, 'verified', 'in a 2024/25 trace; recalled for 2.6.27'),
  same('do_swap_page', 'function', OLD, 'verified', 'in the 6.1-rc1 MM pull; recalled for 2.6.27'),
  same('do_wp_page', 'function', OLD, 'verified', '828502d30073\'s diff'),
  same('do_numa_page', 'function', 'v3.8', 'verified', 'd10e63f29488 ("mm: numa: Create basic numa page hinting infrastructure")'),
  same('filemap_fault()', 'function', OLD, 'recalled', 'in a 3.15 shortlog and 2024 traces; recalled for 2.6.27'),
  same('page_mkwrite', 'function', OLD, 'recalled', 'vm_operations_struct::page_mkwrite, 2.6.x'),
  word('wp_page_copy', 'function', at(OLD, 'do_wp_page', 'verified', 'the copy was inline'), at('v4.1', 'wp_page_copy', 'verified', 'a CentOS-7 backport table keyed by mainline ids ("4.1 | 2f38ab2c3c7f")', '2f38ab2c3c7f ("mm: refactor do_wp_page, extract the page copy flow")')),
  word('wp_page_reuse', 'function', at(OLD, 'do_wp_page', 'verified', 'the reuse was inline'), at('v4.1', 'wp_page_reuse', 'verified', 'the same table', '4e047f897771 ("mm: refactor do_wp_page, extract the reuse case")')),
  word('wp_page_shared', 'function', at(OLD, 'do_wp_page', 'verified', 'the shared case was inline'), at('v4.1', 'wp_page_shared', 'verified', 'the same table', '93e478d4c36e ("mm: refactor do_wp_page handling of shared vma into a function")')),
  word('do_read_fault', 'function', at(OLD, '__do_fault', 'verified', 'one __do_fault() for read, COW and shared faults'), at('v3.15', 'do_read_fault', 'verified', 'CentOS-7 table "3.15 | e655fb29074a"', 'e655fb29074a ("mm: introduce do_read_fault()")')),
  word('do_cow_fault', 'function', at(OLD, '__do_fault', 'verified', 'one __do_fault() for read, COW and shared faults'), at('v3.15', 'do_cow_fault', 'verified', 'CentOS-7 table "3.15 | ec47c3b95430"', 'ec47c3b95430 ("mm: introduce do_cow_fault()")')),
  word('do_shared_fault', 'function', at(OLD, '__do_fault', 'verified', 'one __do_fault() for read, COW and shared faults'), at('v3.15', 'do_shared_fault', 'verified', 'CentOS-7 table "3.15 | f0c6d4d295e4"', 'f0c6d4d295e4 ("mm: introduce do_shared_fault() and drop do_fault()")')),
  word('swap_read_folio()', 'function', at(OLD, 'swap_readpage()', 'recalled', RECALLED_OLD), at('v6.8', 'swap_read_folio()', 'verified', MM_68, 'c9bdf768dd93 ("mm: convert swap_readpage() to swap_read_folio()")')),
  same('pte_offset_map_lock()', 'function', OLD, 'verified', 'KSM replace_page() in 2.6.32 and 6.16'),
  same('pte_same()', 'function', OLD, 'verified', IN_2632),
  same('ptep_clear_flush()', 'function', OLD, 'verified', 'the v3.1-rc2 mmu_notifier.h macros'),
  same('pte_unmap_unlock()', 'function', OLD, 'verified', IN_2632),
  same('set_pte_at()', 'function', OLD, 'verified', 'the v3.1-rc2 set_pte_at_notify() macro'),
  same('set_pte_at', 'function', OLD, 'verified', 'the v3.1-rc2 set_pte_at_notify() macro'),
  same('get_page', 'function', OLD, 'verified', IN_2632),
  same('put_page', 'function', OLD, 'verified', IN_2632),
  same('put_page()', 'function', OLD, 'verified', IN_2632),

  // ---- mm: rmap, reclaim, aging ----
  word('rmap_walk', 'function', at(OLD, 'vma_address', 'recalled', 'before rmap_walk() each walker (try_to_unmap_anon(), page_referenced_anon(), ...) found the address with vma_address()'), at('v2.6.33', 'rmap_walk', 'verified', 'Hugh Dickins, "[PATCH 7/9] ksm: rmap_walk to remove_migation_ptes" (2009-11-24), for the 2.6.33 merge window')),
  word('page_vma_mapped_walk()', 'function', at(OLD, 'page_check_address()', 'verified', 'the callers converted by the series'), at('v4.11', 'page_vma_mapped_walk()', 'verified', 'the mmotm since-4.10 shortlog', 'ace71a19cec5 ("mm: introduce page_vma_mapped_walk()")')),
  same('try_to_unmap_one', 'function', OLD, 'verified', 'every mm/rmap.c read'),
  word('try_to_migrate_one', 'function', at(OLD, 'try_to_unmap_one', 'verified', 'TTU_MIGRATION went through try_to_unmap_one()'), at('v5.14', 'try_to_migrate_one', 'recalled', 'still in mmotm at 5.13-rc5 (Hugh Dickins, 2021-06-11)', 'a98a2f0c8ce1 ("mm/rmap: split migration into its own function")')),
  same('ptep_clear_flush_young', 'function', OLD, 'verified', '57128468080a\'s diff'),
  same('ptep_clear_flush_young_notify()', 'function', OLD, 'verified', 'the v3.1-rc2 mmu_notifier.h'),
  same('ptep_test_and_clear_young', 'function', OLD, 'recalled', RECALLED_OLD),
  same('ptep_clear_young_notify()', 'function', 'v4.3', 'verified', '1d7715c676a1 adds it'),
  same('pte_young', 'function', OLD, 'recalled', RECALLED_OLD),
  same('pte_young()', 'function', OLD, 'recalled', RECALLED_OLD),
  same('mmu_notifier_test_young()', 'function', 'v2.6.38', 'verified', '8ee53820edfd adds it'),
  word('folio_referenced', 'function', at(OLD, 'page_referenced', 'verified', 'the function b3ac04132c4b turns into folio_referenced()'), at('v5.18', 'folio_referenced', 'verified', FOLIO_518, 'b3ac04132c4b ("mm/rmap: Turn page_referenced() into folio_referenced()")')),
  word('folio_referenced_one()', 'function', at(OLD, 'page_referenced_one()', 'verified', '2.6.3x mm/rmap.c'), at('v5.18', 'folio_referenced_one()', 'recalled', 'renamed with folio_referenced() in the same series (not read line by line)')),
  word(
    'folio_check_references()',
    'function',
    at(OLD, 'page_referenced()', 'recalled', 'shrink_page_list() tested page_referenced() inline'),
    at('v2.6.34', 'page_check_references()', 'recalled', '"vmscan: page_check_references()" (Johannes Weiner); commit and release not found'),
    at('v5.18', 'folio_check_references()', 'verified', FOLIO_518, 'd92013d1e5e4 ("mm/vmscan: Turn page_check_references() into folio_check_references()")'),
  ),
  word('shrink_folio_list', 'function', at(OLD, 'shrink_page_list', 'verified', 'renamed by 49fd9b6df54e'), at('v6.1', 'shrink_folio_list', 'verified', MM_61, '49fd9b6df54e ("mm/vmscan: fix a lot of comments")')),
  same('pageout()', 'function', OLD, 'verified', 'the name never changed (e0cd5e7ffa54 only changed its argument)'),
  same('__remove_mapping()', 'function', OLD, 'recalled', 'the name never changed (be7c07d60e13 only changed its argument); present in 2.6.27 recalled'),
  same('add_to_swap()', 'function', OLD, 'recalled', 'present through v6.x; a 2025 series folding it into folio_alloc_swap() was not checked'),
  same('migrate_pages', 'function', OLD, 'verified', 'in the 6.1-rc1 MM pull and 2025 docs'),
  word('migrate_folio', 'function', at(OLD, 'migrate_page', 'verified', 'the address_space op migrate_folio() replaced'), at('v6.0', 'migrate_folio', 'verified', 'the folio-6.0 pull read: "mm/migrate: Convert migrate_page() to migrate_folio()"')),
  word('folio_ref_freeze()', 'function', at(OLD, 'page_freeze_refs()', 'recalled', RECALLED_OLD), at('v4.6', 'page_ref_freeze()', 'recalled', 'the page_ref helpers; release recalled'), at('v5.16', 'folio_ref_freeze()', 'verified', FOLIO_516)),
  same('remove_migration_ptes()', 'function', OLD, 'verified', 'Hugh Dickins\'s 2009 posting; 4eecb8b9163d (v5.18) kept the name'),
  same('page_mkclean_one', 'function', OLD, 'verified', 'every mm/rmap.c read'),
  word('folio_clear_dirty_for_io', 'function', at(OLD, 'clear_page_dirty_for_io', 'verified', 'the function 9350f20a070d transforms'), at('v5.16', 'folio_clear_dirty_for_io', 'verified', FOLIO_516, '9350f20a070d ("mm/writeback: Add folio_clear_dirty_for_io()")')),
  word('folio_mark_dirty()', 'function', at(OLD, 'set_page_dirty()', 'verified', 'the function b5e84594cafb replaces'), at('v5.16', 'folio_mark_dirty()', 'verified', FOLIO_516, 'b5e84594cafb ("mm/writeback: Add folio_mark_dirty()")')),
  word('folio_clear_dirty()', 'function', at(OLD, 'ClearPageDirty()', 'verified', 'the page-flag macro'), at('v5.16', 'folio_clear_dirty()', 'verified', FOLIO_516)),
  word('folio_mark_accessed()', 'function', at(OLD, 'mark_page_accessed()', 'verified', 'the function 76580b6529db replaces'), at('v5.16', 'folio_mark_accessed()', 'verified', FOLIO_516, '76580b6529db ("mm/swap: Add folio_mark_accessed()")')),
  same('page_idle_clear_pte_refs', 'function', 'v4.3', 'verified', '33c3fc71c8cf ("mm: introduce idle page tracking")'),
  same('page_idle_clear_pte_refs_one()', 'function', 'v4.3', 'verified', '33c3fc71c8cf ("mm: introduce idle page tracking")'),
  word('hpage_collapse_scan_pmd', 'function', at('v2.6.38', 'khugepaged_scan_pmd', 'verified', 'mm/huge_memory.c of the THP series'), at('v6.1', 'hpage_collapse_scan_pmd', 'verified', `${MM_61}: "mm/khugepaged: rename prefix of shared collapse functions"`)),
  word('folio_add_anon_rmap_pte', 'function', at(OLD, 'page_add_anon_rmap', 'verified', 'removed by 84f0169e6c8a'), at('v6.8', 'folio_add_anon_rmap_pte', 'verified', RMAP_68, '8bd5130070fb ("mm/rmap: introduce folio_add_anon_rmap_[pte|ptes|pmd]()")')),
  word('folio_add_new_anon_rmap', 'function', at(OLD, 'page_add_new_anon_rmap', 'verified', 'removed in 6.8'), at('v6.8', 'folio_add_new_anon_rmap', 'verified', `${RMAP_68}: "mm: remove page_add_new_anon_rmap and lru_cache_add_inactive_or_unevictable"`)),
  word('folio_remove_rmap_pte', 'function', at(OLD, 'page_remove_rmap', 'verified', 'removed by 4d8f7418e8ba'), at('v6.8', 'folio_remove_rmap_pte', 'verified', RMAP_68, 'b06dc281aa99 ("mm/rmap: introduce folio_remove_rmap_[pte|ptes|pmd]()")')),

  // ---- mm: madvise, munmap, mprotect, fork, exit ----
  same('madvise_free_single_vma', 'function', 'v4.5', 'verified', '854e9ed09ded; the name in 2025 diffs'),
  same('madvise_free_pte_range', 'function', 'v4.5', 'verified', '854e9ed09ded; the 6.1-rc1 MM pull'),
  word(
    'folio_mark_lazyfree()',
    'function',
    at('v4.5', 'deactivate_page()', 'verified', 'the v4.5-v4.11 MADV_FREE path'),
    at('v4.12', 'mark_page_lazyfree()', 'verified', 'added with the lazyfree rework', 'f7ad2a6cb9f7 ("mm: move MADV_FREE pages into LRU_INACTIVE_FILE list")'),
    at('v6.3', 'folio_mark_lazyfree()', 'verified', MM_63, '6a6fe9ebd571 ("mm: swap: convert mark_page_lazyfree() to folio_mark_lazyfree()")'),
  ),
  word('madvise_dontneed_single_vma', 'function', at(OLD, 'madvise_dontneed', 'verified', 'a 2017 posting against 4.11 patches madvise_dontneed()'), at('v4.13', 'madvise_dontneed_single_vma', 'recalled', 'introduced by "userfaultfd: non-cooperative: add madvise() event for MADV_FREE request", posted 2017-06-19 for 4.13; mainline id not seen')),
  word('zap_page_range_single', 'function', at(OLD, 'zap_page_range', 'verified', 'madvise_dontneed() called zap_page_range()'), at('v6.3', 'zap_page_range_single', 'verified', MM_63, 'e9adcfecf572 ("mm: remove zap_page_range and create zap_vma_pages")')),
  same('zap_pte_range', 'function', OLD, 'recalled', RECALLED_OLD),
  same('tlb_finish_mmu()', 'function', OLD, 'verified', 'ae8eba8b5d72 (v5.12) dropped its start/end arguments, not its name'),
  same('unmap_vmas()', 'function', OLD, 'verified', 'a 2.6-era oops "unmap_vmas+0x1c0/0x200"'),
  same('unmap_vmas', 'function', OLD, 'verified', 'a 2.6-era oops "unmap_vmas+0x1c0/0x200"'),
  same('unmap_region', 'function', OLD, 'verified', 'in mm/mmap.c, moved to mm/vma.c in v6.12 (6.12-rc1 MM pull)'),
  word(
    'do_vmi_munmap',
    'function',
    at(OLD, 'do_munmap', 'verified', 'the 2.6-era worker'),
    at('v4.20', '__do_munmap', 'verified', '"during the 4.20 merge window" (Dave Hansen); Yang Shi\'s series'),
    at('v6.1', 'do_mas_munmap', 'verified', `${MM_61}: "mm/mmap: reorganize munmap to use maple states"`),
    at('v6.3', 'do_vmi_munmap', 'verified', MM_63, '183654ce26a5 ("mmap: change do_mas_munmap and do_mas_aligned_munmap() to use vma iterator")'),
  ),
  same('mprotect_fixup', 'function', OLD, 'verified', 'the name in 2025 docs; recalled for 2.6.27'),
  same('change_protection', 'function', OLD, 'verified', 'the NUMA pull builds change_prot_numa() on it'),
  same('change_pte_range', 'function', OLD, 'verified', 'the name in 2025 docs; recalled for 2.6.27'),
  same('change_prot_numa', 'function', 'v3.8', 'verified', 'the Automatic NUMA Balancing pull for 3.8'),
  same('vm_flags', 'field', OLD, 'verified', 'struct vm_area_struct'),
  same('copy_process()', 'function', OLD, 'recalled', RECALLED_OLD),
  same('dup_mmap', 'function', OLD, 'verified', 'in the 6.1-rc1 and 6.8-rc1 pulls; recalled for 2.6.27'),
  same('copy_page_range', 'function', OLD, 'verified', 'Jason Gunthorpe, 2020; recalled for 2.6.27'),
  same('do_exit', 'function', OLD, 'verified', 'a 2.6-era oops "... mmput+0x2d/0xc0 / do_exit"'),
  same('exit_mmap', 'function', OLD, 'verified', 'a 2.6-era oops and a 6.6 trace'),
  same('exit_mmap()', 'function', OLD, 'verified', 'a 2.6-era oops and a 6.6 trace'),
  same('mmput()', 'function', OLD, 'verified', 'a 2.6-era oops'),
  same('flush_tlb_mm()', 'function', OLD, 'recalled', RECALLED_OLD),
  same('flush_tlb_range()', 'function', OLD, 'recalled', RECALLED_OLD),

  // ---- KSM ----
  same('cmp_and_merge_page', 'function', 'v2.6.32', 'verified', '31dbd01f3143; the name in 2025'),
  same('try_to_merge_one_page', 'function', 'v2.6.32', 'verified', 'a 2.6.3x posting and v6.16 mm/ksm.c'),
  same('write_protect_page', 'function', 'v2.6.32', 'verified', 'v2.6.32 mm/ksm.c and v6.16'),
  same('replace_page', 'function', 'v2.6.32', 'verified', 'v2.6.32 mm/ksm.c and v6.16'),
  same('memcmp_pages()', 'function', 'v2.6.32', 'verified', 'a 2.6.3x posting and v6.16'),
  same('pages_identical', 'function', 'v2.6.32', 'verified', 'a 2.6.3x posting and v6.16'),
  word('folio_walk_start()', 'function', at('v2.6.32', 'follow_page(FOLL_GET)', 'verified', 'get_mergeable_page() in 2.6.3x KSM'), at('v6.12', 'folio_walk_start()', 'verified', '"mm/ksm: convert get_mergeable_page() from follow_page() to folio_walk" in the 6.12-rc1 MM pull')),
  word('folio_trylock()', 'function', at(OLD, 'trylock_page()', 'verified', 'not in v2.6.26; 529ae9aaa083 ("mm: rename page trylock"), 2008-08-02'), at('v5.16', 'folio_trylock()', 'verified', FOLIO_516)),
  word('folio_unlock()', 'function', at(OLD, 'unlock_page()', 'verified', IN_2632), at('v5.16', 'folio_unlock()', 'verified', FOLIO_516)),
  word(
    'folio_set_stable_node()',
    'function',
    at('v2.6.32', 'set_page_stable_node()', 'recalled', 'v2.6.32 had no such step (it merged into a newly allocated KSM page); the model runs the v2.6.33 merge there and names it as v2.6.33 does'),
    at('v2.6.33', 'set_page_stable_node()', 'verified', 'not in v2.6.32 (RHEL 6 backports it onto 2.6.32); "ksm: stable_node point to page and back", 2009-11-12, for 2.6.33'),
    at('v6.10', 'folio_set_stable_node()', 'verified', '"mm/ksm: replace set_page_stable_node by folio_set_stable_node" in the 6.10-rc1 MM pull'),
  ),
  // Call sites of try_to_merge_one_page() that kept the page names after v5.16 (see the header).
  word(
    'folio_trylock(folio)',
    'function',
    at('v2.6.32', 'trylock_page(page)', 'verified', `trylock_page(oldpage) in the 2009 posting of mm/ksm.c as merged for 2.6.32; ${KSM_PAGE_CALLS}`),
    at('v6.13', 'folio_trylock(folio)', 'verified', KSM_FOLIO_613_READ, KSM_FOLIO_613),
  ),
  word(
    'folio_unlock(folio)',
    'function',
    at('v2.6.32', 'unlock_page(page)', 'verified', `unlock_page(oldpage) in the 2009 posting of mm/ksm.c as merged for 2.6.32; ${KSM_PAGE_CALLS}`),
    at('v6.13', 'folio_unlock(folio)', 'verified', KSM_FOLIO_613_READ, KSM_FOLIO_613),
  ),
  word(
    'folio_mark_accessed(folio)',
    'function',
    at('v2.6.32', 'mark_page_accessed(page)', 'recalled', KSM_AS_2633),
    at('v2.6.33', 'mark_page_accessed(page)', 'verified', `${KSM_SHARE_ANON}; ${KSM_PAGE_CALLS}`),
    at('v6.13', 'folio_mark_accessed(folio)', 'verified', KSM_FOLIO_613_READ, KSM_FOLIO_613),
  ),
  word(
    'folio_mark_dirty(folio)',
    'function',
    at(
      'v2.6.32',
      'PG_dirty',
      'verified',
      `no call: the model sets PG_dirty, the kernel did not dirty the page here before v4.5. ${KSM_SHARE_ANON}, and no dirtying (it removes the SetPageDirty(kpage) of the allocated KSM page); a stored 3.x mm/ksm.c has none either. Reclaim dirtied an anon page in add_to_swap() then; the model skips KSM pages in reclaim and marks the page dirty at every release. Only the flag is printed: the vocabulary test takes every word of a name for a kernel name`,
    ),
    at(
      'v4.5',
      'SetPageDirty(page)',
      'recalled',
      'Minchan Kim, "[PATCH v3 07/17] mm: mark stable page dirty in KSM" (2015-11-12, comment by Hugh Dickins) read: "if (!PageDirty(page)) SetPageDirty(page)", for MADV_FREE, whose reclaim frees a clean anon page; v4.5 is that of its series (854e9ed09ded, MADV_FREE); the mainline id was not found (searched: the subject as a Fixes: tag or quoted id, kernel.org push lists, git web logs of mm/ksm.c)',
    ),
    at('v6.13', 'folio_mark_dirty(folio)', 'verified', `${KSM_FOLIO_613_READ}: "if (!folio_test_dirty(folio)) folio_mark_dirty(folio)"`, KSM_FOLIO_613),
  ),
];
