// The OOM reaper (mm/oom_kill.c, v4.6+): the oom_reaper kthread unmaps an OOM victim's
// anonymous and private memory (can_madv_dontneed_vma(): not VM_LOCKED, hugetlb or VM_PFNMAP)
// so that it comes back before the victim's exit_mmap(). How it treats the victim's mmu
// notifiers is the era's rule (docs/evidence/oom-reaper.md). Its steps are data.
import type { Emit } from './emit.js';
import { emitRangeOp, zapPte } from './madvise.js';
import { hasNotifiers } from './notifier.js';
import { unreachable } from './program.js';

/**
 * oom_reap_task_mm() -> __oom_reap_task_mm() on the victim `proc`. Simplifications: it waits
 * for mmap_read_lock where the kernel's mmap_read_trylock() fails and retries 100 ms later, and
 * it reaps the victim's pages as one range (the kernel brackets each VMA from v4.16).
 */
export function emitOomReap(e: Emit, proc: number): void {
  const { l } = e;
  const pages = l.pages.flatMap((p, i) => (p.proc === proc && (l.vmas[p.vma]!.anon || !l.vmas[p.vma]!.shared) ? [i] : []));
  if (!pages.length) {
    e.asm.emit({ fn: '__oom_reap_task_mm', does: 'no anonymous or private vma: nothing to reap', data: () => ({ effect: [] }) });
    return;
  }
  const how = e.rule('mm.oom_reaper.notifiers');
  let notify: boolean;
  let refuse: string | undefined;
  switch (how) {
    case 'unnotified':
      // The reaper calls no notifier: a secondary MMU that maps the victim's pages keeps them.
      notify = false;
      break;
    case 'skip-if-notifiers':
      notify = false;
      if (hasNotifiers(e, pages)) refuse = 'mm_has_notifiers(): the reaper leaves this mm to exit_mmap()';
      break;
    // Every modelled registrant is flagged MMU_INVALIDATE_DOES_NOT_BLOCK from the release the flag
    // arrives (KVM, amd_iommu_v2: read at 4.16.13), and none refuses a non-blocking start (KVM's
    // returns 0; the device registers no start from v3.19): the reaper brackets and unmaps.
    case 'skip-if-blockable':
    case 'nonblock-start':
      notify = true;
      break;
    default:
      unreachable(how);
  }
  emitRangeOp(e, pages, {
    fn: '__oom_reap_task_mm',
    lock: 'read',
    ...(refuse ? { refuse } : {}),
    walk: { fn: 'unmap_page_range', does: "zap the victim's anonymous and private PTEs", drops: ' and drop the pages', pte: (pi, gather) => zapPte(e, pi, gather) },
    after: { fn: '__oom_reap_task_mm', does: 'tlb_finish_mmu()', effect: [] },
    gathers: true,
    flush: ['tlb_flush_mmu_tlbonly'],
    notify,
  });
}
