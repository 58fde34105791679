// The names a trace prints, by release: tools/memory-model's linux-kernel.def, for history.
// The engine spells every step in the newest kernel's words (the `word`); a run at an older
// release prints what that release called the same thing. Names are per release, not per
// call site: where a kernel kept an old wrapper, the newer name may be printed for a call site
// that still used the wrapper. Where a call site is known to have lagged, it has a word of its
// own, spelt with its argument (`folio_trylock(folio)` for KSM's try_to_merge_one_page(), which
// kept trylock_page(page) until v6.13): the longer word wins over `folio_trylock()`. The test
// in test/vocabulary.test.ts runs the catalog at every release and fails on a name the
// vocabulary does not give for that release.
import type { Read, Status, Word } from '../../src/contract/era.js';
import { readAt, readIn } from './sources.js';

type Since = Word['since'][number];
/** What else a name's entry says: the releases that bound it (status `between`), a note. */
type Extra = { between?: [string, string]; note?: string };
const at = (release: string, name: string | null, status: Status, read: Read[], commit?: string, extra: Extra = {}): Since => ({ release, name, ...(commit ? { commit } : {}), status, read, ...extra });
const word = (w: string, kind: Word['kind'], ...since: Since[]): Word => ({ word: w, kind, since });
/** A name that has not changed since it arrived. */
const same = (w: string, kind: Word['kind'], release: string, status: Status, read: Read[], extra: Extra = {}): Word => word(w, kind, at(release, w, status, read, undefined, extra));

const OLD = 'v2.6.27';
/** struct mmu_notifier_ops at v2.6.27 (allwinner/linux-2.6.36 at the release commit). */
const OPS_27 = readAt('v2.6.27', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*release)(...) (l.50); int (*clear_flush_young)(...) (l.60); void (*invalidate_page)(...) (l.71); void (*invalidate_range_start)(...) (l.118); void (*invalidate_range_end)(...) (l.121)');
const KSM_NOTIFY_WORD = '828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")';
const FOLIO_516 = 'the "Memory folios" pull (tag folio-5.16) read';
const MM_61 = '"[GIT PULL] MM updates for 6.1-rc1" read';
const MM_63 = '"[GIT PULL] MM updates for 6.3-rc1" read';
const MM_68 = '"[GIT PULL] MM updates for 6.8-rc1" read';
const FOLIO_518 = 'the 5.18 folio commits in a mainline log after "Linux 5.17" read';
const RENAME_60 = '20ec3ebd707c ("KVM: Rename mmu_notifier_* to mmu_invalidate_*")';
const RMAP_68 = 'the "mm/rmap: interface overhaul" in the 6.8-rc1 MM pull read';
const KSM_FOLIO_613 = '9c0a1b99e391 ("ksm: use a folio in try_to_merge_one_page()")';
const KSM_FOLIO_613_READ =
  'Matthew Wilcox (Oracle) in "[GIT PULL] MM updates for 6.13-rc1"; the full id 9c0a1b99e3919f5fddeeaf96b36f86ccc5cc2a10 in the kernel.org post-receive list of torvalds/linux master of 2024-11-23, which ends in 5c00ff742bf5 ("Merge tag \'mm-stable-2024-11-18-19-27\'"): the 6.13 merge window; the folio calls read in later mm/ksm.c (v6.18 and a stored copy; the commit\'s diff itself not read)';
const KSM_AS_2633 = 'v2.6.32 merged into a newly allocated KSM page; the model runs the v2.6.33 merge there and names it as v2.6.33 does';

