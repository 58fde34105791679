// v3.7 – v4.12: every set_pte_at_notify() is bracketed by invalidate_range_start/end. KVM zaps
// the sPTE in range_start, so its .change_pte() never finds one again.
import { deriveEra } from '../src/era/derive.js';
import base from './pre-6bdb913f0a70.js';

export default deriveEra(base, {
  id: 'post-6bdb913f0a70',
  title: 'change_pte bracketed by invalidate_range_start/end: it finds no sPTE',
  releases: { first: 'v3.7', last: 'v4.12' },
  commits: [
    '6bdb913f0a70 ("mm: wrap calls to set_pte_at_notify with invalidate_range_start and invalidate_range_end")',
    '2ec74c3ef2d8 ("mm: move all mmu notifier invocations to be done outside the PT lock")',
  ],
  simplifications: [
    'mm.try_to_unmap_one.notify, mm.page_mkclean_one.notify: v4.11-v4.12 (c7ab0d2fdc84 "mm: convert try_to_unmap_one() to use page_vma_mapped_walk()") moved .invalidate_page back under the PTL, still after the discard decision; the model keeps the v3.7 placement.',
    'mm.set_pte_at_notify: the change_pte-first order is applied from v3.7; it may have come a few releases later. No outcome depends on it: range_start has already zapped the sPTE.',
  ],
  rules: {
    'mm.ksm.bracket': {
      value: true,
      why: 'write_protect_page() and replace_page() call invalidate_range_start() on [addr, addr+PAGE_SIZE) before taking the PTL and invalidate_range_end() after dropping it.',
      cite: [{ file: 'mm/ksm.c', fn: 'write_protect_page, replace_page', commit: '6bdb913f0a70 ("mm: wrap calls to set_pte_at_notify with invalidate_range_start and invalidate_range_end")', status: 'verified' }],
    },
    'mm.wp_page_copy.bracket': {
      value: true,
      why: 'do_wp_page() calls invalidate_range_start() after allocating the copy and before retaking the PTL, and invalidate_range_end() after pte_unmap_unlock().',
      cite: [{ file: 'mm/memory.c', fn: 'do_wp_page', commit: '6bdb913f0a70 ("mm: wrap calls to set_pte_at_notify with invalidate_range_start and invalidate_range_end")', status: 'verified' }],
    },
    'mm.try_to_unmap_one.notify': {
      value: 'invalidate_page-after-unlock',
      why: 'try_to_unmap_one() uses plain ptep_clear_flush() and calls .invalidate_page after pte_unmap_unlock(), before the page is released; the lazyfree discard decision (v4.5+) is taken before it, under the PTL.',
      cite: [
        { file: 'mm/rmap.c', fn: 'try_to_unmap_one', commit: '2ec74c3ef2d8 ("mm: move all mmu notifier invocations to be done outside the PT lock")', status: 'verified', note: 'posting read' },
        { file: 'mm/rmap.c', fn: 'try_to_unmap_one', status: 'verified', note: 'v4.x source read: "if (!PageDirty(page) && (flags & TTU_LZFREE)) goto discard;" under the PTL, mmu_notifier_invalidate_page() after pte_unmap_unlock()' },
      ],
    },
    'mm.page_mkclean_one.notify': {
      value: 'invalidate_page-after-unlock',
      why: 'page_mkclean_one() calls .invalidate_page after pte_unmap_unlock().',
      cite: [{ file: 'mm/rmap.c', fn: 'page_mkclean_one', commit: '2ec74c3ef2d8 ("mm: move all mmu notifier invocations to be done outside the PT lock")', status: 'verified', note: 'posting read' }],
    },
    'kvm.notifier_ops': {
      value: ['release', 'invalidate_page', 'invalidate_range_start', 'invalidate_range_end', 'change_pte', 'clear_flush_young', 'clear_young', 'test_young'],
      why: 'KVM also registers .clear_young once the callback exists (v4.3); only idle page tracking calls it, and such scenarios run as of v4.3 in this era.',
      cite: [{ file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_clear_young', status: 'recalled', note: 'the clear_young series, v4.3; present in v4.19 (read)' }],
    },
    'mm.set_pte_at_notify': {
      value: 'change_pte-then-set_pte_at',
      why: 'set_pte_at_notify() runs mmu_notifier_change_pte() before set_pte_at(): "Updating the secondary MMUs first is required when we change both the protection of the mapping from read-only to read-write and the pfn (COW)".',
      cite: [{ file: 'include/linux/mmu_notifier.h', fn: 'set_pte_at_notify', status: 'verified', note: 'this order is in the header by v3.19; the commit that flipped it is not identified' }],
    },
  },
});
