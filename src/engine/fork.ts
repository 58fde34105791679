// Process lifetime (kernel/fork.c, mm/mmap.c): fork() copies the address space, write-protecting
// private pages in the parent inside invalidate_range_start/end; exit_mmap() tells secondary MMUs
// with .release before it tears the address space down. A child's threads run only once
// copy_process() has finished: compile.ts holds them back until its mm is MM_LIVE. Its steps are
// data (step-data.ts).
import { PAGE_SIZE } from '../contract/output.js';
import { clearLocalsData, type Emit } from './emit.js';
import { MM_EXITED, MM_FORKING, MM_LIVE, WALK_LOCALS } from './layout.js';
import { zapPte } from './madvise.js';
import { bracket, flushPending, release, tlbFlushed } from './notifier.js';
import { fieldOf, flagsOf, frameAt, getPageData, lockFree } from './prims.js';
import { FRAME, PG, PTE } from './state.js';
import { and, assign, bind, bits, block, not, op, slot, v, when, write, type Stmt } from './step-data.js';

/** fork(child): dup_mmap() -> copy_page_range() for every vma of the parent. */
export function emitFork(e: Emit, parent: number, child: number): void {
  const { l, asm } = e;
  const pm = l.procs[parent]!;
  const cm = l.procs[child]!;
  const childVmas = l.vmas.filter((x) => x.proc === child);
  asm.emit({
    fn: 'dup_mmap',
    does: 'mmap_write_lock() the parent and the new mm; copy the vmas to the child',
    data: () => ({
      guard: lockFree(pm.mmapLock),
      effect: [
        write(pm.mmapLock, e.owner),
        write(cm.mmapLock, e.owner),
        write(cm.mmState, MM_FORKING),
        ...l.vmas.filter((x) => x.proc === parent).map((x, k) => write(childVmas[k]!.state, slot(x.state))),
      ],
    }),
  });
  const pte = v('pte');
  const pfn = v('pfn');
  for (const vma of l.vmas.filter((x) => x.proc === parent)) {
    const pages = l.pages.flatMap((p, i) => (p.proc === parent && p.addr >= vma.start && p.addr < vma.start + vma.pages * PAGE_SIZE ? [i] : []));
    // is_cow_mapping(): a private writable mapping's parent PTEs are write-protected, inside
    // invalidate_range_start/end; a shared one's are copied as they are, with no notifier.
    const cow = !vma.shared;
    bracket(e, pages, cow, () =>
      asm.emit({
        fn: 'copy_page_range',
        does: cow ? 'write-protect the parent PTEs and copy them to the child, under both PTLs' : 'copy the PTEs to the child (shared mapping: no notifier)',
        data: () => ({
          guard: and(lockFree(pm.ptl), lockFree(cm.ptl)),
          effect: [...pages.map((pi): Stmt => {
            const p = l.pages[pi]!;
            const q = l.pages.findIndex((x) => x.proc === child && x.addr === p.addr);
            return {
              k: 'do',
              do: [
                bind('pte', slot(p.pte)),
                when(op(pte, '!==', 0), [
                  // A NUMA-hint (PROT_NONE) PTE is pte_present() too: copy_present_pte() counts it.
                  when(bits(pte, PTE.PRESENT), [
                    bind('pfn', op(pte, '>>>', PTE.SHIFT)),
                    when(not(bits(flagsOf(l, pfn), PG.ZERO)), [getPageData(l, pfn), write(frameAt(l, pfn, FRAME.MAPCOUNT), op(fieldOf(l, pfn, FRAME.MAPCOUNT), '+', 1))]),
                    ...(cow ? [assign('pte', op(pte, '&', ~PTE.WRITE)), write(p.pte, pte)] : []),
                  ]),
                  // The child's PTE: old, and clean in a shared mapping (copy_present_pte()).
                  write(l.pages[q]!.pte, op(op(pte, '&', ~PTE.YOUNG), '&', ~(vma.shared ? PTE.DIRTY : 0))),
                ]),
              ],
            };
          }),
            // The parent's write-protected PTEs wait for flush_tlb_mm() at the end of dup_mmap().
            ...(cow ? flushPending(e, pages, true) : []),
          ],
        }),
      }),
    );
  }
  // flush_tlb_mm() of the parent: a device TLB hears it from the architecture's flush from v6.6
  // (before, range_end of each COW vma told it).
  const parentPages = l.pages.flatMap((p, i) => (p.proc === parent ? [i] : []));
  if (parentPages.length) tlbFlushed(e, parentPages, [], 'mm');
  asm.emit({
    fn: 'dup_mmap',
    // The CPU's flush is not state here; its notifier (v6.6+) is the step before this one.
    does: 'flush_tlb_mm() of the parent done; mmap_write_unlock() both mms; copy_process() ends: the child can run',
    data: () => ({ effect: [...flushPending(e, parentPages, false), write(pm.mmapLock, 0), write(cm.mmapLock, 0), write(cm.mmState, MM_LIVE)] }),
  });
}

/** exit(): exit_mmap(): mmu_notifier_release() first, then unmap and free everything. */
export function emitExit(e: Emit, proc: number): void {
  const { l, asm } = e;
  const pm = l.procs[proc]!;
  const pages = l.pages.flatMap((p, i) => (p.proc === proc ? [i] : []));
  // exit_mmap() runs when the last user of the mm is gone: the process's other threads, and
  // its vCPUs (KVM runs a vCPU only in the VM's own mm).
  const users = l.threads.flatMap((t, tid) => (tid !== e.tid && ((t.kind === 'user' && t.proc === proc) || l.secondaries.some((r) => r.usesMm(l, tid, proc))) ? [tid] : []));
  // Asked while the program is built (compile.ts: a program that waits for others is its machine's own).
  const gone = and(...users.map((tid) => e.finished(tid)));
  asm.emit({
    fn: 'do_exit',
    does: 'the last thread of the process exits: mmput() -> exit_mmap()',
    data: { guard: gone, effect: [] },
  });
  if (pages.length) release(e, pages[0]!);
  asm.emit({
    fn: 'exit_mmap',
    does: 'unmap_vmas() (secondary MMUs were released: no callbacks), free the pages, remove the vmas',
    data: () => ({
      guard: and(lockFree(pm.mmapLock), lockFree(pm.ptl)),
      effect: [
        // unmap_vmas() -> zap_pte_range(), as munmap() zaps (madvise.ts).
        ...pages.map((pi) => block(zapPte(e, pi))),
        ...l.vmas.filter((x) => x.proc === proc).map((x) => write(x.state, 0)),
        write(pm.mmState, MM_EXITED),
        ...clearLocalsData(e, WALK_LOCALS),
      ],
    }),
  });
}
