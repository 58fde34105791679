// Process lifetime (kernel/fork.c, mm/mmap.c): fork() copies the address space, write-protecting
// private pages in the parent inside invalidate_range_start/end; exit_mmap() tells secondary MMUs
// with .release before it tears the address space down. A child's threads run only once
// copy_process() has finished: compile.ts holds them back until its mm is MM_LIVE.
import { PAGE_SIZE } from '../contract/output.js';
import { clearLocals, type Emit } from './emit.js';
import { MM_EXITED, MM_FORKING, MM_LIVE, WALK_LOCALS } from './layout.js';
import { bracket, release } from './notifier.js';
import { folioMarkDirty, frameGet, frameSet, getPage, lockFree, pageFlags, putPage } from './prims.js';
import { FRAME, PG, PTE, ptePfn, put, get } from './state.js';

/** fork(child): dup_mmap() -> copy_page_range() for every vma of the parent. */
export function emitFork(e: Emit, parent: number, child: number): void {
  const { l, asm } = e;
  const pm = l.procs[parent]!;
  const cm = l.procs[child]!;
  asm.emit({
    fn: 'dup_mmap',
    does: 'mmap_write_lock() the parent and the new mm; copy the vmas to the child',
    enabled: (s) => get(s, pm.mmapLock) === 0,
    exec: (s) => {
      put(s, pm.mmapLock, e.owner);
      put(s, cm.mmapLock, e.owner);
      put(s, cm.mmState, MM_FORKING);
      const childVmas = l.vmas.filter((v) => v.proc === child);
      l.vmas.filter((v) => v.proc === parent).forEach((v, k) => (put(s, childVmas[k]!.state, get(s, v.state))));
    },
  });
  for (const v of l.vmas.filter((x) => x.proc === parent)) {
    const pages = l.pages.flatMap((p, i) => (p.proc === parent && p.addr >= v.start && p.addr < v.start + v.pages * PAGE_SIZE ? [i] : []));
    // is_cow_mapping(): a private writable mapping's parent PTEs are write-protected, inside
    // invalidate_range_start/end; a shared one's are copied as they are, with no notifier.
    const cow = !v.shared;
    bracket(e, pages, cow, () =>
      asm.emit({
        fn: 'copy_page_range',
        does: cow ? 'write-protect the parent PTEs and copy them to the child, under both PTLs' : 'copy the PTEs to the child (shared mapping: no notifier)',
        enabled: (s) => lockFree(s, pm.ptl) && lockFree(s, cm.ptl),
        exec: (s) => {
          for (const pi of pages) {
            const p = l.pages[pi]!;
            const q = l.pages.findIndex((x) => x.proc === child && x.addr === p.addr);
            let pte = get(s, p.pte);
            if (pte === 0) continue;
            // A NUMA-hint (PROT_NONE) PTE is pte_present() too: copy_present_pte() counts it.
            if (pte & PTE.PRESENT) {
              const pfn = ptePfn(pte);
              if (!(pageFlags(l, s, pfn) & PG.ZERO)) {
                getPage(l, s, pfn);
                frameSet(l, s, pfn, FRAME.MAPCOUNT, frameGet(l, s, pfn, FRAME.MAPCOUNT) + 1);
              }
              if (cow) {
                pte &= ~PTE.WRITE;
                put(s, p.pte, pte);
              }
            }
            // The child's PTE: old, and clean in a shared mapping (copy_present_pte()).
            put(s, l.pages[q]!.pte, pte & ~PTE.YOUNG & ~(v.shared ? PTE.DIRTY : 0));
          }
        },
      }),
    );
  }
  asm.emit({
    fn: 'dup_mmap',
    does: 'mmap_write_unlock() both mms; flush_tlb_mm() the parent; copy_process() ends: the child can run',
    exec: (s) => {
      put(s, pm.mmapLock, 0);
      put(s, cm.mmapLock, 0);
      put(s, cm.mmState, MM_LIVE);
    },
  });
}

/** exit(): exit_mmap(): mmu_notifier_release() first, then unmap and free everything. */
export function emitExit(e: Emit, proc: number): void {
  const { l, asm } = e;
  const pm = l.procs[proc]!;
  const pages = l.pages.flatMap((p, i) => (p.proc === proc ? [i] : []));
  // exit_mmap() runs when the last user of the mm is gone: the process's other threads, and
  // its vCPUs (KVM runs a vCPU only in the VM's own mm).
  const users = l.threads.flatMap((t, tid) => (tid !== e.tid && (t.proc === proc || ((t.kind === 'vcpu' || t.kind === 'prologue') && e.vmProc === proc)) ? [tid] : []));
  asm.emit({
    fn: 'do_exit',
    does: 'the last thread of the process exits: mmput() -> exit_mmap()',
    enabled: (s) => users.every((tid) => e.finished(s, tid)),
    exec: () => {},
  });
  if (pages.length) release(e, pages[0]!);
  asm.emit({
    fn: 'exit_mmap',
    does: 'unmap_vmas() (secondary MMUs were released: no callbacks), free the pages, remove the vmas',
    enabled: (s) => get(s, pm.mmapLock) === 0 && lockFree(s, pm.ptl),
    exec: (s, notes) => {
      for (const pi of pages) {
        const pte = get(s, l.pages[pi]!.pte);
        put(s, l.pages[pi]!.pte, 0);
        if (pte & PTE.SWAP) put(s, l.stores[ptePfn(pte)]!.content, 0);
        if (!(pte & PTE.PRESENT)) continue;
        const pfn = ptePfn(pte);
        if (pageFlags(l, s, pfn) & PG.ZERO) continue;
        if (pte & PTE.DIRTY && pageFlags(l, s, pfn) & PG.FILE) folioMarkDirty(l, s, pfn);
        frameSet(l, s, pfn, FRAME.MAPCOUNT, frameGet(l, s, pfn, FRAME.MAPCOUNT) - 1);
        putPage(l, s, pfn, notes);
      }
      for (const v of l.vmas) if (v.proc === proc) put(s, v.state, 0);
      put(s, pm.mmState, MM_EXITED);
      clearLocals(e, s, WALK_LOCALS);
    },
  });
}

