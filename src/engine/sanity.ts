// The engine's own invariants: what makes a state one the kernel can be in. Checked after every
// step of a canonical run, and on every explored state by the self-check tests. A failure is
// a bug in mmutt, not a finding about the kernel: harms are reported as violations instead.
// Each invariant is listed, with its reason, in docs/engine.md ("Invariants").
import { hex } from '../contract/output.js';
import type { Machine } from './compile.js';
import { MM_EXITED, MM_FORKING, MM_UNBORN, VMA_MAPPED, frameSlot } from './layout.js';
import { FRAME, PG, PTE, ptePfn, type State, get } from './state.js';

export function checkSanity(m: Machine, s: State): string | null {
  const l = m.layout;
  const started = (tid: number) => get(s, l.threads[tid]!.pc) > 0;
  const finished = (tid: number) => get(s, l.threads[tid]!.pc) >= m.programs[tid]!.length;

  // Frames: references and mappings add up; a free page is unreachable from any PTE.
  const mapped = new Map<number, number>();
  for (const p of l.pages) {
    const pte = get(s, p.pte);
    if (pte & PTE.PRESENT) mapped.set(ptePfn(pte), (mapped.get(ptePfn(pte)) ?? 0) + 1);
  }
  for (let i = 0; i < l.nframes; i++) {
    const pfn = l.firstPfn + i;
    const flags = get(s, frameSlot(l, pfn, FRAME.FLAGS));
    const ref = get(s, frameSlot(l, pfn, FRAME.REFCOUNT));
    const map = get(s, frameSlot(l, pfn, FRAME.MAPCOUNT));
    if (flags & PG.ZERO) {
      if (flags & PG.FREE) return 'the zero page was freed';
      continue;
    }
    if (flags & PG.FREE) {
      if (ref !== 0 || map !== 0) return `free page ${hex(pfn)} has refcount ${ref}, mapcount ${map}`;
      if (mapped.has(pfn)) return `free page ${hex(pfn)} is mapped by a PTE`;
      continue;
    }
    if (ref < map) return `page ${hex(pfn)}: refcount ${ref} < mapcount ${map}`;
    // A PTE may be transiently cleared (ptep_clear_flush) while its mapcount still counts it.
    if ((mapped.get(pfn) ?? 0) > map) return `page ${hex(pfn)}: ${mapped.get(pfn)} PTEs map it but mapcount is ${map}`;
  }

  // A vma that is not mapped has no PTEs (munmap, exit_mmap and an unforked child).
  for (const p of l.pages) {
    if (!(get(s, l.vmas[p.vma]!.state) & VMA_MAPPED) && get(s, p.pte) !== 0) return `pte ${l.procs[p.proc]!.name}:${hex(p.addr)} is set in a vma that is not mapped`;
  }

  // The life of an mm: nothing runs in a process that does not exist yet or any more.
  for (let pi = 0; pi < l.procs.length; pi++) {
    const p = l.procs[pi]!;
    const mm = get(s, p.mmState);
    const own = l.threads.flatMap((t, tid) => (t.kind === 'user' && t.proc === pi ? [tid] : []));
    if (mm === MM_UNBORN || mm === MM_FORKING) {
      const early = own.find(started);
      if (early !== undefined) return `thread ${l.threads[early]!.name} runs in ${p.name} before its fork() has completed`;
    }
    if (mm === MM_UNBORN) {
      if (l.pages.some((q) => q.proc === pi && get(s, q.pte) !== 0)) return `${p.name} has a PTE before it is forked`;
      if (get(s, p.mmapLock) !== 0 || get(s, p.ptl) !== 0) return `${p.name}'s locks are held before it is forked`;
    }
    if (mm === MM_FORKING && !(get(s, p.mmapLock) > 0)) return `${p.name} is being forked without its mmap_lock held for write`;
    if (mm === MM_EXITED) {
      if (l.pages.some((q) => q.proc === pi && get(s, q.pte) !== 0)) return `${p.name} has a PTE after exit_mmap()`;
      const running = own.find((tid) => !finished(tid));
      if (running !== undefined) return `thread ${l.threads[running]!.name} of ${p.name} runs after exit_mmap()`;
    }
  }

  // Locks are held by threads that are running, never by finished ones; a finished thread
  // has no live locals.
  for (const lock of l.locks) {
    const v = get(s, lock);
    if (v > 0 && (v > l.threads.length || finished(v - 1))) return `${l.names[lock]} is held by ${l.threads[v - 1]?.name ?? `thread ${v - 1}`}, which is not running`;
    if (v < -l.threads.length) return `${l.names[lock]} has more readers than threads`;
  }
  for (let tid = 0; tid < l.threads.length; tid++) {
    if (!finished(tid)) continue;
    for (let k = 0; k < 8; k++) if (get(s, l.threads[tid]!.locals + k) !== 0) return `thread ${l.threads[tid]!.name} finished with a live local (${l.names[l.threads[tid]!.locals + k]})`;
  }

  // Each secondary MMU's own (KVM: its sPTEs and TLBs against the mm and the frames).
  for (const r of l.secondaries) {
    const wrong = r.sanity(l, m.parts.get(r.name), s);
    if (wrong) return wrong;
  }
  return null;
}