// ---- Reads for the words from "locks and fields" to "mm: the fault path" ----
// v2.6.27: allwinner/linux-2.6.36 at the release commit.
const K27_MMU_LOCK = readAt(OLD, 'include/linux/kvm_host.h', 'struct kvm', 'spinlock_t mmu_lock;');
const K27_SEQ = readAt(OLD, 'include/linux/kvm_host.h', 'struct kvm', 'unsigned long mmu_notifier_seq; long mmu_notifier_count; (no range fields)');
const K27_RANGE_START = readAt(
  OLD,
  'virt/kvm/kvm_main.c',
  'kvm_mmu_notifier_invalidate_range_start',
  'spin_lock(&kvm->mmu_lock); kvm->mmu_notifier_count++; for (; start < end; start += PAGE_SIZE) need_tlb_flush |= kvm_unmap_hva(kvm, start); ... kvm_flush_remote_tlbs(kvm);',
);
const K27_RANGE_END = readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_invalidate_range_end', 'kvm->mmu_notifier_seq++; ... kvm->mmu_notifier_count--;');
const K27_INVALIDATE_PAGE = readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_invalidate_page', 'kvm->mmu_notifier_seq++; need_tlb_flush = kvm_unmap_hva(kvm, address);');
const K27_CLEAR_FLUSH_YOUNG = readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_clear_flush_young', 'young = kvm_age_hva(kvm, address); if (young) kvm_flush_remote_tlbs(kvm);');
const K27_OPS = readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', '.invalidate_page, .invalidate_range_start, .invalidate_range_end, .clear_flush_young (no .release)');
const K27_TDP_FAULT = readAt(
  OLD,
  'arch/x86/kvm/mmu.c',
  'tdp_page_fault',
  'mmu_seq = vcpu->kvm->mmu_notifier_seq; pfn = gfn_to_pfn(vcpu->kvm, gfn); ... if (mmu_notifier_retry(vcpu, mmu_seq)) goto out_unlock; r = __direct_map(vcpu, gpa, ...); ... out_unlock: spin_unlock(&vcpu->kvm->mmu_lock); kvm_release_pfn_clean(pfn); return 0;',
);
const K27_GFN_TO_PFN = readAt(OLD, 'virt/kvm/kvm_main.c', 'gfn_to_pfn', 'npages = get_user_pages(current, current->mm, addr, 1, 1, 1, page, NULL);');
const K29_RELEASE = readAt('v2.6.29', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_release', 'static void kvm_mmu_notifier_release(struct mmu_notifier *mn, struct mm_struct *mm) { ... kvm_arch_flush_shadow(kvm); }');
const K32_CHANGE_PTE = readAt('v2.6.32', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_change_pte', 'static void kvm_mmu_notifier_change_pte(...): kvm_set_spte_hva(kvm, address, pte);');
const FAULT_27_LOCK = readAt(OLD, 'arch/x86/mm/fault.c', 'do_page_fault', 'if (!down_read_trylock(&mm->mmap_sem)) { ... down_read(&mm->mmap_sem); } ... up_read(&mm->mmap_sem);');
const KSM_32_LOCK = readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_with_ksm_page', 'down_read(&mm1->mmap_sem); ... up_read(&mm1->mmap_sem);');
const FORK_27_LOCK = readAt(OLD, 'kernel/fork.c', 'dup_mmap', 'down_write(&oldmm->mmap_sem); ... down_write_nested(&mm->mmap_sem, SINGLE_DEPTH_NESTING); ... up_write(&mm->mmap_sem); up_write(&oldmm->mmap_sem);');
const PAGE_27 = readAt(OLD, 'include/linux/mm_types.h', 'struct page', 'struct page { ... }: no folio');
const SPTE_27 = readAt(OLD, 'arch/x86/kvm/mmu.c', 'rmap_add', 'static void rmap_add(struct kvm_vcpu *vcpu, u64 *spte, gfn_t gfn, int lpage)');
const WP_27 = readAt(OLD, 'mm/memory.c', 'do_wp_page', 'static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, ...): the reuse, the shared (page_mkwrite) and the copy cases inline');
const DO_FAULT_27 = readAt(OLD, 'mm/memory.c', '__do_fault, do_linear_fault', 'static int __do_fault(struct mm_struct *mm, struct vm_area_struct *vma, ...) serves read, COW and shared faults; do_linear_fault() calls it');
const SET_PTE_AT_27 = readAt(OLD, 'mm/memory.c', 'do_anonymous_page', 'set_pte_at(mm, address, page_table, entry);');
const PUT_PAGE_27 = readAt(OLD, 'mm/swap.c', 'put_page', 'void put_page(struct page *page)');
const PUT_PAGE_KVM_27 = readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_release_pfn_clean', 'if (pfn_valid(pfn)) put_page(pfn_to_page(pfn));');
// v5.7 -> v5.8: the mmap_lock API at the call sites the model prints.
const ADJ_58 = 'v5.7.14 and v5.8.1 bound it (adjacent releases); git describe v5.7-13158-gda1c55f1b272 (v5.8-rc1)';
const MMAP_API_58 =
  'v5.7.14 and v5.8.1 bound it (adjacent releases) at the call sites the model prints (the x86 fault handler, KSM, dup_mmap()); the API came with 9740ca4e95b4 ("mmap locking API: initial implementation as rwsem wrappers") and the call sites were converted in the same v5.8 series (that commit was not identified)';
const VMA_LOCK_NOTE =
  'from v6.5 at least (read in v6.5 and v6.12) the x86 fault handler first tries lock_vma_under_rcu() and takes mmap_lock only through lock_mm_and_find_vma(); the model prints mmap_read_lock() at every release';
const FAULT_57_LOCK = readAt('v5.7.14', 'arch/x86/mm/fault.c', 'do_user_addr_fault', 'if (unlikely(!down_read_trylock(&mm->mmap_sem))) { ... down_read(&mm->mmap_sem); ... up_read(&mm->mmap_sem);');
const FAULT_58_LOCK = readAt('v5.8.1', 'arch/x86/mm/fault.c', 'do_user_addr_fault', 'if (unlikely(!mmap_read_trylock(mm))) { ... mmap_read_lock(mm); ... mmap_read_unlock(mm);');
const KSM_57_LOCK = readAt('v5.7.14', 'mm/ksm.c', 'try_to_merge_with_ksm_page', 'down_read(&mm->mmap_sem); ... up_read(&mm->mmap_sem);');
const KSM_58_LOCK = readAt('v5.8.1', 'mm/ksm.c', 'try_to_merge_with_ksm_page', 'mmap_read_lock(mm); ... mmap_read_unlock(mm);');
const FORK_57_LOCK = readAt('v5.7.14', 'kernel/fork.c', 'dup_mmap', 'if (down_write_killable(&oldmm->mmap_sem)) ... down_write_nested(&mm->mmap_sem, SINGLE_DEPTH_NESTING); ... up_write(&mm->mmap_sem); up_write(&oldmm->mmap_sem);');
const FORK_58_LOCK = readAt('v5.8.1', 'kernel/fork.c', 'dup_mmap', 'if (mmap_write_lock_killable(oldmm)) ... mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING); ... mmap_write_unlock(mm); mmap_write_unlock(oldmm);');
// KVM's invalidation fields: 4a42d848db95 (v5.12), 20ec3ebd707c (v6.0).
const RETRY_HVA_512 = '4a42d848db95 ("KVM: x86/mmu: Consider the hva in mmu_notifier retry")';
const RETRY_HVA_512_NOTE = 'v5.11 and v5.12.9 bound it (adjacent releases); 4a42d848db95 is in the second 5.12 KVM pull';
const KVM_511_NO_RANGE = readAt('v5.11', 'include/linux/kvm_host.h', 'struct kvm', 'mmu_notifier_seq and mmu_notifier_count; no range fields');
const KVM_5129_RANGE = readAt('v5.12.9', 'include/linux/kvm_host.h', 'struct kvm, mmu_notifier_retry_hva', 'unsigned long mmu_notifier_range_start; unsigned long mmu_notifier_range_end;');
const KVM_519 = readAt('v5.19', 'include/linux/kvm_host.h', 'struct kvm', 'unsigned long mmu_notifier_seq; long mmu_notifier_count; unsigned long mmu_notifier_range_start; unsigned long mmu_notifier_range_end;');
const KVM_60 = readAt('v6.0', 'include/linux/kvm_host.h', 'struct kvm', 'unsigned long mmu_invalidate_seq; long mmu_invalidate_in_progress; unsigned long mmu_invalidate_range_start; unsigned long mmu_invalidate_range_end;');
const KVM_60_FAULT = readAt('v6.0', 'arch/x86/kvm/mmu/mmu.c', 'direct_page_fault', 'mmu_seq = vcpu->kvm->mmu_invalidate_seq;');
const RENAME_60_NOTE =
  'v5.19 and v6.0 bound it (adjacent releases); a 6.0-rc1 tree (sun363587351/linux-6.0, Makefile 6.0.0-rc1) still has mmu_notifier_seq, so the rename was merged after rc1 (it is in the Linux 6.0-rc2 shortlog); the full id 20ec3ebd707c77fb9b11b37193449193d4649f33 is in kernel.org post-receive lists';
// The gfn-based notifier walkers (v5.13) and the end of .change_pte (v6.10): no tree of either release was found.
const GFN_513 = '3039bcc74498 ("KVM: Move x86\'s MMU notifier memslot walkers to generic code")';
const GFN_513_NOTE =
  'absent in v5.12.9, present in v5.14-rc5; no 5.13 tree was found. The full ids 3039bcc744980afe87c612122e47a27306483bc2 and b4c5936c47f86295cc76672e8dbeeca8b2379ba6 ("KVM: Kill off the old hva-based MMU notifier callbacks") are in the kernel.org post-receive list of groeck/linux-staging master of 2021-05-02, a tree that follows mainline, pushed in the 5.13 merge window; later fixes of 3039bcc74498 are tagged "Cc: stable@vger.kernel.org # v5.13+"';
const K69_CHANGE_PTE = readAt('v6.9', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_change_pte', 'static void kvm_mmu_notifier_change_pte(...); arch/x86/kvm/mmu/mmu.c: bool kvm_set_spte_gfn(struct kvm *kvm, struct kvm_gfn_range *range)');
const K610_NO_CHANGE_PTE = readIn(
  'msgeden/cryptocap-arm64-linux-6.10',
  '449e07155be2',
  'virt/kvm/kvm_main.c',
  'kvm_mmu_notifier_ops',
  'absent: .invalidate_range_start, .invalidate_range_end, .clear_flush_young, .clear_young, .test_young, .release; no kvm_set_spte_gfn() in arch/x86/kvm/mmu/mmu.c (Makefile 6.10.0)',
);
const CHANGE_PTE_610 =
  'v6.9 has it, a 6.10 tree (a research fork, read at its first commit, "first commit") does not: v6.10 (adjacent releases; v6.12 lacks it too). The full id f3b65bbaed7c43d10989380d4b95e2a3e9fe5a6b is in the kvm.git post-receive list of 2024-04-11 (kvm-coco-queue) and the linux-next one of 2024-04-12, before the 6.10 merge window';
// v5.15 -> v5.16: no plain 5.16 tree was found.
const PS4_5161 = 'DFAUS-git/ps4-linux-kernel-5.16.10-belize';
const PS4_5161_NOTE = 'absent in v5.15, present in a 5.16.10 tree (a PS4 port whose kernel files were imported in one commit): v5.16 (no later than 5.16)';
const NO_FOLIO_515 = readAt('v5.15', 'include/linux/mm_types.h', 'struct folio', 'absent');
const FOLIO_5161 = readIn(PS4_5161, 'f9b225b4bd77', 'include/linux/mm_types.h', 'struct folio', 'struct folio {');
const FOLIO_516_NOTE = `${PS4_5161_NOTE}; ${FOLIO_516}`;
// do_wp_page() split (v4.1) and __do_fault() split (v3.15).
const WP_40 = readAt('v4.0', 'mm/memory.c', 'do_wp_page', 'static int do_wp_page(...); no wp_page_reuse(), wp_page_copy(), wp_page_shared()');
const WP_41 = readIn('BruceBushby/linux-4.1', '287ca838bff0', 'mm/memory.c', 'wp_page_reuse, wp_page_copy, wp_page_shared', 'static inline int wp_page_reuse(...); static int wp_page_copy(...); static int wp_page_shared(...) (Makefile 4.1.0-rc6)');
const WP_41_NOTE = 'absent in v4.0, present in a 4.1-rc6 tree: v4.1; the id from a CentOS-7 backport table keyed by mainline ids ("4.1 | ...")';
const DO_FAULT_314 = readAt('v3.14.1', 'mm/memory.c', '__do_fault, do_linear_fault', 'static int __do_fault(...); do_linear_fault(); no do_read_fault(), do_cow_fault(), do_shared_fault()');
const DO_FAULT_315 = readIn(
  'pradeep0605/CS736_Eager_paging_linux-3.15.5',
  'a9bdf583266c',
  'mm/memory.c',
  'do_read_fault, do_cow_fault, do_shared_fault',
  'static int do_read_fault(...); static int do_cow_fault(...); static int do_shared_fault(...) (Makefile 3.15.5)',
);
const DO_FAULT_315_NOTE = 'absent in v3.14.1, present in a 3.15.5 tree (a research fork, read at its base commit "Base"): v3.15 (no later than 3.15); the id from a CentOS-7 backport table keyed by mainline ids ("3.15 | ...")';

// ---- Reads for the call-site words of the PTE flush and write (KSM, the COW break) and of KVM's GUP ----
const KSM_NOTIFY_828 = '828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")';
const KSM_NOTIFY_828_NOTE = 'its diff turns do_wp_page()\'s ptep_clear_flush_notify(); set_pte_at() into ptep_clear_flush(); set_pte_at_notify() (git show in allwinner/linux-2.6.36); an ancestor of the v2.6.32 release commit, not of v2.6.31\'s';
const INV_RANGE_319 = '34ee645e83b6 ("mmu_notifier: call mmu_notifier_invalidate_range() from VMM")';
const INV_RANGE_319_NOTE =
  'v3.18.30 and v3.19 bound it (adjacent releases; the 3.19.0 tree monkeygq/linux-3.19 is its first commit "master/init: first commit" plus one that removes tools/perf/PERF-FEATURES); the id from a CentOS-7 backport table keyed by mainline ids ("3.19 | 34ee645e83b6 | mmu_notifier: call mmu_notifier_invalidate_range() from VMM"). From then ptep_clear_flush_notify() is ptep_clear_flush() then mmu_notifier_invalidate_range() (.invalidate_range, which the model does not model), no longer .invalidate_page';
const NOTIFY_FLUSH_66 = 'ec8832d007cb ("mmu_notifiers: don\'t invalidate secondary TLBs as part of mmu_notifier_invalidate_range_end()")';
const NOTIFY_FLUSH_66_NOTE =
  'v6.5 and v6.6.0 bound it (adjacent releases; the 6.6.0 tree xie1111111/linux-6.6-opensbi-mllb has the kernel under linux-6.6/, imported in its first commit "Initial commit: Add linux-6.6 and opensbi", and later commits touch mm/ only to remove compiled files ("Remove compiled files"), include/linux/mmu_notifier.h not at all); Jann Horn (2025-05-23): "Commit ec8832d007cb ... removed the main definitions of {ptep,pmdp_huge,pudp_huge}_clear_flush_notify; just their !CONFIG_MMU_NOTIFIER" stubs remained; the full id ec8832d007cb7b50229ad5745eec35b847cc9120 in a post-receive list with 1af5a8109904 ("mmu_notifiers: rename invalidate_range notifier")';
const V66_TREE = 'xie1111111/linux-6.6-opensbi-mllb';
const V66_AT = '8c48c42b75bd';
const V610_TREE = 'msgeden/cryptocap-arm64-linux-6.10';
const V610_AT = '449e07155be2';
const KVM_ASYNC_FIRST =
  'x86 asks with &async first (try_async_pf() from v2.6.38, kvm_faultin_pfn() later; v6.13: FOLL_NOWAIT), so the page is got by a lockless fast path tried first from v2.6.38 (__get_user_pages_fast(), in hva_to_pfn_fast() from v3.7, later get_user_page_fast_only()), which takes a present PTE that allows the access, or else by this call; only when it needs I/O does x86 set up an async page fault or call again synchronously: get_user_pages_fast() (v2.6.39-v3.17), kvm_get_user_page_io() (v3.18.30, v3.19), __get_user_pages_unlocked() (v4.0-v4.9), get_user_pages_unlocked() (from v4.10). The model faults the page in within one call';

export const WORDS: readonly Word[] = [
  // ---- locks and fields ----
  word(
    'mmap_lock',
    'lock',
    at(OLD, 'mmap_sem', 'verified', [readAt(OLD, 'include/linux/mm_types.h', 'struct mm_struct', 'struct rw_semaphore mmap_sem;')]),
    at('v5.8', 'mmap_lock', 'verified', [readAt('v5.7.14', 'include/linux/mm_types.h', 'struct mm_struct', 'struct rw_semaphore mmap_sem;'), readAt('v5.8.1', 'include/linux/mm_types.h', 'struct mm_struct', 'struct rw_semaphore mmap_lock;')], 'da1c55f1b272 ("mmap locking API: rename mmap_sem to mmap_lock")', { note: ADJ_58 }),
  ),
  word(
    'mmap_read_lock()',
    'function',
    at(OLD, 'down_read(&mm->mmap_sem)', 'verified', [FAULT_27_LOCK, KSM_32_LOCK]),
    at('v5.8', 'mmap_read_lock()', 'verified', [FAULT_57_LOCK, FAULT_58_LOCK, KSM_57_LOCK, KSM_58_LOCK], undefined, { note: `${MMAP_API_58}; ${VMA_LOCK_NOTE}` }),
  ),
  word(
    'mmap_read_unlock()',
    'function',
    at(OLD, 'up_read(&mm->mmap_sem)', 'verified', [FAULT_27_LOCK, KSM_32_LOCK]),
    at('v5.8', 'mmap_read_unlock()', 'verified', [FAULT_57_LOCK, FAULT_58_LOCK, KSM_57_LOCK, KSM_58_LOCK], undefined, { note: MMAP_API_58 }),
  ),
  word(
    'mmap_write_lock()',
    'function',
    at(OLD, 'down_write(&mm->mmap_sem)', 'verified', [FORK_27_LOCK]),
    at('v5.8', 'mmap_write_lock()', 'verified', [FORK_57_LOCK, FORK_58_LOCK], undefined, { note: `${MMAP_API_58}; dup_mmap() takes the parent's lock killable (down_write_killable(), then mmap_write_lock_killable()), the model prints the plain lock` }),
  ),
  word(
    'mmap_write_unlock()',
    'function',
    at(OLD, 'up_write(&mm->mmap_sem)', 'verified', [FORK_27_LOCK]),
    at('v5.8', 'mmap_write_unlock()', 'verified', [FORK_57_LOCK, FORK_58_LOCK], undefined, { note: MMAP_API_58 }),
  ),
  same('mmu_lock', 'lock', OLD, 'verified', [K27_MMU_LOCK, K27_RANGE_START]),
  same('kvm->mmu_lock', 'lock', OLD, 'verified', [K27_MMU_LOCK, K27_RANGE_START]),
  same('PTL', 'lock', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'pte_offset_map_lock', 'spinlock_t *__ptl = pte_lockptr(mm, pmd); ... spin_lock(__ptl);')]),
  word('mmu_invalidate_seq', 'field', at(OLD, 'mmu_notifier_seq', 'verified', [K27_SEQ, K27_RANGE_END]), at('v6.0', 'mmu_invalidate_seq', 'verified', [KVM_519, KVM_60, KVM_60_FAULT], RENAME_60, { note: RENAME_60_NOTE })),
  word('kvm->mmu_invalidate_seq', 'field', at(OLD, 'kvm->mmu_notifier_seq', 'verified', [K27_SEQ, K27_RANGE_END]), at('v6.0', 'kvm->mmu_invalidate_seq', 'verified', [KVM_519, KVM_60, KVM_60_FAULT], RENAME_60, { note: RENAME_60_NOTE })),
  word('mmu_invalidate_in_progress', 'field', at(OLD, 'mmu_notifier_count', 'verified', [K27_SEQ, K27_RANGE_START]), at('v6.0', 'mmu_invalidate_in_progress', 'verified', [KVM_519, KVM_60], RENAME_60, { note: RENAME_60_NOTE })),
  word('kvm->mmu_invalidate_in_progress', 'field', at(OLD, 'kvm->mmu_notifier_count', 'verified', [K27_SEQ, K27_RANGE_START]), at('v6.0', 'kvm->mmu_invalidate_in_progress', 'verified', [KVM_519, KVM_60], RENAME_60, { note: RENAME_60_NOTE })),
  word(
    'kvm->mmu_invalidate_range_start',
    'field',
    at(OLD, null, 'verified', [K27_SEQ]),
    at('v5.12', 'kvm->mmu_notifier_range_start', 'verified', [KVM_511_NO_RANGE, KVM_5129_RANGE], RETRY_HVA_512, { note: RETRY_HVA_512_NOTE }),
    at('v6.0', 'kvm->mmu_invalidate_range_start', 'verified', [KVM_519, KVM_60], RENAME_60, { note: RENAME_60_NOTE }),
  ),
  word(
    'kvm->mmu_invalidate_range_end',
    'field',
    at(OLD, null, 'verified', [K27_SEQ]),
    at('v5.12', 'kvm->mmu_notifier_range_end', 'verified', [KVM_511_NO_RANGE, KVM_5129_RANGE], RETRY_HVA_512, { note: RETRY_HVA_512_NOTE }),
    at('v6.0', 'kvm->mmu_invalidate_range_end', 'verified', [KVM_519, KVM_60], RENAME_60, { note: RENAME_60_NOTE }),
  ),

  // ---- types ----
  word('folio', 'type', at(OLD, 'page', 'verified', [PAGE_27]), at('v5.16', 'folio', 'verified', [NO_FOLIO_515, FOLIO_5161], undefined, { note: FOLIO_516_NOTE })),
  word('folios', 'type', at(OLD, 'pages', 'verified', [PAGE_27]), at('v5.16', 'folios', 'verified', [NO_FOLIO_515, FOLIO_5161], undefined, { note: FOLIO_516_NOTE })),
  same('spte', 'type', OLD, 'verified', [SPTE_27]),
  same('sptes', 'type', OLD, 'verified', [SPTE_27]),
  same('PTE', 'type', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'do_anonymous_page', 'pte_t entry; ... page_table = pte_offset_map_lock(mm, pmd, address, &ptl);')]),
  same('PG_dirty', 'constant', OLD, 'verified', [readAt(OLD, 'include/linux/page-flags.h', 'enum pageflags', 'PG_dirty,')]),
  same('VM_WRITE', 'constant', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'VM_WRITE', '#define VM_WRITE	0x00000002')]),
  same('PROT_NONE', 'constant', OLD, 'verified', [readAt(OLD, 'include/asm-generic/mman.h', 'PROT_NONE', '#define PROT_NONE	0x0		/* page can not be accessed */')]),
  same('FOLL_WRITE', 'constant', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'FOLL_WRITE', '#define FOLL_WRITE	0x01	/* check pte is writable */'), K27_GFN_TO_PFN], {
    note: 'the model prints what hva_to_pfn asks for as get_user_pages_unlocked(FOLL_WRITE) at every release (its word gives the function\'s name by release). The call x86 makes first passed a write argument until v4.15: 1 to get_user_pages() (v2.6.27) and get_user_pages_fast() (v2.6.28-v2.6.37), write_fault to get_user_pages_fast() (v2.6.38) and to get_user_page_nowait() (v2.6.39-v4.15), which sets flags |= FOLL_WRITE itself; from v4.16 hva_to_pfn_slow() sets flags |= FOLL_WRITE for get_user_pages_unlocked() (4.16.13 read). The synchronous call (only after I/O) took write_fault until v4.8.15 (__get_user_pages_unlocked()) and flags |= FOLL_WRITE from v4.9 (all read in virt/kvm/kvm_main.c)',
  }),
  word(
    'MM_CP_PROT_NUMA',
    'constant',
    at('v3.8', 'prot_numa', 'verified', [readAt('v3.7.2', 'mm/mprotect.c', 'change_protection, mprotect_fixup', 'change_protection(vma, start, end, vma->vm_page_prot, dirty_accountable); no prot_numa'), readAt('v3.8.3', 'include/linux/mm.h', 'change_protection', 'int dirty_accountable, int prot_numa);')]),
    at('v5.7', 'MM_CP_PROT_NUMA', 'verified', [readAt('v5.6.4', 'mm/mprotect.c', 'change_pte_range', 'int dirty_accountable, int prot_numa)'), readAt('v5.7.14', 'include/linux/mm.h', 'MM_CP_PROT_NUMA', '#define  MM_CP_PROT_NUMA                   (1UL << 1)')], undefined, {
      note: 'v5.6.4 and v5.7.14 bound it (adjacent releases); "mm: merge parameters for change_protection()" (uffd-wp series); its mainline id was not found',
    }),
  ),
  word(
    'RET_PF_RETRY',
    'constant',
    at(OLD, 'return 0', 'verified', [K27_TDP_FAULT]),
    at('v4.14', 'RET_PF_RETRY', 'verified', [readAt('v4.13.4', 'arch/x86/kvm/mmu.c', 'tdp_page_fault', 'out_unlock: ... return 0; (only RET_MMIO_PF_RETRY is named)'), readIn('linuxzjs/linux-4.14', '3550cd6a1534', 'linux-4.14.177/arch/x86/kvm/mmu.c', 'enum, tdp_page_fault', 'RET_PF_RETRY = 0, ... return RET_PF_RETRY;')], '9b8ebbdb74b5 ("KVM: x86: extend usage of RET_MMIO_PF_* constants")', {
      note: 'absent in v4.13.4, present in a 4.14.177 tree: v4.14 (no later than 4.14; 4.9.202 needed it as a backport, 4.14.154 did not). torvalds/linux mmu.c at 9b8ebbdb74b5 read earlier: enum { RET_PF_RETRY = 0, ... }',
    }),
  ),

  same('mmu_gather', 'type', OLD, 'verified', [readAt(OLD, 'include/asm-generic/tlb.h', 'struct mmu_gather', 'struct mmu_gather { (l.39)'), readIn('xie1111111/linux-6.6-opensbi-mllb', '136dd530e6a4', 'linux-6.6/include/asm-generic/tlb.h', 'struct mmu_gather', 'struct mmu_gather { (l.294)')]),
  word(
    '__oom_reap_task_mm',
    'function',
    at('v4.6', '__oom_reap_task', 'between', [readAt('v4.5', 'mm/oom_kill.c', 'oom_reaper', 'absent'), readIn('xing393939/linux-4.6.2', '6bcd5b161f0b', 'mm/oom_kill.c', '__oom_reap_task', 'static bool __oom_reap_task(struct task_struct *tsk) (l.426)')], undefined, { between: ['v4.5', 'v4.7'] }),
    at('v4.9', '__oom_reap_task_mm', 'between', [readAt('v4.8.15', 'mm/oom_kill.c', '__oom_reap_task', 'static bool __oom_reap_task(struct task_struct *tsk) (l.455)'), readAt('v4.9', 'mm/oom_kill.c', '__oom_reap_task_mm', 'static bool __oom_reap_task_mm(struct task_struct *tsk, struct mm_struct *mm) (l.464)')], undefined, { between: ['v4.8', 'v4.9'], note: 'the 4.8 side read at 4.8.15' }),
  ),
  same('oom_reaper', 'function', 'v4.6', 'between', [readAt('v4.5', 'mm/oom_kill.c', 'oom_reaper', 'absent'), readIn('xing393939/linux-4.6.2', '6bcd5b161f0b', 'mm/oom_kill.c', 'oom_init, oom_reaper', 'oom_reaper_th = kthread_run(oom_reaper, NULL, "oom_reaper"); (l.568)')], { between: ['v4.5', 'v4.7'], note: 'the kthread and its function' }),
  same('unmap_page_range', 'function', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'unmap_page_range', 'static unsigned long unmap_page_range(struct mmu_gather *tlb, (l.830)'), readIn('0x88888888/Linux-4.19', '74e90c5be722', 'mm/oom_kill.c', '__oom_reap_task_mm', 'unmap_page_range(&tlb, vma, start, end, NULL); (l.529)')]),
  same('mm_has_notifiers()', 'function', OLD, 'verified', [readAt(OLD, 'include/linux/mmu_notifier.h', 'mm_has_notifiers', 'static inline int mm_has_notifiers(struct mm_struct *mm) (l.142)'), readAt('v4.15', 'mm/oom_kill.c', '__oom_reap_task_mm', 'if (mm_has_notifiers(mm)) {')]),
  // ---- struct mmu_notifier_ops: the callbacks a device's IOMMU driver is called by ----
  same('invalidate_range_start', 'function', OLD, 'verified', [OPS_27]),
  same('invalidate_range_end', 'function', OLD, 'verified', [OPS_27]),
  same('clear_flush_young', 'function', OLD, 'verified', [OPS_27]),
  word(
    'invalidate_page',
    'function',
    at(OLD, 'invalidate_page', 'verified', [OPS_27]),
    at('v4.13', null, 'verified', [readAt('v4.12', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*invalidate_page)(struct mmu_notifier *mn, (l.104)'), readAt('v4.13.4', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'absent')], '5f32b265400d ("mm/mmu_notifier: kill invalidate_page")'),
  ),
  word(
    'change_pte',
    'function',
    at('v2.6.32', 'change_pte', 'verified', [readAt('v2.6.31', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'absent'), readAt('v2.6.32', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*change_pte)(struct mmu_notifier *mn, (l.68)')], KSM_NOTIFY_WORD),
    at('v6.10', null, 'verified', [readAt('v6.9', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*change_pte)(struct mmu_notifier *subscription, (l.129)'), readIn('msgeden/cryptocap-arm64-linux-6.10', '449e07155be2', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'absent')], '997308f9ae72 ("mmu_notifier: remove the .change_pte() callback")', { note: 'v6.9 has the member, the 6.10 tree does not (the id and subject as eras/post-change-pte-removal.ts gives them)' }),
  ),
  word(
    'task_exit',
    'function',
    at('v3.3', 'task_exit', 'between', [readIn('ciminaghi/linux-3.3.8', 'ac941d2648df', 'drivers/iommu/amd_iommu_v2.c', 'task_exit', 'static int task_exit(struct notifier_block *nb, unsigned long e, void *data) (l.607); profile_event_register(PROFILE_TASK_EXIT, &profile_nb); (l.945)'), readAt('v3.7.2', 'kernel/exit.c', 'do_exit', 'profile_task_exit(tsk); (l.815) ... exit_mm(tsk); (l.890)')], undefined, { between: ['v3.2', 'v3.3'], note: 'amd_iommu_v2\'s unbinding at task exit ("Using this notifier is a hack ... What I really want is a sleeping notifier that is called when an MM goes down"), in 3.3.8, 3.7.2, 3.14.1 and 3.15.5' }),
    at('v3.17', null, 'between', [readAt('v3.17', 'drivers/iommu/amd_iommu_v2.c', 'iommu_mn', 'no task_exit, no profile_event_register(); .release = mn_release')], undefined, { between: ['v3.15', 'v3.17'], note: 'replaced by .release (iommu.notifier_ops); the commit was not identified' }),
  ),
  word(
    'arch_invalidate_secondary_tlbs',
    'function',
    at('v3.19', 'invalidate_range', 'verified', [readIn('davisliuu/linux-3.18.y', '892d72826adad557f48fe3bbc5a27d382e2b2c73', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'absent (3.18.20)'), readAt('v3.19', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*invalidate_range)(struct mmu_notifier *mn, struct mm_struct *mm, (l.168)')], '0f0a327fa12c ("mmu_notifier: add the callback for mmu_notifier_invalidate_range()")'),
    at('v6.6', 'arch_invalidate_secondary_tlbs', 'verified', [readIn('sndrzt/linux-6.5', 'f5744aac0f31', 'include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*invalidate_range)(struct mmu_notifier *subscription, (l.207)'), readIn('xie1111111/linux-6.6-opensbi-mllb', '136dd530e6a4', 'linux-6.6/include/linux/mmu_notifier.h', 'struct mmu_notifier_ops', 'void (*arch_invalidate_secondary_tlbs)( (l.206)')], '1af5a8109904 ("mmu_notifiers: rename invalidate_range notifier")'),
  ),

  // ---- KVM: notifier handlers ----
  same('kvm_mmu_notifier_invalidate_range_start', 'function', OLD, 'verified', [K27_RANGE_START, K27_OPS]),
  same('kvm_mmu_notifier_invalidate_range_end', 'function', OLD, 'verified', [K27_RANGE_END, K27_OPS]),
  word(
    'kvm_mmu_notifier_invalidate_page',
    'function',
    at(OLD, 'kvm_mmu_notifier_invalidate_page', 'verified', [K27_INVALIDATE_PAGE, K27_OPS]),
    at('v4.13', null, 'verified', [readAt('v4.12', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', '.invalidate_page	= kvm_mmu_notifier_invalidate_page,'), readAt('v4.13.4', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', 'absent')], 'fb1522e099f0 ("KVM: update to new mmu_notifier semantic v2")', {
      note: 'v4.12 has it, v4.13.4 does not (no later than 4.13). Its merge ea25c4317946 ("Merge mmu_notifier fixes from Jérôme Glisse": "By killing this callback ...") read',
    }),
  ),
  word(
    'kvm_mmu_notifier_change_pte',
    'function',
    at('v2.6.32', 'kvm_mmu_notifier_change_pte', 'verified', [readAt('v2.6.31', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', 'absent'), K32_CHANGE_PTE]),
    at('v6.10', null, 'verified', [K69_CHANGE_PTE, K610_NO_CHANGE_PTE], 'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")', { note: CHANGE_PTE_610 }),
  ),
  same('kvm_mmu_notifier_clear_flush_young', 'function', OLD, 'verified', [K27_CLEAR_FLUSH_YOUNG, K27_OPS]),
  same('kvm_mmu_notifier_clear_young', 'function', 'v4.3', 'verified', [readIn('mlpzaq9998/linux-4.2', '9bbc521a1ac5', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', 'absent (Makefile 4.2.8)'), readAt('v4.3', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', '.clear_young		= kvm_mmu_notifier_clear_young,')], {
    note: '1d7715c676a1 adds it; the v4.3 tree is a research fork (EXTRAVERSION -cxlbdev-rc) whose kvm_main.c is its initial import; v4.5 has it too',
  }),
  same('kvm_mmu_notifier_test_young', 'function', 'v2.6.38', 'verified', [readAt('v2.6.37', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', 'absent'), readAt('v2.6.38', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_test_young', 'static int kvm_mmu_notifier_test_young(struct mmu_notifier *mn,')], { note: '8ee53820edfd adds it' }),
  same('kvm_mmu_notifier_release', 'function', 'v2.6.29', 'verified', [readAt('v2.6.28', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_ops', 'absent'), K29_RELEASE]),
  same('kvm_flush_remote_tlbs()', 'function', OLD, 'verified', [readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_flush_remote_tlbs', 'void kvm_flush_remote_tlbs(struct kvm *kvm)'), K27_RANGE_START]),
  word(
    'kvm_unmap_hva()',
    'function',
    at(OLD, 'kvm_unmap_hva()', 'verified', [K27_INVALIDATE_PAGE, readAt(OLD, 'arch/x86/kvm/mmu.c', 'kvm_unmap_hva', 'int kvm_unmap_hva(struct kvm *kvm, unsigned long hva)')]),
    at('v4.19', null, 'between', [readIn('sndrzt/linux-4.15', '6ea06264896d', 'arch/x86/kvm/mmu.c', 'kvm_unmap_hva', 'int kvm_unmap_hva(struct kvm *kvm, unsigned long hva) (Makefile 4.15.0, "linux-4.15 original source code from kernel.org")'), readIn('lizuobin/linux-4.16.13_tiny4412', '92bab2186e06', 'arch/x86/kvm/mmu.c', 'kvm_unmap_hva', 'int kvm_unmap_hva(struct kvm *kvm, unsigned long hva) (Makefile 4.16.13)'), readAt('v4.19', 'arch/x86/kvm/mmu.c', 'kvm_unmap_hva_range', 'only kvm_unmap_hva_range(); kvm_unmap_hva() absent')], undefined, {
      between: ['v4.16', 'v4.19'],
      note: 'its only generic caller, kvm_mmu_notifier_invalidate_page(), went in v4.13 (absent from v4.13.4 kvm_main.c); x86 kept the function, still in a 4.14.177 tree, in v4.15 and in a 4.16.13 tree, gone in v4.19 (no 4.17 or 4.18 tree was found); the removing commit was not found (not searched beyond the trees)',
    }),
  ),
  word(
    'kvm_arch_flush_shadow_all()',
    'function',
    at(OLD, 'kvm_arch_flush_shadow()', 'verified', [readAt(OLD, 'arch/x86/kvm/x86.c', 'kvm_arch_flush_shadow', 'void kvm_arch_flush_shadow(struct kvm *kvm)'), K29_RELEASE]),
    at('v3.7', 'kvm_arch_flush_shadow_all()', 'verified', [readAt('v3.6', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_release', 'kvm_arch_flush_shadow(kvm);'), readAt('v3.7.2', 'virt/kvm/kvm_main.c', 'kvm_mmu_notifier_release', 'kvm_arch_flush_shadow_all(kvm);')], '2df72e9bc4c5 ("KVM: split kvm_arch_flush_shadow")', {
      note: 'v3.6 and v3.7.2 bound it (adjacent releases); the full id 2df72e9bc4c505d8357012f2924589f3d16f9d44 is quoted in later kvm mails',
    }),
  ),
  word('kvm_age_gfn()', 'function', at(OLD, 'kvm_age_hva()', 'verified', [K27_CLEAR_FLUSH_YOUNG]), at('v5.13', 'kvm_age_gfn()', 'between', [readAt('v5.12.9', 'arch/x86/kvm/mmu/mmu.c', 'kvm_age_hva', 'int kvm_age_hva(struct kvm *kvm, unsigned long start, unsigned long end)'), readAt('v5.14-rc5', 'arch/x86/kvm/mmu/mmu.c', 'kvm_age_gfn', 'bool kvm_age_gfn(struct kvm *kvm, struct kvm_gfn_range *range)')], GFN_513, { between: ['v5.12', 'v5.14'], note: GFN_513_NOTE })),
  word('kvm_test_age_gfn()', 'function', at('v2.6.38', 'kvm_test_age_hva()', 'verified', [readAt('v2.6.37', 'arch/x86/kvm/mmu.c', 'kvm_test_age_hva', 'absent'), readAt('v2.6.38', 'arch/x86/kvm/mmu.c', 'kvm_test_age_hva', 'int kvm_test_age_hva(struct kvm *kvm, unsigned long hva)')], undefined, { note: 'added by 8ee53820edfd' }), at('v5.13', 'kvm_test_age_gfn()', 'between', [readAt('v5.12.9', 'arch/x86/kvm/mmu/mmu.c', 'kvm_test_age_hva', 'int kvm_test_age_hva(struct kvm *kvm, unsigned long hva)'), readAt('v5.14-rc5', 'arch/x86/kvm/mmu/mmu.c', 'kvm_test_age_gfn', 'bool kvm_test_age_gfn(struct kvm *kvm, struct kvm_gfn_range *range)')], GFN_513, { between: ['v5.12', 'v5.14'], note: GFN_513_NOTE })),
  word(
    'kvm_set_spte_gfn()',
    'function',
    at('v2.6.32', 'kvm_set_spte_hva()', 'verified', [readAt('v2.6.31', 'arch/x86/kvm/mmu.c', 'kvm_set_spte_hva', 'absent'), K32_CHANGE_PTE]),
    at('v5.13', 'kvm_set_spte_gfn()', 'between', [readAt('v5.12.9', 'arch/x86/kvm/mmu/mmu.c', 'kvm_set_spte_hva', 'int kvm_set_spte_hva(struct kvm *kvm, unsigned long hva, pte_t pte)'), readAt('v5.14-rc5', 'arch/x86/kvm/mmu/mmu.c', 'kvm_set_spte_gfn', 'bool kvm_set_spte_gfn(struct kvm *kvm, struct kvm_gfn_range *range)')], GFN_513, { between: ['v5.12', 'v5.14'], note: GFN_513_NOTE }),
    at('v6.10', null, 'verified', [K69_CHANGE_PTE, K610_NO_CHANGE_PTE], 'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")', { note: CHANGE_PTE_610 }),
  ),

  // ---- KVM: the fault path ----
  same('kvm_mmu_page_fault', 'function', OLD, 'verified', [readAt(OLD, 'arch/x86/kvm/mmu.c', 'kvm_mmu_page_fault', 'int kvm_mmu_page_fault(struct kvm_vcpu *vcpu, gva_t cr2, u32 error_code)')]),
  word(
    'hva_to_pfn',
    'function',
    at(OLD, 'gfn_to_pfn', 'verified', [K27_GFN_TO_PFN, K27_TDP_FAULT]),
    at('v2.6.34', 'hva_to_pfn', 'verified', [readAt('v2.6.33', 'virt/kvm/kvm_main.c', 'gfn_to_pfn', 'pfn_t gfn_to_pfn(struct kvm *kvm, gfn_t gfn) calls get_user_pages_fast() itself; no hva_to_pfn'), readAt('v2.6.34', 'virt/kvm/kvm_main.c', 'hva_to_pfn, gfn_to_pfn', 'static pfn_t hva_to_pfn(struct kvm *kvm, unsigned long addr); gfn_to_pfn(): return hva_to_pfn(kvm, addr);')], '506f0d6f9c40 ("KVM: introduce gfn_to_pfn_memslot")', {
      note: 'the first commit in allwinner/linux-2.6.36 whose diff adds hva_to_pfn( (git log -S); an ancestor of v2.6.34, not of v2.6.33',
    }),
  ),
  same('get_user_pages', 'function', OLD, 'verified', [K27_GFN_TO_PFN], {
    note: 'the generic name (notes say "before get_user_pages()"); the call hva_to_pfn makes has a word of its own, get_user_pages_unlocked',
  }),
  // The call that gets the host page for a guest fault (hva_to_pfn's step): x86 makes the first
  // call with &async (a no-wait call), and only that one runs when no I/O is needed.
  word(
    'get_user_pages_unlocked',
    'function',
    at(OLD, 'get_user_pages', 'verified', [K27_GFN_TO_PFN]),
    at('v2.6.28', 'get_user_pages_fast', 'verified', [K27_GFN_TO_PFN, readAt('v2.6.28', 'virt/kvm/kvm_main.c', 'gfn_to_pfn', 'npages = get_user_pages_fast(addr, 1, 1, page);'), readAt('v2.6.37', 'virt/kvm/kvm_main.c', 'hva_to_pfn', 'if (atomic) npages = __get_user_pages_fast(addr, 1, 1, page); else { might_sleep(); npages = get_user_pages_fast(addr, 1, 1, page); }')], '4c2155ce81c1 ("KVM: switch to get_user_pages_fast")', {
      note: 'an ancestor of the v2.6.28 release commit, not of v2.6.27\'s (allwinner/linux-2.6.36); v2.6.38 asks __get_user_pages_fast(addr, 1, 1, page) first (atomic || async), then get_user_pages_fast(addr, 1, write_fault, page)',
    }),
    at('v2.6.39', 'get_user_page_nowait', 'verified', [
      readAt('v2.6.38', 'virt/kvm/kvm_main.c', 'hva_to_pfn', 'if (atomic || async) npages = __get_user_pages_fast(addr, 1, 1, page); if (unlikely(npages != 1) && !atomic) { ... npages = get_user_pages_fast(addr, 1, write_fault, page);'),
      readAt('v2.6.39', 'virt/kvm/kvm_main.c', 'hva_to_pfn, get_user_page_nowait', 'if (async) { down_read(&current->mm->mmap_sem); npages = get_user_page_nowait(current, current->mm, addr, write_fault, page); up_read(...); } else npages = get_user_pages_fast(addr, 1, write_fault, page); get_user_page_nowait(): flags = FOLL_TOUCH | FOLL_NOWAIT | FOLL_HWPOISON | FOLL_GET; if (write) flags |= FOLL_WRITE; __get_user_pages()'),
      readAt('v2.6.39', 'arch/x86/kvm/mmu.c', 'try_async_pf', '*pfn = gfn_to_pfn_async(vcpu->kvm, gfn, &async, write, writable); if (!async) return false; ... *pfn = gfn_to_pfn_prot(vcpu->kvm, gfn, write, writable);'),
      readAt('v4.10', 'arch/x86/kvm/mmu.c', 'try_async_pf', 'async = false; *pfn = __gfn_to_pfn_memslot(slot, gfn, false, &async, write, writable); ... *pfn = __gfn_to_pfn_memslot(slot, gfn, false, NULL, write, writable);'),
      readAt('v4.10', 'virt/kvm/kvm_main.c', 'hva_to_pfn_slow', 'if (async) { npages = get_user_page_nowait(addr, write_fault, page); } else { unsigned int flags = FOLL_HWPOISON; if (write_fault) flags |= FOLL_WRITE; npages = get_user_pages_unlocked(addr, 1, page, flags); }'),
    ], '0857b9e95c1a ("KVM: Enable async page fault processing")', {
      note: `an ancestor of the v2.6.39 release commit 61c4f2c81c61, not of v2.6.38\'s (gpl-releases/linux-2.6.39.3); get_user_page_nowait() in every tree read from v2.6.39 to v4.15 (its arguments lose current, current->mm in v4.6). ${KVM_ASYNC_FIRST}`,
    }),
    at('v4.16', 'get_user_pages_unlocked', 'verified', [
      readIn('sndrzt/linux-4.15', '6ea06264896d', 'virt/kvm/kvm_main.c', 'hva_to_pfn_slow', 'if (async) { npages = get_user_page_nowait(addr, write_fault, page); } else { ... npages = get_user_pages_unlocked(addr, 1, page, flags); } (Makefile 4.15.0)'),
      readIn('lizuobin/linux-4.16.13_tiny4412', '92bab2186e06', 'virt/kvm/kvm_main.c', 'hva_to_pfn_slow', 'if (write_fault) flags |= FOLL_WRITE; if (async) flags |= FOLL_NOWAIT; npages = get_user_pages_unlocked(addr, 1, &page, flags); (Makefile 4.16.13)'),
      readAt('v6.12', 'virt/kvm/kvm_main.c', 'hva_to_pfn_slow', 'if (write_fault) flags |= FOLL_WRITE; if (async) flags |= FOLL_NOWAIT; npages = get_user_pages_unlocked(addr, 1, &page, flags);'),
      readAt('v6.13.2', 'virt/kvm/kvm_main.c', 'hva_to_pfn_slow, __kvm_faultin_pfn', 'if (kfp->pin) npages = pin_user_pages_unlocked(kfp->hva, 1, &page, flags); else npages = get_user_pages_unlocked(kfp->hva, 1, &page, flags); __kvm_faultin_pfn() sets no .pin (only __kvm_vcpu_map() does)'),
      readAt('v6.18.2', 'virt/kvm/kvm_main.c', 'hva_to_pfn_slow', 'npages = get_user_pages_unlocked(kfp->hva, 1, &page, flags);'),
    ], 'ce53053ce378 ("kvm: switch get_user_page_nowait() to get_user_pages_unlocked()")', {
      note: `a 4.15 tree (its first commit, "linux-4.15 original source code from kernel.org") has get_user_page_nowait(), a 4.16.13 one get_user_pages_unlocked(FOLL_NOWAIT): v4.16 (adjacent releases); the id and subject from the Fixes: tag of 96312e61282a ("mm/gup.c: teach get_user_pages_unlocked to handle FOLL_NOWAIT"). ${KVM_ASYNC_FIRST}`,
    }),
  ),
  same('kvm_release_pfn_clean', 'function', OLD, 'verified', [readAt(OLD, 'virt/kvm/kvm_main.c', 'kvm_release_pfn_clean', 'void kvm_release_pfn_clean(pfn_t pfn)'), K27_TDP_FAULT]),
  word(
    'direct_map',
    'function',
    at(OLD, '__direct_map', 'verified', [K27_TDP_FAULT]),
    at('v6.3', 'direct_map', 'verified', [readIn('daniellucs2002/linux-6.2.1-customized', '52c70098cb4d', 'arch/x86/kvm/mmu/mmu.c', '__direct_map', 'static int __direct_map(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault) (Makefile 6.2.1)'), readIn('SToPire/linux-6.3.8', '15edfdde6504', 'arch/x86/kvm/mmu/mmu.c', 'direct_map', 'static int direct_map(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault) (Makefile 6.3.8)')], '362871d74ff6 ("KVM: x86/mmu: Rename __direct_map() to direct_map()")', {
      note: 'torvalds/linux arch/x86/kvm/mmu/mmu.c at 362871d74ff67f23534a5ecb448967b0507d0848 read earlier: direct_page_fault() calls direct_map(); the id and subject are in the kernel.org post-receive list of torvalds/linux master of 2023-02-25, with "Merge tag \'kvm-x86-mmu-6.3\'" and "vfio-v6.3-rc1" (the 6.3 merge window); absent in a 6.2.1 tree, present in a 6.3.8 one: v6.3 (no later than 6.3)',
    }),
  ),
  same('kvm_tdp_mmu_map', 'function', 'v5.10', 'verified', [readAt('v5.9.1', 'arch/x86/kvm/mmu/tdp_mmu.c', 'kvm_tdp_mmu_map', 'absent: arch/x86/kvm/mmu/ has no tdp_mmu.c'), readAt('v5.10', 'arch/x86/kvm/mmu/tdp_mmu.c', 'kvm_tdp_mmu_map', 'int kvm_tdp_mmu_map(struct kvm_vcpu *vcpu, gpa_t gpa, u32 error_code,')], {
    note: 'bb18842e2111 ("kvm: x86/mmu: Add TDP MMU PF handler"), in the 5.10 KVM pull',
  }),
  word(
    'is_page_fault_stale()',
    'function',
    at(OLD, 'mmu_notifier_retry()', 'verified', [K27_TDP_FAULT, readAt(OLD, 'include/linux/kvm_host.h', 'mmu_notifier_retry', 'static inline int mmu_notifier_retry(struct kvm_vcpu *vcpu, unsigned long mmu_seq)')]),
    at('v5.12', 'mmu_notifier_retry_hva()', 'verified', [readAt('v5.11', 'arch/x86/kvm/mmu/mmu.c', 'direct_page_fault', 'if (mmu_notifier_retry(vcpu->kvm, mmu_seq))'), readAt('v5.12.9', 'arch/x86/kvm/mmu/mmu.c', 'direct_page_fault', 'if (!is_noslot_pfn(pfn) && mmu_notifier_retry_hva(vcpu->kvm, mmu_seq, hva))')], RETRY_HVA_512, { note: RETRY_HVA_512_NOTE }),
    at('v5.16', 'is_page_fault_stale()', 'verified', [readAt('v5.15', 'arch/x86/kvm/mmu/mmu.c', 'direct_page_fault', 'if (!is_noslot_pfn(pfn) && mmu_notifier_retry_hva(vcpu->kvm, mmu_seq, hva)); no is_page_fault_stale'), readIn(PS4_5161, 'f9b225b4bd77', 'arch/x86/kvm/mmu/mmu.c', 'is_page_fault_stale, direct_page_fault', 'static bool is_page_fault_stale(struct kvm_vcpu *vcpu, ...); if (is_page_fault_stale(vcpu, fault, mmu_seq))')], 'a955cad84cda ("KVM: x86/mmu: Retry page fault if root is invalidated by memslot update")', {
      note: `${PS4_5161_NOTE}; the diff of a955cad84cda adds it`,
    }),
  ),
  word(
    'make_spte()',
    'function',
    at(OLD, 'mmu_set_spte()', 'verified', [readAt(OLD, 'arch/x86/kvm/mmu.c', 'mmu_set_spte, __direct_map', 'static void mmu_set_spte(struct kvm_vcpu *vcpu, u64 *shadow_pte, ...) builds the spte itself; __direct_map() calls mmu_set_spte(); no set_spte()')]),
    at('v2.6.28', 'set_spte()', 'verified', [readAt('v2.6.28', 'arch/x86/kvm/mmu.c', 'set_spte, mmu_set_spte', 'static int set_spte(struct kvm_vcpu *vcpu, u64 *shadow_pte, ...), called by mmu_set_spte()')], '1e73f9dd8859 ("KVM: MMU: split mmu_set_spte")', { note: 'an ancestor of v2.6.28, not of v2.6.27' }),
    at('v5.10', 'make_spte()', 'verified', [readAt('v5.9.1', 'arch/x86/kvm/mmu/mmu.c', 'set_spte', 'static int set_spte(...); no make_spte'), readAt('v5.10', 'arch/x86/kvm/mmu/spte.c', 'make_spte', 'int make_spte(struct kvm_vcpu *vcpu, unsigned int pte_access, int level,')], undefined, {
      note: '"kvm: x86/mmu: Separate making SPTEs from set_spte" in the 5.10 KVM pull; its id was not found',
    }),
  ),
  word(
    'kvm_mmu_faultin_pfn()',
    'function',
    at('v5.15', 'kvm_faultin_pfn()', 'verified', [readIn('Kingdo777/linux-5.14.2-faascale-host', '21101b620aab', 'arch/x86/kvm/mmu/mmu.c', 'try_async_pf', 'static bool try_async_pf(struct kvm_vcpu *vcpu, bool prefault, gfn_t gfn, ...); no kvm_faultin_pfn (Makefile 5.14.2, its first commit "Source Code")'), readAt('v5.15', 'arch/x86/kvm/mmu/mmu.c', 'kvm_faultin_pfn', 'static bool kvm_faultin_pfn(struct kvm_vcpu *vcpu, bool prefault, gfn_t gfn,')], undefined, {
      note: 'v5.14.2 and v5.15 bound it (adjacent releases); "KVM: x86/mmu: rename try_async_pf to kvm_faultin_pfn" in the 5.15 KVM pull; its id was not found',
    }),
    at('v6.13', 'kvm_mmu_faultin_pfn()', 'verified', [readAt('v6.12', 'arch/x86/kvm/mmu/mmu.c', 'kvm_faultin_pfn', 'static int kvm_faultin_pfn(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault,'), readAt('v6.13.2', 'arch/x86/kvm/mmu/mmu.c', 'kvm_mmu_faultin_pfn', 'static int kvm_mmu_faultin_pfn(struct kvm_vcpu *vcpu,')], '447c375c9104 ("KVM: x86/mmu: Add "mmu" prefix fault-in helpers to free up generic names")', {
      note: 'v6.12 and v6.13.2 bound it (adjacent releases); the id and subject are in the kvm.git post-receive list of 2024-10-25 that ends in "Merge branch \'kvm-no-struct-page\' into HEAD" (5cb1659f4120)',
    }),
  ),
  same('fast_page_fault', 'function', 'v3.6', 'verified', [readAt('v3.5', 'arch/x86/kvm/mmu.c', 'fast_page_fault', 'absent: tdp_page_fault() and nonpaging_map() have no fast path'), readAt('v3.6', 'arch/x86/kvm/mmu.c', 'fast_page_fault, tdp_page_fault', 'static bool fast_page_fault(struct kvm_vcpu *vcpu, gva_t gva, int level, ...); tdp_page_fault(): if (fast_page_fault(vcpu, gpa, level, error_code))')], {
    note: 'c7ba5b48cc8d ("KVM: MMU: fast path of handling guest page fault"), full id c7ba5b48cc8ddc015a9e0463813ca1e60bc42c59; v3.5 and v3.6 bound it (adjacent releases)',
  }),

  // ---- mm: the fault path ----
  same('handle_mm_fault', 'function', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'handle_mm_fault', 'int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,')]),
  word(
    'do_user_addr_fault',
    'function',
    at(OLD, 'do_page_fault', 'verified', [readAt(OLD, 'arch/x86/mm/fault.c', 'do_page_fault', 'void __kprobes do_page_fault(struct pt_regs *regs, unsigned long error_code): the whole handler')]),
    at('v3.7', '__do_page_fault', 'verified', [readAt('v3.6', 'arch/x86/mm/fault.c', 'do_page_fault', 'do_page_fault(struct pt_regs *regs, unsigned long error_code): the whole handler; no __do_page_fault'), readAt('v3.7.2', 'arch/x86/mm/fault.c', '__do_page_fault, do_page_fault', '__do_page_fault(struct pt_regs *regs, unsigned long error_code); do_page_fault(): exception_enter(regs); __do_page_fault(regs, error_code); exception_exit(regs);')], undefined, {
      note: 'v3.6 and v3.7.2 bound it (adjacent releases); the commit was not found',
    }),
    at('v4.20', 'do_user_addr_fault', 'verified', [readAt('v4.19', 'arch/x86/mm/fault.c', '__do_page_fault', '__do_page_fault(struct pt_regs *regs, unsigned long error_code, ...): the whole handler; no do_user_addr_fault'), readAt('v4.20', 'arch/x86/mm/fault.c', 'do_user_addr_fault, __do_page_fault', 'void do_user_addr_fault(struct pt_regs *regs, ...); __do_page_fault(): do_kern_addr_fault() or do_user_addr_fault(regs, hw_error_code, address)')], undefined, {
      note: 'v4.19 and v4.20 bound it (adjacent releases); split out of __do_page_fault() by Dave Hansen (2018); the commit was not found (searched its likely subject)',
    }),
  ),
  same('do_anonymous_page', 'function', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'do_anonymous_page', 'static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma,')]),
  same('do_swap_page', 'function', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'do_swap_page', 'static int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma,')]),
  same('do_wp_page', 'function', OLD, 'verified', [WP_27]),
  same('do_numa_page', 'function', 'v3.8', 'verified', [readAt('v3.7.2', 'mm/memory.c', 'do_numa_page', 'absent'), readAt('v3.8.3', 'mm/memory.c', 'do_numa_page', 'int do_numa_page(struct mm_struct *mm, struct vm_area_struct *vma,')], {
    note: 'd10e63f29488 ("mm: numa: Create basic numa page hinting infrastructure"); v3.7.2 and v3.8.3 bound it (adjacent releases)',
  }),
  same('filemap_fault()', 'function', OLD, 'verified', [readAt(OLD, 'mm/filemap.c', 'filemap_fault', 'int filemap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)')]),
  same('page_mkwrite', 'function', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'struct vm_operations_struct', 'int (*page_mkwrite)(struct vm_area_struct *vma, struct page *page);')]),
  word('wp_page_copy', 'function', at(OLD, 'do_wp_page', 'verified', [WP_27]), at('v4.1', 'wp_page_copy', 'verified', [WP_40, WP_41], '2f38ab2c3c7f ("mm: refactor do_wp_page, extract the page copy flow")', { note: WP_41_NOTE })),
  word('wp_page_reuse', 'function', at(OLD, 'do_wp_page', 'verified', [WP_27]), at('v4.1', 'wp_page_reuse', 'verified', [WP_40, WP_41], '4e047f897771 ("mm: refactor do_wp_page, extract the reuse case")', { note: WP_41_NOTE })),
  word('wp_page_shared', 'function', at(OLD, 'do_wp_page', 'verified', [WP_27]), at('v4.1', 'wp_page_shared', 'verified', [WP_40, WP_41], '93e478d4c36e ("mm: refactor do_wp_page handling of shared vma into a function")', { note: WP_41_NOTE })),
  word('do_read_fault', 'function', at(OLD, '__do_fault', 'verified', [DO_FAULT_27]), at('v3.15', 'do_read_fault', 'verified', [DO_FAULT_314, DO_FAULT_315], 'e655fb29074a ("mm: introduce do_read_fault()")', { note: DO_FAULT_315_NOTE })),
  word('do_cow_fault', 'function', at(OLD, '__do_fault', 'verified', [DO_FAULT_27]), at('v3.15', 'do_cow_fault', 'verified', [DO_FAULT_314, DO_FAULT_315], 'ec47c3b95430 ("mm: introduce do_cow_fault()")', { note: DO_FAULT_315_NOTE })),
  word('do_shared_fault', 'function', at(OLD, '__do_fault', 'verified', [DO_FAULT_27]), at('v3.15', 'do_shared_fault', 'verified', [DO_FAULT_314, DO_FAULT_315], 'f0c6d4d295e4 ("mm: introduce do_shared_fault() and drop do_fault()")', { note: DO_FAULT_315_NOTE })),
  word(
    'swap_read_folio()',
    'function',
    at(OLD, 'swap_readpage()', 'verified', [readAt(OLD, 'mm/page_io.c', 'swap_readpage', 'int swap_readpage(struct file *file, struct page *page)'), readAt(OLD, 'mm/swap_state.c', 'read_swap_cache_async', 'swap_readpage(NULL, new_page); (do_swap_page() -> swapin_readahead() -> read_swap_cache_async())')]),
    at('v6.8', 'swap_read_folio()', 'verified', [readIn('xlch88/kernel-6.7.3-cjktty', '858886499865', 'mm/memory.c', 'do_swap_page', 'swap_readpage(page, true, NULL); (Makefile 6.7.3, a console-font patch on top, mm/ as imported)'), readIn('sndrzt/linux-6.8', '3bc197e7cf3c', 'mm/memory.c', 'do_swap_page', 'swap_read_folio(folio, true, NULL); (Makefile 6.8.0)')], 'c9bdf768dd93 ("mm: convert swap_readpage() to swap_read_folio()")', {
      note: `v6.7.3 and v6.8 bound it (adjacent releases); ${MM_68}`,
    }),
  ),
  same('pte_offset_map_lock()', 'function', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'pte_offset_map_lock', '#define pte_offset_map_lock(mm, pmd, address, ptlp)	\\')]),
  same('pte_same()', 'function', OLD, 'verified', [readAt(OLD, 'include/asm-generic/pgtable.h', 'pte_same', '#define pte_same(A,B)	(pte_val(A) == pte_val(B))')]),
  same('ptep_clear_flush()', 'function', OLD, 'verified', [readAt(OLD, 'include/asm-generic/pgtable.h', 'ptep_clear_flush', '#define ptep_clear_flush(__vma, __address, __ptep)			\\')]),
  // page_mkclean_one() prints it while its rule is 'invalidate_page-under-ptl' (src/engine/rmap.ts).
  word(
    'ptep_clear_flush_notify()',
    'function',
    at(OLD, 'ptep_clear_flush_notify()', 'verified', [
      readAt(OLD, 'include/linux/mmu_notifier.h', 'ptep_clear_flush_notify', '__pte = ptep_clear_flush(___vma, ___address, __ptep); mmu_notifier_invalidate_page(___vma->vm_mm, ___address);'),
      readAt(OLD, 'mm/rmap.c', 'page_mkclean_one', 'entry = ptep_clear_flush_notify(vma, address, pte);'),
      readAt('v3.6', 'mm/rmap.c', 'page_mkclean_one', 'entry = ptep_clear_flush_notify(vma, address, pte);'),
      readAt('v3.7.2', 'mm/rmap.c', 'page_mkclean_one', 'entry = ptep_clear_flush(vma, address, pte);'),
    ], undefined, {
      note: 'page_mkclean_one() calls it in every tree read from v2.6.27 to v3.6 and ptep_clear_flush() from v3.7.2 on (2ec74c3ef2d8, the release of the rule mm.page_mkclean_one.notify): the engine prints it there by that rule. try_to_unmap_one() calls it over the same releases, but its step still prints ptep_clear_flush() (test/trace-order.test.ts matches that text). The COW break and KSM have words of their own',
    }),
    at('v6.6', null, 'verified', [
      readAt('v6.5', 'include/linux/mmu_notifier.h', 'ptep_clear_flush_notify', '#define	ptep_clear_flush_notify(__vma, __address, __ptep) (under CONFIG_MMU_NOTIFIER), and #define	ptep_clear_flush_notify ptep_clear_flush without it'),
      readIn(V66_TREE, V66_AT, 'linux-6.6/include/linux/mmu_notifier.h', 'ptep_clear_flush_notify', 'only the !CONFIG_MMU_NOTIFIER stub: #define	ptep_clear_flush_notify ptep_clear_flush'),
    ], NOTIFY_FLUSH_66, { note: `${NOTIFY_FLUSH_66_NOTE}; KVM needs CONFIG_MMU_NOTIFIER, so no notifying variant is left` }),
  ),
  // The COW break's flush of the old PTE (do_wp_page(); wp_page_copy() from v4.1), spelt with its
  // argument as the step prints it: it notified while the other call sites did not.
  word(
    'ptep_clear_flush(old)',
    'function',
    at(OLD, 'ptep_clear_flush_notify(old)', 'verified', [
      readAt(OLD, 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush_notify(vma, address, page_table); ... set_pte_at(mm, address, page_table, entry);'),
      readAt('v2.6.31', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush_notify(vma, address, page_table);'),
    ]),
    at('v2.6.32', 'ptep_clear_flush(old)', 'verified', [
      readAt('v2.6.31', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush_notify(vma, address, page_table);'),
      readAt('v2.6.32', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush(vma, address, page_table); ... set_pte_at_notify(mm, address, page_table, entry);'),
      readAt('v3.18.30', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush(vma, address, page_table);'),
    ], KSM_NOTIFY_828, { note: `${KSM_NOTIFY_828_NOTE}; ptep_clear_flush() in every tree read from v2.6.32 to v3.17 and in 3.18.30` }),
    at('v3.19', 'ptep_clear_flush_notify(old)', 'verified', [
      readAt('v3.18.30', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush(vma, address, page_table);'),
      readAt('v3.19', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush_notify(vma, address, page_table);'),
      readAt('v4.12', 'mm/memory.c', 'wp_page_copy', 'ptep_clear_flush_notify(vma, vmf->address, vmf->pte);'),
      readAt('v6.5', 'mm/memory.c', 'wp_page_copy', 'ptep_clear_flush_notify(vma, vmf->address, vmf->pte);'),
    ], INV_RANGE_319, { note: `${INV_RANGE_319_NOTE}; ptep_clear_flush_notify() in every tree read from v3.19 to v6.5` }),
    at('v6.6', 'ptep_clear_flush(old)', 'verified', [
      readAt('v6.5', 'mm/memory.c', 'wp_page_copy', 'ptep_clear_flush_notify(vma, vmf->address, vmf->pte);'),
      readIn(V66_TREE, V66_AT, 'linux-6.6/mm/memory.c', 'wp_page_copy', 'ptep_clear_flush(vma, vmf->address, vmf->pte); (Makefile 6.6.0)'),
      readAt('v6.18.2', 'mm/memory.c', 'wp_page_copy', 'ptep_clear_flush(vma, vmf->address, vmf->pte);'),
    ], NOTIFY_FLUSH_66, { note: NOTIFY_FLUSH_66_NOTE }),
  ),
  // KSM's flush in write_protect_page() and replace_page(), spelt with its argument as the steps print it.
  word(
    'ptep_clear_flush(page)',
    'function',
    at('v2.6.32', 'ptep_clear_flush(page)', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush(vma, addr, ptep); ... ptep_clear_flush(vma, addr, ptep);')], undefined, {
      note: 'ptep_clear_flush() in both in every tree read from v2.6.32 to v3.17 and in 3.18.30',
    }),
    at('v3.19', 'ptep_clear_flush_notify(page)', 'verified', [
      readAt('v3.18.30', 'mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush(vma, addr, ptep); ... ptep_clear_flush(vma, addr, ptep);'),
      readAt('v3.19', 'mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush_notify(vma, addr, ptep); ... ptep_clear_flush_notify(vma, addr, ptep);'),
      readAt('v4.13.4', 'mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush_notify(vma, pvmw.address, pvmw.pte); ... ptep_clear_flush_notify(vma, addr, ptep);'),
    ], INV_RANGE_319, { note: `${INV_RANGE_319_NOTE}; ptep_clear_flush_notify() in both in every tree read from v3.19 to 4.14.177` }),
    at('v4.15', 'ptep_clear_flush(page)', 'verified', [
      readIn('linuxzjs/linux-4.14', '3550cd6a1534', 'linux-4.14.177/mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush_notify(vma, pvmw.address, pvmw.pte); ... ptep_clear_flush_notify(vma, addr, ptep);'),
      readIn('sndrzt/linux-4.15', '6ea06264896d', 'mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush(vma, pvmw.address, pvmw.pte); ... ptep_clear_flush(vma, addr, ptep); (Makefile 4.15.0, "linux-4.15 original source code from kernel.org")'),
      readAt('v6.18.2', 'mm/ksm.c', 'write_protect_page, replace_page', 'entry = ptep_clear_flush(vma, pvmw.address, pvmw.pte); ... ptep_clear_flush(vma, addr, ptep);'),
    ], '0f10851ea475 ("mm/mmu_notifier: avoid double notification when it is useless")', {
      note: 'absent in a 4.14.177 tree (stable backports of 2019 to 4.14.133 name 0f10851ea475 as a missing dependency), present in 4.15: v4.15 (adjacent releases); from the 4.15 tree on both calls carry a comment "No need to notify as we are ..." (not in 4.14.177); wp_page_copy() kept ptep_clear_flush_notify() (its comment: "the above ptep_clear_flush_notify() did already call it")',
    }),
  ),
  same('pte_unmap_unlock()', 'function', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'pte_unmap_unlock', '#define pte_unmap_unlock(pte, ptl)	do {		\\')]),
  same('set_pte_at()', 'function', OLD, 'verified', [SET_PTE_AT_27]),
  same('set_pte_at', 'function', OLD, 'verified', [SET_PTE_AT_27]),
  // The PTE write of KSM's write_protect_page()/replace_page() and of the COW break: the engine
  // prints it so while the rule mm.set_pte_at_notify says the callers made it (src/engine/notifier.ts).
  word(
    'set_pte_at_notify',
    'function',
    at('v2.6.32', 'set_pte_at_notify', 'verified', [
      readAt('v2.6.31', 'mm/memory.c', 'do_wp_page', 'ptep_clear_flush_notify(vma, address, page_table); ... set_pte_at(mm, address, page_table, entry): no set_pte_at_notify()'),
      readAt('v2.6.32', 'mm/memory.c', 'do_wp_page', 'set_pte_at_notify(mm, address, page_table, entry);'),
      readAt('v2.6.32', 'mm/ksm.c', 'write_protect_page, replace_page', 'set_pte_at_notify(mm, addr, ptep, entry); ... set_pte_at_notify(mm, addr, ptep, mk_pte(newpage, prot));'),
      readAt('v6.9', 'mm/ksm.c', 'write_protect_page, replace_page', 'set_pte_at_notify(mm, pvmw.address, pvmw.pte, entry); ... set_pte_at_notify(mm, addr, ptep, newpte);'),
      readAt('v6.9', 'mm/memory.c', 'wp_page_copy', 'set_pte_at_notify(mm, vmf->address, vmf->pte, entry);'),
    ], KSM_NOTIFY_828, { note: `${KSM_NOTIFY_828_NOTE}; the three calls are set_pte_at_notify() in every tree read from v2.6.32 to v6.9` }),
    at('v6.10', null, 'verified', [
      readAt('v6.9', 'mm/memory.c', 'wp_page_copy', 'set_pte_at_notify(mm, vmf->address, vmf->pte, entry);'),
      readIn(V610_TREE, V610_AT, 'mm/ksm.c', 'write_protect_page, replace_page', 'set_pte_at(mm, pvmw.address, pvmw.pte, entry); ... set_pte_at(mm, addr, ptep, newpte);'),
      readIn(V610_TREE, V610_AT, 'mm/memory.c', 'wp_page_copy', 'set_pte_at(mm, vmf->address, vmf->pte, entry);'),
    ], 'f7842747d13d ("mm: replace set_pte_at_notify() with just set_pte_at()")', { note: 'v6.9 and v6.10 bound it (adjacent releases), as for the rule mm.set_pte_at_notify' }),
  ),
  same('get_page', 'function', OLD, 'verified', [readAt(OLD, 'include/linux/mm.h', 'get_page', 'static inline void get_page(struct page *page)')]),
  same('put_page', 'function', OLD, 'verified', [PUT_PAGE_27, PUT_PAGE_KVM_27]),
  same('put_page()', 'function', OLD, 'verified', [PUT_PAGE_27, PUT_PAGE_KVM_27]),

  // ---- mm: rmap, reclaim, aging ----
  word(
    'rmap_walk',
    'function',
    at(OLD, 'vma_address', 'verified', [readAt(OLD, 'mm/rmap.c', 'page_referenced_one', 'address = vma_address(page, vma); then page_check_address(): each walker (page_referenced_anon(), try_to_unmap_anon()) finds the address itself')]),
    at(
      'v3.14',
      'rmap_walk',
      'verified',
      [
        readIn('yifengyou/linux-3.13.0', 'v3.13.10', 'linux-3.13.10/mm/rmap.c', 'page_referenced', 'referenced += page_referenced_anon(page, memcg, ...); try_to_unmap() calls try_to_unmap_anon()'),
        readAt('v3.14.1', 'mm/rmap.c', 'page_referenced', 'ret = rmap_walk(page, &rwc); so do page_mkclean(), try_to_unmap(), try_to_munlock()'),
        readAt('v2.6.33', 'mm/migrate.c', 'remove_migration_ptes', 'rmap_walk(new, remove_migration_pte, old)'),
      ],
      undefined,
      { note: 'rmap_walk() exists from v2.6.33 (e9995ef978a7 ("ksm: rmap_walk to remove_migation_ptes"), in allwinner/linux-2.6.36 between the v2.6.32 and v2.6.33 release commits), but only remove_migration_ptes() used it; the walks the model prints (aging, unmap, migration\'s unmap, mkclean) go through it from v3.14 (v3.13.10 and v3.14.1 read); the commits of that conversion were not identified. Was v2.6.33 until this read.' },
    ),
  ),
  word(
    'page_vma_mapped_walk()',
    'function',
    at(OLD, 'page_check_address()', 'verified', [readAt(OLD, 'mm/rmap.c', 'page_referenced_one', 'pte = page_check_address(page, mm, address, &ptl, 0)'), readAt('v2.6.32', 'mm/ksm.c', 'write_protect_page', 'ptep = page_check_address(page, mm, addr, &ptl, 0)')]),
    at(
      'v4.11',
      'page_vma_mapped_walk()',
      'verified',
      [
        readAt('v4.10', 'mm/rmap.c', 'try_to_unmap_one', 'pte = page_check_address(page, mm, address, &ptl, ...)'),
        readAt('v4.10', 'mm/ksm.c', 'write_protect_page', 'ptep = page_check_address(page, mm, addr, &ptl, 0)'),
        readAt('v4.11', 'mm/ksm.c', 'write_protect_page', 'if (!page_vma_mapped_walk(&pvmw))'),
        readAt('v4.11', 'mm/rmap.c', 'try_to_unmap_one', 'while (page_vma_mapped_walk(&pvmw))'),
      ],
      'ace71a19cec5 ("mm: introduce page_vma_mapped_walk()")',
    ),
  ),
  same('try_to_unmap_one', 'function', OLD, 'verified', [readAt(OLD, 'mm/rmap.c', 'try_to_unmap_anon', 'ret = try_to_unmap_one(page, vma, migration)'), readAt('v6.18.2', 'mm/rmap.c', 'try_to_unmap_one', 'static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma, ...')]),
  word(
    'try_to_migrate_one',
    'function',
    at(OLD, 'try_to_unmap_one', 'verified', [readAt(OLD, 'mm/migrate.c', 'unmap_and_move', 'try_to_unmap(page, 1)'), readAt(OLD, 'mm/rmap.c', 'try_to_unmap_one', 'static int try_to_unmap_one(struct page *page, struct vm_area_struct *vma, int migration)')]),
    at(
      'v5.14',
      'try_to_migrate_one',
      'verified',
      [
        readAt('v5.12.9', 'mm/rmap.c', 'try_to_unmap_one', 'if (IS_ENABLED(CONFIG_MIGRATION) && (flags & TTU_MIGRATION) && ...: no try_to_migrate_one()'),
        readAt('v5.14-rc5', 'mm/rmap.c', 'try_to_migrate', '.rmap_one = try_to_migrate_one'),
        readAt('v5.15', 'mm/rmap.c', 'try_to_migrate_one', 'static bool try_to_migrate_one(struct page *page, ...'),
      ],
      'a98a2f0c8ce1 ("mm/rmap: split migration into its own function")',
      { note: 'the full id a98a2f0c8ce1b2138cb8e3ae410444dedcc14809 is in the kernel.org post-receive list of groeck/linux-staging master of 2021-07-02 (revlist-e04360a2ea01-35e43538af8f), with "Merge branch \'for-5.13-fixes\' into for-5.14" and v5.14 tags: the 5.14 merge window; absent in 5.12.9, present in 5.14-rc5 and 5.15' },
    ),
  ),
  same('ptep_clear_flush_young', 'function', OLD, 'verified', [readAt(OLD, 'include/linux/mmu_notifier.h', 'ptep_clear_flush_young_notify', '__young = ptep_clear_flush_young(___vma, ___address, __ptep)'), readAt(OLD, 'arch/x86/mm/pgtable.c', 'ptep_clear_flush_young', 'young = ptep_test_and_clear_young(vma, address, ptep)')]),
  same('ptep_clear_flush_young_notify()', 'function', OLD, 'verified', [readAt(OLD, 'mm/rmap.c', 'page_referenced_one', '} else if (ptep_clear_flush_young_notify(vma, address, pte))')]),
  same('ptep_test_and_clear_young', 'function', OLD, 'verified', [readAt(OLD, 'arch/x86/mm/pgtable.c', 'ptep_test_and_clear_young', 'int ptep_test_and_clear_young(struct vm_area_struct *vma, ...'), readAt('v4.3', 'include/linux/mmu_notifier.h', 'ptep_clear_young_notify', '#define ptep_clear_young_notify ptep_test_and_clear_young (without notifiers); with them it calls it first')]),
  same('ptep_clear_young_notify()', 'function', 'v4.3', 'verified', [readIn('mlpzaq9998/linux-4.2', 'v4.2.8', 'include/linux/mmu_notifier.h', 'ptep_clear_young_notify', 'absent'), readAt('v4.3', 'mm/page_idle.c', 'page_idle_clear_pte_refs_one', 'referenced = ptep_clear_young_notify(vma, addr, pte)')], { note: '1d7715c676a1 ("mmu-notifier: add clear_young callback") adds it, with the idle page tracking series of the 4.3 merge window' }),
  same('pte_young', 'function', OLD, 'verified', [readAt(OLD, 'include/asm-x86/pgtable.h', 'pte_young', 'static inline int pte_young(pte_t pte)'), readAt('v2.6.38', 'mm/huge_memory.c', 'khugepaged_scan_pmd', 'if (pte_young(pteval) || PageReferenced(page) || mmu_notifier_test_young(vma->vm_mm, address))')]),
  same('pte_young()', 'function', OLD, 'verified', [readAt(OLD, 'include/asm-x86/pgtable.h', 'pte_young', 'static inline int pte_young(pte_t pte)'), readAt('v2.6.38', 'mm/huge_memory.c', 'khugepaged_scan_pmd', 'if (pte_young(pteval) || PageReferenced(page) || mmu_notifier_test_young(vma->vm_mm, address))')]),
  same('mmu_notifier_test_young()', 'function', 'v2.6.38', 'verified', [readAt('v2.6.37', 'include/linux/mmu_notifier.h', 'mmu_notifier_test_young', 'absent'), readAt('v2.6.38', 'mm/huge_memory.c', 'khugepaged_scan_pmd', 'mmu_notifier_test_young(vma->vm_mm, address)')], { note: '8ee53820edfd adds it' }),
  word(
    'folio_referenced',
    'function',
    at(OLD, 'page_referenced', 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'referenced = page_referenced(page, 1, sc->mem_cgroup)')]),
    at(
      'v5.18',
      'folio_referenced',
      'between',
      [readAt('v5.17', 'mm/vmscan.c', 'page_check_references', 'referenced_ptes = page_referenced(page, 1, sc->target_mem_cgroup, ...)'), readAt('v5.19', 'mm/vmscan.c', 'folio_check_references', 'referenced_ptes = folio_referenced(folio, 1, sc->target_mem_cgroup, ...)')],
      'b3ac04132c4b ("mm/rmap: Turn page_referenced() into folio_referenced()")',
      { between: ['v5.17', 'v5.19'], note: `no v5.18 tree was found; ${FOLIO_518}` },
    ),
  ),
  word(
    'folio_referenced_one()',
    'function',
    at(OLD, 'page_referenced_one()', 'verified', [readAt(OLD, 'mm/rmap.c', 'page_referenced_one', 'static int page_referenced_one(struct page *page, ...)')]),
    at(
      'v5.18',
      'folio_referenced_one()',
      'between',
      [readAt('v5.17', 'mm/rmap.c', 'page_referenced', '.rmap_one = page_referenced_one'), readAt('v5.19', 'mm/rmap.c', 'folio_referenced', '.rmap_one = folio_referenced_one')],
      undefined,
      { between: ['v5.17', 'v5.19'], note: 'renamed with folio_referenced() (b3ac04132c4b), whose release the model takes; no v5.18 tree was found; the commit of the rename was not identified' },
    ),
  ),
  word(
    'folio_check_references()',
    'function',
    at(OLD, 'page_referenced()', 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'referenced = page_referenced(page, 1, sc->mem_cgroup): the test was inline')]),
    at(
      'v2.6.34',
      'page_check_references()',
      'verified',
      [readAt('v2.6.33', 'mm/vmscan.c', 'shrink_page_list', 'referenced = page_referenced(page, 1, ...): inline'), readAt('v2.6.34', 'mm/vmscan.c', 'shrink_page_list', 'references = page_check_references(page, sc)')],
      'dfc8d636cdb9 ("vmscan: factor out page reference checks")',
      { note: 'Johannes Weiner, 2010-03-05; an ancestor of the v2.6.34 release commit and not of v2.6.33 in allwinner/linux-2.6.36' },
    ),
    at(
      'v5.18',
      'folio_check_references()',
      'between',
      [readAt('v5.17', 'mm/vmscan.c', 'shrink_page_list', 'references = page_check_references(page, sc)'), readAt('v5.19', 'mm/vmscan.c', 'shrink_page_list', 'references = folio_check_references(folio, sc)')],
      'd92013d1e5e4 ("mm/vmscan: Turn page_check_references() into folio_check_references()")',
      { between: ['v5.17', 'v5.19'], note: `no v5.18 tree was found; ${FOLIO_518}` },
    ),
  ),
  // The call in shrink_folio_list() that locks the folio: it kept trylock_page(page) after v5.16.
  // Spelt without its argument: '!folio_trylock(folio)' would contain KSM's word
  // 'folio_trylock(folio)', which src/era/vocabulary.ts would translate (to trylock_page(page))
  // at v5.19..v6.12, where this word's own name equals its spelling and is not in the pattern.
  word(
    '!folio_trylock()',
    'function',
    at(OLD, '!trylock_page()', 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'if (!trylock_page(page))')]),
    at(
      'v5.19',
      '!folio_trylock()',
      'verified',
      [
        readIn(PS4_5161, 'f9b225b4bd77', 'mm/vmscan.c', 'shrink_page_list', 'if (!trylock_page(page)) goto keep; (folio_trylock() exists: include/linux/pagemap.h)'),
        readAt('v5.17', 'mm/vmscan.c', 'shrink_page_list', 'if (!trylock_page(page)) goto keep;'),
        readIn('esuoyanyu/kernel-5.18', '678ce3b6bee6', 'common/mm/vmscan.c', 'shrink_page_list', 'if (!trylock_page(page)) goto keep; (Makefile 5.18.12; the tree is imported under common/ in its first commit "kernel: init. [1]", which is the only commit touching mm/vmscan.c; folio_check_references() and folio_referenced() are already there)'),
        readAt('v5.19', 'mm/vmscan.c', 'shrink_page_list', 'if (!folio_trylock(folio)) goto keep;'),
        readAt('v6.13.2', 'mm/vmscan.c', 'shrink_folio_list', 'if (!folio_trylock(folio))'),
      ],
      undefined,
      { note: 'a 5.18.12 tree still calls trylock_page(page) here and v5.19 calls folio_trylock(folio): v5.19 (adjacent releases; the stable 5.18.12 is "no later than"). Was between v5.17 and v5.19. The commit that converted the call was not identified (searched: the subject in stored mail and push lists)' },
    ),
  ),
  word(
    'shrink_folio_list',
    'function',
    at(OLD, 'shrink_page_list', 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'static unsigned long shrink_page_list(struct list_head *page_list, ...')]),
    at('v6.1', 'shrink_folio_list', 'verified', [readAt('v6.0', 'mm/vmscan.c', 'shrink_page_list', 'static unsigned int shrink_page_list(struct list_head *page_list, ...'), readAt('v6.1-rc7', 'mm/vmscan.c', 'shrink_folio_list', 'static unsigned int shrink_folio_list(struct list_head *folio_list, ...')], '49fd9b6df54e ("mm/vmscan: fix a lot of comments")', { note: MM_61 }),
  ),
  same('pageout()', 'function', OLD, 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'switch (pageout(page, mapping, sync_writeback))'), readAt('v6.18.2', 'mm/vmscan.c', 'shrink_folio_list', 'pageout(folio, mapping, &plug, folio_list)')]),
  same('__remove_mapping()', 'function', OLD, 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'if (!mapping || !__remove_mapping(mapping, page))'), readAt('v6.18.2', 'mm/vmscan.c', 'shrink_folio_list', '!__remove_mapping(mapping, folio, true, ...)')]),
  same('add_to_swap()', 'function', OLD, 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'if (!add_to_swap(page, GFP_ATOMIC))'), readAt('v6.13.2', 'mm/vmscan.c', 'shrink_folio_list', 'if (!add_to_swap(folio))')], {
    note: 'the newest read, v6.18.2, calls folio_alloc_swap(folio, __GFP_HIGH | __GFP_NOWARN) there instead (mm/vmscan.c shrink_folio_list): a later name the engine does not spell yet; the release (after v6.13) is not settled',
  }),
  same('migrate_pages', 'function', OLD, 'verified', [readAt(OLD, 'mm/migrate.c', 'migrate_pages', 'int migrate_pages(struct list_head *from, ...'), readAt('v6.13.2', 'mm/migrate.c', 'migrate_pages', 'int migrate_pages(struct list_head *from, new_folio_t get_new_folio, ...')]),
  word(
    'migrate_folio',
    'function',
    at(OLD, 'migrate_page', 'verified', [readAt(OLD, 'mm/migrate.c', 'migrate_page', 'rc = migrate_page_move_mapping(mapping, newpage, page)')]),
    at('v6.0', 'migrate_folio', 'verified', [readAt('v5.19', 'mm/migrate.c', 'migrate_page', 'int migrate_page(struct address_space *mapping, ...'), readAt('v6.0', 'mm/migrate.c', 'migrate_folio', 'int migrate_folio(struct address_space *mapping, struct folio *dst, ...')], undefined, { note: 'the folio-6.0 pull: "mm/migrate: Convert migrate_page() to migrate_folio()"; its id was not identified' }),
  ),
  word(
    'folio_ref_freeze()',
    'function',
    at(OLD, 'page_freeze_refs()', 'verified', [readAt(OLD, 'mm/migrate.c', 'migrate_page_move_mapping', 'if (!page_freeze_refs(page, expected_count))')]),
    at('v4.6', 'page_ref_freeze()', 'verified', [readAt('v4.5', 'mm/migrate.c', 'migrate_page_move_mapping', 'if (!page_freeze_refs(page, expected_count))'), readAt('v4.6.2', 'mm/migrate.c', 'migrate_page_move_mapping', 'if (!page_ref_freeze(page, expected_count))')], undefined, { note: 'include/linux/page_ref.h has page_ref_freeze() in 4.6.2, not in 4.5; the commit was not identified' }),
    at('v5.16', 'folio_ref_freeze()', 'verified', [readAt('v5.15', 'mm/migrate.c', 'migrate_page_move_mapping', 'if (!page_ref_freeze(page, expected_count))'), readIn(PS4_5161, 'f9b225b4bd77', 'mm/migrate.c', 'folio_migrate_mapping', 'if (!folio_ref_freeze(folio, expected_count)); migrate_page() calls folio_migrate_mapping()')], undefined, { note: FOLIO_516_NOTE }),
  ),
  same('remove_migration_ptes()', 'function', OLD, 'verified', [readAt(OLD, 'mm/migrate.c', 'move_to_new_page', 'remove_migration_ptes(page, newpage)'), readAt('v6.13.2', 'mm/migrate.c', 'remove_migration_ptes', 'void remove_migration_ptes(struct folio *src, struct folio *dst, int flags)')]),
  same('page_mkclean_one', 'function', OLD, 'verified', [readAt(OLD, 'mm/rmap.c', 'page_mkclean_one', 'static int page_mkclean_one(struct page *page, struct vm_area_struct *vma)'), readAt('v6.18.2', 'mm/rmap.c', 'page_mkclean_one', 'static bool page_mkclean_one(struct folio *folio, struct vm_area_struct *vma, ...')]),
  word(
    'folio_clear_dirty_for_io',
    'function',
    at(OLD, 'clear_page_dirty_for_io', 'verified', [readAt(OLD, 'mm/page-writeback.c', 'clear_page_dirty_for_io', 'int clear_page_dirty_for_io(struct page *page)')]),
    at('v5.16', 'folio_clear_dirty_for_io', 'verified', [readAt('v5.15', 'mm/page-writeback.c', 'clear_page_dirty_for_io', 'int clear_page_dirty_for_io(struct page *page)'), readIn(PS4_5161, 'f9b225b4bd77', 'mm/page-writeback.c', 'folio_clear_dirty_for_io', 'bool folio_clear_dirty_for_io(struct folio *folio)')], '9350f20a070d ("mm/writeback: Add folio_clear_dirty_for_io()")', { note: FOLIO_516_NOTE }),
  ),
  word(
    'folio_mark_dirty()',
    'function',
    at(OLD, 'set_page_dirty()', 'verified', [readAt(OLD, 'mm/page-writeback.c', 'clear_page_dirty_for_io', 'if (page_mkclean(page)) set_page_dirty(page);')]),
    at('v5.16', 'folio_mark_dirty()', 'verified', [readAt('v5.15', 'mm/page-writeback.c', 'clear_page_dirty_for_io', 'set_page_dirty(page)'), readIn(PS4_5161, 'f9b225b4bd77', 'mm/page-writeback.c', 'folio_clear_dirty_for_io', 'if (folio_mkclean(folio)) folio_mark_dirty(folio);')], 'b5e84594cafb ("mm/writeback: Add folio_mark_dirty()")', { note: FOLIO_516_NOTE }),
  ),
  // Printed by madvise_free_pte_range(), which called ClearPageDirty(page) until v6.1.
  word(
    'folio_clear_dirty()',
    'function',
    at(OLD, 'ClearPageDirty()', 'verified', [readAt(OLD, 'include/linux/page-flags.h', 'PAGEFLAG(Dirty, dirty)', 'PAGEFLAG(Dirty, dirty) defines ClearPageDirty()'), readAt('v4.5', 'mm/madvise.c', 'madvise_free_pte_range', 'ClearPageDirty(page)')]),
    at(
      'v6.1',
      'folio_clear_dirty()',
      'verified',
      [readAt('v6.0', 'mm/madvise.c', 'madvise_free_pte_range', 'ClearPageDirty(page)'), readAt('v6.1-rc7', 'mm/madvise.c', 'madvise_free_pte_range', 'folio_clear_dirty(folio)')],
      undefined,
      { note: 'the call site: folio_clear_dirty() exists from v5.16 (page-flags macros), but madvise_free_pte_range() called ClearPageDirty(page) through v6.0; was v5.16; the commit converting madvise_free_pte_range() was not identified' },
    ),
  ),
  word(
    'folio_mark_accessed()',
    'function',
    at(OLD, 'mark_page_accessed()', 'verified', [readAt(OLD, 'mm/swap.c', 'mark_page_accessed', 'void mark_page_accessed(struct page *page)')]),
    at('v5.16', 'folio_mark_accessed()', 'verified', [readAt('v5.15', 'mm/swap.c', 'folio_mark_accessed', 'absent'), readIn(PS4_5161, 'f9b225b4bd77', 'mm/swap.c', 'folio_mark_accessed', 'void folio_mark_accessed(struct folio *folio)')], '76580b6529db ("mm/swap: Add folio_mark_accessed()")', { note: FOLIO_516_NOTE }),
  ),
  same('page_idle_clear_pte_refs', 'function', 'v4.3', 'verified', [readIn('mlpzaq9998/linux-4.2', 'v4.2.8', 'mm/page_idle.c', 'page_idle_clear_pte_refs', 'absent'), readAt('v4.3', 'mm/page_idle.c', 'page_idle_clear_pte_refs', 'rmap_walk(page, (struct rmap_walk_control *)&rwc)')], { note: '33c3fc71c8cf ("mm: introduce idle page tracking"), dated 2015-09-09 (the 4.3 merge window), named in a list as v4.3' }),
  same('page_idle_clear_pte_refs_one()', 'function', 'v4.3', 'verified', [readIn('mlpzaq9998/linux-4.2', 'v4.2.8', 'mm/page_idle.c', 'page_idle_clear_pte_refs_one', 'absent'), readAt('v4.3', 'mm/page_idle.c', 'page_idle_clear_pte_refs_one', 'referenced = ptep_clear_young_notify(vma, addr, pte)')], { note: '33c3fc71c8cf ("mm: introduce idle page tracking")' }),
  word(
    'hpage_collapse_scan_pmd',
    'function',
    at('v2.6.38', 'khugepaged_scan_pmd', 'verified', [readAt('v2.6.37', 'mm/huge_memory.c', 'khugepaged_scan_pmd', 'absent (no mm/huge_memory.c)'), readAt('v2.6.38', 'mm/huge_memory.c', 'khugepaged_scan_pmd', 'static int khugepaged_scan_pmd(struct mm_struct *mm, ...')]),
    at('v6.1', 'hpage_collapse_scan_pmd', 'verified', [readAt('v6.0', 'mm/khugepaged.c', 'khugepaged_scan_pmd', 'static int khugepaged_scan_pmd(struct mm_struct *mm, ...'), readAt('v6.1-rc7', 'mm/khugepaged.c', 'hpage_collapse_scan_pmd', 'static int hpage_collapse_scan_pmd(struct mm_struct *mm, ...')], undefined, { note: `${MM_61}: "mm/khugepaged: rename prefix of shared collapse functions"; its id was not identified` }),
  ),
  word(
    'folio_add_anon_rmap_pte',
    'function',
    at(OLD, 'page_add_anon_rmap', 'verified', [readAt(OLD, 'mm/memory.c', 'do_swap_page', 'page_add_anon_rmap(page, vma, address)')]),
    at('v6.8', 'folio_add_anon_rmap_pte', 'verified', [readAt('v6.5', 'mm/ksm.c', 'replace_page', 'page_add_anon_rmap(kpage, vma, addr, RMAP_NONE)'), readIn('sndrzt/linux-6.8', '3bc197e7cf3c', 'mm/ksm.c', 'replace_page', 'folio_add_anon_rmap_pte(kfolio, kpage, vma, addr, RMAP_NONE) (the commit "linux-6.8 original source code", Makefile 6.8.0)')], '8bd5130070fb ("mm/rmap: introduce folio_add_anon_rmap_[pte|ptes|pmd]()")', { note: RMAP_68 }),
  ),
  // KSM's replace_page(): v2.6.32 mapped the new KSM page with page_add_ksm_rmap().
  word(
    'folio_add_anon_rmap_pte(kpage)',
    'function',
    at('v2.6.32', 'page_add_ksm_rmap(kpage)', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'replace_page', 'page_add_ksm_rmap(newpage)')]),
    at('v2.6.33', 'page_add_anon_rmap(kpage)', 'verified', [readAt('v2.6.33', 'mm/ksm.c', 'replace_page', 'page_add_anon_rmap(kpage, vma, addr)')]),
    at('v6.8', 'folio_add_anon_rmap_pte(kpage)', 'verified', [readAt('v6.5', 'mm/ksm.c', 'replace_page', 'page_add_anon_rmap(kpage, vma, addr, RMAP_NONE)'), readIn('sndrzt/linux-6.8', '3bc197e7cf3c', 'mm/ksm.c', 'replace_page', 'folio_add_anon_rmap_pte(kfolio, kpage, vma, addr, RMAP_NONE)')], '8bd5130070fb ("mm/rmap: introduce folio_add_anon_rmap_[pte|ptes|pmd]()")', { note: RMAP_68 }),
  ),
  word(
    'folio_add_new_anon_rmap',
    'function',
    at(OLD, 'page_add_new_anon_rmap', 'verified', [readAt(OLD, 'mm/memory.c', 'do_wp_page', 'page_add_new_anon_rmap(new_page, vma, address)')]),
    at(
      'v6.3',
      'folio_add_new_anon_rmap',
      'verified',
      [
        readIn('daniellucs2002/linux-6.2.1-customized', 'v6.2.1', 'mm/memory.c', 'wp_page_copy', 'page_add_new_anon_rmap(new_page, vma, vmf->address); folio_add_new_anon_rmap() is in neither include/linux/rmap.h nor mm/rmap.c'),
        readIn('SToPire/linux-6.3.8', 'v6.3.8', 'mm/memory.c', 'wp_page_copy', 'folio_add_new_anon_rmap(new_folio, vma, vmf->address)'),
        readAt('v6.5', 'mm/memory.c', 'wp_page_copy', 'folio_add_new_anon_rmap(new_folio, vma, vmf->address)'),
      ],
      '4d510f3da4c2 ("mm: add folio_add_new_anon_rmap()")',
      { note: 'was v6.8 (the 6.8 removal of page_add_new_anon_rmap()); the full id 4d510f3da4c216d4c2695395f67aec38e2aa6cc7 and subject are in stored lists and in stable prerequisites lists; wp_page_copy() may have been converted by a sibling commit of the same 6.3 series (not identified)' },
    ),
  ),
  word(
    'folio_remove_rmap_pte',
    'function',
    at(OLD, 'page_remove_rmap', 'verified', [readAt(OLD, 'mm/rmap.c', 'try_to_unmap_one', 'page_remove_rmap(page, vma)')]),
    at('v6.8', 'folio_remove_rmap_pte', 'verified', [readAt('v6.5', 'mm/rmap.c', 'try_to_unmap_one', 'page_remove_rmap(subpage, vma, folio_test_hugetlb(folio))'), readIn('sndrzt/linux-6.8', '3bc197e7cf3c', 'mm/rmap.c', 'try_to_unmap_one', 'folio_remove_rmap_pte(folio, subpage, vma); also try_to_migrate_one() and ksm.c replace_page()')], 'b06dc281aa99 ("mm/rmap: introduce folio_remove_rmap_[pte|ptes|pmd]()")', { note: RMAP_68 }),
  ),

  // ---- mm: madvise, munmap, mprotect, fork, exit ----
  same('madvise_free_single_vma', 'function', 'v4.5', 'verified', [readAt('v4.4.1', 'mm/madvise.c', 'madvise_free_single_vma', 'absent'), readAt('v4.5', 'mm/madvise.c', 'madvise_free_single_vma', 'mmu_notifier_invalidate_range_start(mm, start, end); madvise_free_page_range(&tlb, vma, start, end)'), readAt('v6.18.2', 'mm/madvise.c', 'madvise_free_single_vma', 'static int madvise_free_single_vma(struct madvise_behavior *madv_behavior)')], { note: '854e9ed09ded ("mm: support madvise(MADV_FREE)")' }),
  same('madvise_free_pte_range', 'function', 'v4.5', 'verified', [readAt('v4.4.1', 'mm/madvise.c', 'madvise_free_pte_range', 'absent'), readAt('v4.5', 'mm/madvise.c', 'madvise_free_pte_range', 'static int madvise_free_pte_range(pmd_t *pmd, unsigned long addr, ...'), readAt('v6.18.2', 'mm/madvise.c', 'madvise_free_pte_range', 'static int madvise_free_pte_range(pmd_t *pmd, unsigned long addr, ...')], { note: '854e9ed09ded ("mm: support madvise(MADV_FREE)")' }),
  word(
    'folio_mark_lazyfree()',
    'function',
    at('v4.5', 'deactivate_page()', 'verified', [readAt('v4.5', 'mm/madvise.c', 'madvise_free_pte_range', 'deactivate_page(page)'), readAt('v4.11', 'mm/madvise.c', 'madvise_free_pte_range', 'deactivate_page(page)')]),
    at('v4.12', 'mark_page_lazyfree()', 'verified', [readAt('v4.11', 'mm/madvise.c', 'madvise_free_pte_range', 'deactivate_page(page)'), readAt('v4.12', 'mm/madvise.c', 'madvise_free_pte_range', 'mark_page_lazyfree(page)')], 'f7ad2a6cb9f7 ("mm: move MADV_FREE pages into LRU_INACTIVE_FILE list")'),
    at('v6.3', 'folio_mark_lazyfree()', 'verified', [readIn('daniellucs2002/linux-6.2.1-customized', 'v6.2.1', 'mm/madvise.c', 'madvise_free_pte_range', 'mark_page_lazyfree(&folio->page)'), readIn('SToPire/linux-6.3.8', 'v6.3.8', 'mm/madvise.c', 'madvise_free_pte_range', 'folio_mark_lazyfree(folio)')], '6a6fe9ebd571 ("mm: swap: convert mark_page_lazyfree() to folio_mark_lazyfree()")', { note: MM_63 }),
  ),
  word(
    'madvise_dontneed_single_vma',
    'function',
    at(OLD, 'madvise_dontneed', 'verified', [readAt(OLD, 'mm/madvise.c', 'madvise_vma', 'error = madvise_dontneed(vma, prev, start, end)')]),
    at(
      'v4.13',
      'madvise_dontneed_single_vma',
      'verified',
      [readAt('v4.12', 'mm/madvise.c', 'madvise_dontneed', 'static long madvise_dontneed(struct vm_area_struct *vma, ...: zap_page_range(vma, start, end - start)'), readAt('v4.13.4', 'mm/madvise.c', 'madvise_dontneed_single_vma', 'static long madvise_dontneed_single_vma(struct vm_area_struct *vma, ...: zap_page_range(vma, start, end - start)')],
      undefined,
      { note: 'read in 4.13.4 (no later than v4.13) and absent in v4.12; the commit was not identified (a 2017 userfaultfd series for 4.13 is the likely source)' },
    ),
  ),
  word(
    'zap_page_range_single',
    'function',
    at(OLD, 'zap_page_range', 'verified', [readAt(OLD, 'mm/madvise.c', 'madvise_dontneed', 'zap_page_range(vma, start, end - start, NULL)')]),
    at(
      'v6.1',
      'zap_page_range_single',
      'between',
      [
        readAt('v6.0', 'mm/madvise.c', 'madvise_dontneed_single_vma', 'zap_page_range(vma, start, end - start)'),
        readAt('v6.1-rc7', 'mm/madvise.c', 'madvise_dontneed_single_vma', 'zap_page_range(vma, start, end - start)'),
        readAt('v6.1.15', 'mm/madvise.c', 'madvise_dontneed_single_vma', 'zap_page_range_single(vma, start, end - start, NULL)'),
        readIn('daniellucs2002/linux-6.2.1-customized', 'v6.2.1', 'mm/madvise.c', 'madvise_dontneed_single_vma', 'zap_page_range_single(vma, start, end - start, NULL)'),
      ],
      '21b85b09527c ("madvise: use zap_page_range_single for madvise dontneed")',
      {
        between: ['v6.0', 'v6.2'],
        note: 'was v6.3 (e9adcfecf572 removed zap_page_range() itself; the call site had changed before). Mike Kravetz\'s hugetlb fix, put in mm-hotfixes in 2022-11 and backported to 6.0.13 (the 6.0.13 announcement of 2022-12-14 lists it); the full id 21b85b09527c28e242db55c1b751f7f7549b830c in a stable backport ("commit ... upstream"). Absent in 6.1-rc7: in v6.1 if it was merged for -rc8, else v6.2 (the merge not identified); the model takes v6.1',
      },
    ),
  ),
  same('zap_pte_range', 'function', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'zap_pmd_range', 'next = zap_pte_range(tlb, vma, pmd, addr, next, ...)'), readAt('v6.18.2', 'mm/memory.c', 'zap_pte_range', 'static unsigned long zap_pte_range(struct mmu_gather *tlb, ...')]),
  same('tlb_finish_mmu()', 'function', OLD, 'verified', [readAt(OLD, 'mm/memory.c', 'zap_page_range', 'tlb_finish_mmu(tlb, address, end)'), readAt(OLD, 'mm/mmap.c', 'unmap_region', 'tlb_finish_mmu(tlb, start, end)'), readAt('v4.5', 'mm/madvise.c', 'madvise_free_single_vma', 'tlb_finish_mmu(&tlb, start, end)')], { note: 'ae8eba8b5d72 (v5.12) dropped its start/end arguments, not its name' }),
  same('unmap_vmas()', 'function', OLD, 'verified', [readAt(OLD, 'mm/mmap.c', 'exit_mmap', 'end = unmap_vmas(&tlb, vma, 0, -1, &nr_accounted, NULL)'), readAt('v6.18.2', 'mm/mmap.c', 'exit_mmap', 'unmap_vmas(&tlb, &vmi.mas, vma, 0, ULONG_MAX, ULONG_MAX, false)')]),
  same('unmap_vmas', 'function', OLD, 'verified', [readAt(OLD, 'mm/mmap.c', 'unmap_region', 'unmap_vmas(&tlb, vma, start, end, &nr_accounted, NULL)'), readAt('v6.18.2', 'mm/vma.c', 'vms_clear_ptes', 'unmap_vmas(&tlb, mas_detach, vms->vma, vms->start, vms->end, ...)')]),
  same('unmap_region', 'function', OLD, 'verified', [readAt(OLD, 'mm/mmap.c', 'do_munmap', 'unmap_region(mm, vma, prev, start, end)'), readAt('v6.11.11', 'mm/mmap.c', 'do_vmi_align_munmap', 'unmap_region(mm, &mas_detach, vma, prev, next, start, end, count, ...)')], {
    note: 'from v6.12 munmap no longer calls it: do_vmi_align_munmap() -> vms_complete_munmap_vmas() -> vms_clear_ptes() does unmap_vmas() and tlb_finish_mmu() (mm/vma.c of v6.12 and v6.18.2); unmap_region() (moved to mm/vma.c) serves the mmap error path. A later name the engine does not spell yet',
  }),
  word(
    'do_vmi_munmap',
    'function',
    at(OLD, 'do_munmap', 'verified', [readAt(OLD, 'mm/mmap.c', 'do_munmap', 'int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)')]),
    at('v4.20', '__do_munmap', 'verified', [readIn('chens37/linux-4.19.1', 'v4.19.1', 'mm/mmap.c', 'do_munmap', 'int do_munmap(struct mm_struct *mm, unsigned long start, size_t len, ...: no __do_munmap()'), readAt('v4.20', 'mm/mmap.c', '__do_munmap', 'int __do_munmap(struct mm_struct *mm, unsigned long start, size_t len, ...')], undefined, { note: 'Yang Shi\'s munmap series ("during the 4.20 merge window", Dave Hansen); the commit was not identified' }),
    at('v6.1', 'do_mas_munmap', 'verified', [readAt('v6.0', 'mm/mmap.c', '__do_munmap', 'int __do_munmap(struct mm_struct *mm, unsigned long start, size_t len, ...'), readAt('v6.1-rc7', 'mm/mmap.c', 'do_mas_munmap', 'int do_mas_munmap(struct ma_state *mas, struct mm_struct *mm, ...')], undefined, { note: `${MM_61}: "mm/mmap: reorganize munmap to use maple states"; its id was not identified` }),
    at('v6.3', 'do_vmi_munmap', 'verified', [readIn('daniellucs2002/linux-6.2.1-customized', 'v6.2.1', 'mm/mmap.c', 'do_mas_munmap', 'int do_mas_munmap(struct ma_state *mas, struct mm_struct *mm, ...'), readIn('SToPire/linux-6.3.8', 'v6.3.8', 'mm/mmap.c', 'do_vmi_munmap', 'int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm, ...')], '183654ce26a5 ("mmap: change do_mas_munmap and do_mas_aligned_munmap() to use vma iterator")', { note: MM_63 }),
  ),
  same('mprotect_fixup', 'function', OLD, 'verified', [readAt(OLD, 'mm/mprotect.c', 'sys_mprotect', 'error = mprotect_fixup(vma, &prev, nstart, tmp, newflags)'), readAt('v6.13.2', 'mm/mprotect.c', 'mprotect_fixup', 'mprotect_fixup(struct vma_iterator *vmi, struct mmu_gather *tlb, ...')]),
  same('change_protection', 'function', OLD, 'verified', [readAt(OLD, 'mm/mprotect.c', 'mprotect_fixup', 'change_protection(vma, start, end, vma->vm_page_prot, dirty_accountable)'), readAt('v6.18.2', 'mm/mprotect.c', 'change_protection', 'long change_protection(struct mmu_gather *tlb, ...')]),
  same('change_pte_range', 'function', OLD, 'verified', [readAt(OLD, 'mm/mprotect.c', 'change_pte_range', 'static void change_pte_range(struct mm_struct *mm, pmd_t *pmd, ...'), readAt('v6.18.2', 'mm/mprotect.c', 'change_pte_range', 'static long change_pte_range(struct mmu_gather *tlb, ...')]),
  same('change_prot_numa', 'function', 'v3.8', 'verified', [readAt('v3.7.2', 'mm/mempolicy.c', 'change_prot_numa', 'absent'), readAt('v3.8.3', 'mm/mempolicy.c', 'change_prot_numa', 'unsigned long change_prot_numa(struct vm_area_struct *vma, ...')], { note: 'the Automatic NUMA Balancing pull for 3.8' }),
  word(
    'MM_CP_PROT_NUMA',
    'constant',
    at('v3.8', 'prot_numa', 'verified', [readAt('v3.7.2', 'mm/mprotect.c', 'change_pte_range', 'absent'), readAt('v3.8.3', 'mm/mprotect.c', 'change_pte_range', 'int dirty_accountable, int prot_numa, ...: if (!prot_numa) {')]),
    at(
      'v5.7',
      'MM_CP_PROT_NUMA',
      'verified',
      [readAt('v5.6.4', 'mm/mempolicy.c', 'change_prot_numa', 'nr_updated = change_protection(vma, addr, end, PAGE_NONE, 0, 1)'), readAt('v5.7.14', 'mm/mempolicy.c', 'change_prot_numa', 'nr_updated = change_protection(vma, addr, end, PAGE_NONE, MM_CP_PROT_NUMA)')],
      undefined,
      { note: 'read in the stable trees 5.6.4 (absent) and 5.7.14; "mm: merge parameters for change_protection()" of the uffd-wp series; its mainline id was not found' },
    ),
  ),
  same('vm_flags', 'field', OLD, 'verified', [readAt(OLD, 'mm/mprotect.c', 'mprotect_fixup', 'vma->vm_flags = newflags')]),
  same('copy_process()', 'function', OLD, 'verified', [readAt(OLD, 'kernel/fork.c', 'copy_process', 'static struct task_struct *copy_process(unsigned long clone_flags, ...'), readAt('v6.18.2', 'kernel/fork.c', 'copy_process', '__latent_entropy struct task_struct *copy_process(')]),
  same('dup_mmap', 'function', OLD, 'verified', [readAt(OLD, 'kernel/fork.c', 'dup_mmap', 'static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)'), readAt('v6.18.2', 'mm/mmap.c', 'dup_mmap', '__latent_entropy int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)')]),
  same('copy_page_range', 'function', OLD, 'verified', [readAt(OLD, 'kernel/fork.c', 'dup_mmap', 'retval = copy_page_range(mm, oldmm, mpnt)'), readAt('v6.18.2', 'mm/mmap.c', 'dup_mmap', 'retval = copy_page_range(tmp, mpnt)')]),
  same('do_exit', 'function', OLD, 'verified', [readAt(OLD, 'kernel/exit.c', 'do_exit', 'NORET_TYPE void do_exit(long code): exit_mm(tsk) -> mmput(mm)'), readAt('v6.18.2', 'kernel/exit.c', 'do_exit', 'void __noreturn do_exit(long code): exit_mm()')]),
  same('exit_mmap', 'function', OLD, 'verified', [readAt(OLD, 'kernel/fork.c', 'mmput', 'exit_mmap(mm)'), readAt('v6.18.2', 'kernel/fork.c', '__mmput', 'exit_mmap(mm)')]),
  same('exit_mmap()', 'function', OLD, 'verified', [readAt(OLD, 'kernel/fork.c', 'mmput', 'exit_mmap(mm)'), readAt('v6.18.2', 'kernel/fork.c', '__mmput', 'exit_mmap(mm)')]),
  same('mmput()', 'function', OLD, 'verified', [readAt(OLD, 'kernel/exit.c', 'exit_mm', 'mmput(mm)'), readAt(OLD, 'kernel/fork.c', 'mmput', 'void mmput(struct mm_struct *mm)')]),
  same('flush_tlb_mm()', 'function', OLD, 'verified', [readAt(OLD, 'kernel/fork.c', 'dup_mmap', 'flush_tlb_mm(oldmm)'), readAt('v6.18.2', 'mm/mmap.c', 'dup_mmap', 'flush_tlb_mm(oldmm)')]),
  same('flush_tlb_range()', 'function', OLD, 'verified', [readAt(OLD, 'mm/mprotect.c', 'change_protection', 'flush_tlb_range(vma, start, end)'), readAt('v5.17', 'mm/mprotect.c', 'change_protection_range', 'flush_tlb_range(vma, start, end)')], {
    note: 'v5.19 and later flush through an mmu_gather instead: change_pte_range() tlb_flush_pte_range(tlb, ...), do_mprotect_pkey() tlb_finish_mmu(&tlb) (v5.19, v6.13.2 read); the change lies in (v5.17, v5.19] and the engine does not spell it yet',
  }),

  // ---- KSM ----
  same('cmp_and_merge_page', 'function', 'v2.6.32', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'cmp_and_merge_page', 'static void cmp_and_merge_page(struct page *page, struct rmap_item *rmap_item)'), readAt('v6.18.2', 'mm/ksm.c', 'cmp_and_merge_page', 'static void cmp_and_merge_page(struct page *page, struct ksm_rmap_item *rmap_item)')], { note: '31dbd01f3143 ("ksm: Kernel SamePage Merging") adds mm/ksm.c' }),
  same('try_to_merge_one_page', 'function', 'v2.6.32', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_two_pages', 'err = try_to_merge_one_page(vma, page1, kpage)'), readAt('v6.18.2', 'mm/ksm.c', 'try_to_merge_one_page', 'static int try_to_merge_one_page(struct vm_area_struct *vma, ...')]),
  same('write_protect_page', 'function', 'v2.6.32', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'if (write_protect_page(vma, oldpage, &orig_pte))'), readAt('v6.18.2', 'mm/ksm.c', 'write_protect_page', 'static int write_protect_page(struct vm_area_struct *vma, struct folio *folio, ...')]),
  same('replace_page', 'function', 'v2.6.32', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'err = replace_page(vma, oldpage, newpage, orig_pte)'), readAt('v6.18.2', 'mm/ksm.c', 'replace_page', 'static int replace_page(struct vm_area_struct *vma, struct page *page, ...')]),
  same('memcmp_pages()', 'function', 'v2.6.32', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'unstable_tree_search_insert', 'ret = memcmp_pages(page, page2[0])'), readAt('v6.18.2', 'include/linux/mm.h', 'memcmp_pages', 'extern int memcmp_pages(struct page *page1, struct page *page2)')]),
  same('pages_identical', 'function', 'v2.6.32', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'if (pages_identical(oldpage, newpage))'), readAt('v6.18.2', 'mm/ksm.c', 'try_to_merge_one_page', '} else if (pages_identical(page, kpage))')]),
  word(
    'folio_walk_start()',
    'function',
    at('v2.6.32', 'follow_page(FOLL_GET)', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'get_mergeable_page', 'page = follow_page(vma, addr, FOLL_GET)')]),
    at('v6.12', 'folio_walk_start()', 'verified', [readAt('v6.11.11', 'mm/ksm.c', 'get_mergeable_page', 'page = follow_page(vma, addr, FOLL_GET)'), readAt('v6.12', 'mm/ksm.c', 'get_mergeable_page', 'folio = folio_walk_start(&fw, vma, addr, 0)')], undefined, { note: '"mm/ksm: convert get_mergeable_page() from follow_page() to folio_walk" in the 6.12-rc1 MM pull; its id was not identified' }),
  ),
  word(
    'folio_trylock()',
    'function',
    at(OLD, 'trylock_page()', 'verified', [readAt(OLD, 'mm/vmscan.c', 'shrink_page_list', 'if (!trylock_page(page))')], undefined, { note: 'not in v2.6.26: 529ae9aaa083 ("mm: rename page trylock"), 2008-08-02' }),
    at('v5.16', 'folio_trylock()', 'verified', [readAt('v5.15', 'include/linux/pagemap.h', 'folio_trylock', 'absent'), readIn(PS4_5161, 'f9b225b4bd77', 'include/linux/pagemap.h', 'folio_trylock', 'static inline bool folio_trylock(struct folio *folio)')], undefined, {
      note: `${FOLIO_516_NOTE}. The function's name; the call sites the model prints kept trylock_page(page) longer and have words of their own: '!folio_trylock()' (shrink_folio_list) and 'folio_trylock(folio)' (KSM)`,
    }),
  ),
  word(
    'folio_unlock()',
    'function',
    at(OLD, 'unlock_page()', 'verified', [readAt(OLD, 'mm/filemap.c', 'unlock_page', 'void unlock_page(struct page *page)')]),
    at('v5.16', 'folio_unlock()', 'verified', [readAt('v5.15', 'mm/filemap.c', 'folio_unlock', 'absent'), readIn(PS4_5161, 'f9b225b4bd77', 'mm/filemap.c', 'folio_unlock', 'void folio_unlock(struct folio *folio)')], undefined, { note: FOLIO_516_NOTE }),
  ),
  word(
    'folio_set_stable_node()',
    'function',
    at(
      'v2.6.32',
      'set_page_stable_node()',
      'verified',
      [
        readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_two_pages', 'kpage = alloc_page(GFP_HIGHUSER); copy_user_highpage(kpage, page1, addr1, vma); err = try_to_merge_one_page(vma, page1, kpage): no set_page_stable_node() in v2.6.32'),
        readAt('v2.6.33', 'mm/ksm.c', 'try_to_merge_one_page', 'set_page_stable_node(page, NULL); mark_page_accessed(page);'),
      ],
      undefined,
      { note: `a simplification: ${KSM_AS_2633}` },
    ),
    at('v2.6.33', 'set_page_stable_node()', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'set_page_stable_node', 'absent'), readAt('v2.6.33', 'mm/ksm.c', 'try_to_merge_one_page', 'set_page_stable_node(page, NULL)')], '08beca44dfb0 ("ksm: stable_node point to page and back")', { note: 'Hugh Dickins, 2009-12-14; an ancestor of the v2.6.33 release commit in allwinner/linux-2.6.36, not of v2.6.32' }),
    at('v6.10', 'folio_set_stable_node()', 'between', [readAt('v6.9', 'mm/ksm.c', 'try_to_merge_one_page', 'set_page_stable_node(page, NULL)'), readAt('v6.11.11', 'mm/ksm.c', 'try_to_merge_one_page', 'folio_set_stable_node(page_folio(page), NULL)')], undefined, { between: ['v6.9', 'v6.11'], note: '"mm/ksm: replace set_page_stable_node by folio_set_stable_node" in the 6.10-rc1 MM pull (no v6.10 tree was read); its id was not identified' }),
  ),
  // Call sites of try_to_merge_one_page() that kept the page names after v5.16 (see the header).
  word(
    'folio_trylock(folio)',
    'function',
    at('v2.6.32', 'trylock_page(page)', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'if (!trylock_page(oldpage))'), readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'if (!trylock_page(page))')]),
    at('v6.13', 'folio_trylock(folio)', 'verified', [readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'if (!trylock_page(page))'), readAt('v6.13.2', 'mm/ksm.c', 'try_to_merge_one_page', 'if (!folio_trylock(folio))')], KSM_FOLIO_613, { note: KSM_FOLIO_613_READ }),
  ),
  word(
    'folio_unlock(folio)',
    'function',
    at('v2.6.32', 'unlock_page(page)', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'unlock_page(oldpage)'), readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'unlock_page(page)')]),
    at('v6.13', 'folio_unlock(folio)', 'verified', [readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'unlock_page(page)'), readAt('v6.13.2', 'mm/ksm.c', 'try_to_merge_one_page', 'folio_unlock(folio)')], KSM_FOLIO_613, { note: KSM_FOLIO_613_READ }),
  ),
  word(
    'folio_mark_accessed(folio)',
    'function',
    at(
      'v2.6.32',
      'mark_page_accessed(page)',
      'verified',
      [
        readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'trylock_page(oldpage); write_protect_page(); unlock_page(oldpage); pages_identical() -> replace_page(): no mark_page_accessed()'),
        readAt('v2.6.33', 'mm/ksm.c', 'try_to_merge_one_page', 'set_page_stable_node(page, NULL); mark_page_accessed(page);'),
      ],
      undefined,
      { note: `a simplification: ${KSM_AS_2633}` },
    ),
    at('v2.6.33', 'mark_page_accessed(page)', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'no mark_page_accessed()'), readAt('v2.6.33', 'mm/ksm.c', 'try_to_merge_one_page', 'mark_page_accessed(page)'), readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'mark_page_accessed(page)')], '80e148226028 ("ksm: share anon page without allocating")', { note: 'Hugh Dickins, 2009-12-14; an ancestor of the v2.6.33 release commit in allwinner/linux-2.6.36, not of v2.6.32' }),
    at('v6.13', 'folio_mark_accessed(folio)', 'verified', [readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'mark_page_accessed(page)'), readAt('v6.13.2', 'mm/ksm.c', 'try_to_merge_one_page', 'folio_mark_accessed(folio)')], KSM_FOLIO_613, { note: KSM_FOLIO_613_READ }),
  ),
  word(
    'folio_mark_dirty(folio)',
    'function',
    at('v2.6.32', 'PG_dirty', 'verified', [readAt('v2.6.32', 'mm/ksm.c', 'try_to_merge_one_page', 'no dirtying'), readAt('v2.6.33', 'mm/ksm.c', 'try_to_merge_one_page', 'no dirtying'), readAt('v4.4.1', 'mm/ksm.c', 'try_to_merge_one_page', 'no SetPageDirty()')], undefined, {
      note: 'no call: the model sets PG_dirty, the kernel did not dirty the page here before v4.5. Reclaim dirtied an anon page in add_to_swap() then; the model skips KSM pages in reclaim and marks the page dirty at every release. Only the flag is printed: the vocabulary test takes every word of a name for a kernel name',
    }),
    at('v4.5', 'SetPageDirty(page)', 'verified', [readAt('v4.4.1', 'mm/ksm.c', 'try_to_merge_one_page', 'absent'), readAt('v4.5', 'mm/ksm.c', 'try_to_merge_one_page', 'if (!PageDirty(page)) SetPageDirty(page);')], undefined, {
      note: 'Minchan Kim, "[PATCH v3 07/17] mm: mark stable page dirty in KSM" (2015-11-12), for MADV_FREE; read in v4.5 and not in 4.4.1; the mainline id was not found (searched: the subject as a Fixes: tag or quoted id, kernel.org push lists, git web logs of mm/ksm.c)',
    }),
    at('v6.13', 'folio_mark_dirty(folio)', 'verified', [readAt('v6.12', 'mm/ksm.c', 'try_to_merge_one_page', 'SetPageDirty(page)'), readAt('v6.13.2', 'mm/ksm.c', 'try_to_merge_one_page', 'if (!folio_test_dirty(folio)) folio_mark_dirty(folio)')], KSM_FOLIO_613, { note: KSM_FOLIO_613_READ }),
  ),
];
