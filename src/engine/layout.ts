// Where each piece of machine state lives in the flat state array, computed once per scenario.
import { COUNTER_NAMES, type CounterName, hex, VIOLATIONS } from '../contract/output.js';
import { FRAME_STRIDE, VIOLATION_BIT, fmtPg, fmtPte } from './state.js';
import type { Scenario, ThreadKind } from '../contract/scenario.js';
import { PAGE_SIZE } from '../contract/output.js';
import type { SecondaryMmu } from './secondary.js';

/** Thread-local scratch slots: what a kernel function keeps in local variables. */
export const L = {
  SEQ: 0, // fault->mmu_seq, the mmu_invalidate_seq snapshot
  PFN: 1, // the pfn the fault path got from the host (hva_to_pfn)
  MAP_WRITABLE: 2, // fault->map_writable
  NEWPTE: 3, // the PTE value set_pte_at_notify() is about to set
  OLDPFN: 4, // the page being replaced (COW old page, KSM page being merged away)
  NEWPFN: 5, // the page replacing it (COW copy, KSM page)
  ORIGPTE: 6, // write_protect_page()'s orig_pte, checked by replace_page()'s pte_same()
  RESULT: 7, // what an rmap walk found (young, referenced, unmapped, cleaned)
} as const;

/** The locals each family of kernel functions owns (and clears when it returns). */
export const FAULT_LOCALS = [L.SEQ, L.PFN, L.MAP_WRITABLE] as const;
export const MM_LOCALS = [L.NEWPTE, L.OLDPFN, L.NEWPFN, L.ORIGPTE] as const;
export const WALK_LOCALS = [L.OLDPFN, L.NEWPFN, L.NEWPTE, L.RESULT] as const;

export interface PageSlot {
  proc: number;
  addr: number;
  /** Index into vmas[]. */
  vma: number;
  /** Index of the PTE slot. */
  pte: number;
  /** The page's backing store: its swap slot (anon) or its file block (file); see stores[]. */
  store: number;
}

export interface VmaSlot {
  proc: number;
  start: number;
  pages: number;
  anon: boolean;
  shared: boolean;
  mergeable: boolean;
  /** VMA_MAPPED | VMA_WRITE: the vma exists (munmap, fork, exit change it) and its protection (mprotect). */
  state: number;
}

/** Backing store of a page: a swap slot or a file block, and the swap-cache/page-cache page for it. */
export interface StoreSlot {
  content: number;
  /** pfn of the page in the swap cache or page cache for this store, or 0. */
  cache: number;
  file: boolean;
}

export const VMA_MAPPED = 1;
export const VMA_WRITE = 2;

export interface ProcSlot {
  name: string;
  mmapLock: number;
  ptl: number;
  /** MM_UNBORN, MM_FORKING, MM_LIVE or MM_EXITED: the life of the mm (docs/engine.md, invariants). */
  mmState: number;
  /** The process this one is declared a fork child of (`child of`), or -1. */
  parent: number;
}

/**
 * The life of an mm. A `child of` process has none until its parent's fork() creates it
 * (MM_FORKING while dup_mmap() copies into it, under its mmap_lock held for write) and becomes
 * runnable only when copy_process() has finished (MM_LIVE); exit_mmap() ends it (MM_EXITED).
 */
export const MM_UNBORN = 0;
export const MM_FORKING = 1;
export const MM_LIVE = 2;
export const MM_EXITED = 3;
const MM_NAMES = ['none (not forked yet)', 'forking', 'live', 'exited'];

export interface ThreadSlot {
  name: string;
  kind: ThreadKind | 'prologue';
  proc?: number;
  /** vCPU index for vCPU threads (and their prologue), into the sorted vCPU names (LayoutBuilder.vcpus). */
  vcpu?: number;
  pc: number;
  locals: number;
  regs: Map<string, number>;
  /**
   * The thread's mmu_gather: the pfns its zap has cleared from the PTEs and not yet freed, one
   * slot per page of its largest zap (munmap, MADV_DONTNEED) of a process a device is bound to;
   * tlb_finish_mmu() frees them after the TLB flush (mm/mmu_gather.c).
   */
  gather: number[];
}

export interface Layout {
  size: number;
  violations: number;
  counters: number;
  firstPfn: number;
  nframes: number;
  frames: number;
  procs: ProcSlot[];
  vmas: VmaSlot[];
  pages: PageSlot[];
  stores: StoreSlot[];
  threads: ThreadSlot[];
  /** The secondary MMUs registered on the notifier chain, in registration order, and each one's part of the layout by its name. */
  secondaries: readonly SecondaryMmu[];
  parts: ReadonlyMap<string, unknown>;
  /** Human names for every slot, for traces ("spte gfn 0x100"). */
  names: string[];
  /** A slot's kind: one of SlotKind, or a secondary MMU's own (printed by its `formats`). */
  kinds: string[];
  /** The slots of kind `lock`, the secondary MMUs' too (sanity.ts checks who holds them). */
  locks: number[];
  /** The CPU architecture (the scenario's `arch` option): arm64 flushes a permission upgrade from the CPU TLB, x86 does not. */
  arch: Scenario['options']['arch'];
}

/** `mark`: what the model keeps for its own judgements, no kernel state (a trace leaves it out, as it does pcs and locals). */
export type SlotKind = 'pte' | 'flags' | 'lock' | 'mm' | 'num' | 'content' | 'pfn' | 'vma' | 'pc' | 'local' | 'reg' | 'counter' | 'violations' | 'mark';

/** Frames are numbered from here so that a pfn never looks like a page content or a gfn. */
export const FIRST_PFN = 0x10;

/** The slots as they are taken: each a name for traces and a kind. */
class Slots {
  readonly names: string[] = [];
  readonly kinds: string[] = [];
  readonly take = (name: string, kind: string): number => {
    this.names.push(name);
    this.kinds.push(kind);
    return this.names.length - 1;
  };
  get next(): number {
    return this.names.length;
  }
}

/**
 * The layout of a scenario: the harms and counters, the frames, each process (its locks, mm,
 * vmas, pages and their backing stores), each secondary MMU's part, and each thread (pc,
 * locals, registers), in that order.
 */
export function buildLayout(s: Scenario, nframes: number, prologue: string[], secondaries: readonly SecondaryMmu[]): Layout {
  const slots = new Slots();
  const violations = slots.take('violations', 'violations');
  const counters = slots.next;
  for (const c of COUNTER_NAMES) slots.take(c, 'counter');
  const frames = slots.next;
  for (let i = 0; i < nframes; i++) {
    const pfn = hex(FIRST_PFN + i);
    slots.take(`folio ${pfn} content`, 'content');
    slots.take(`folio ${pfn} refcount`, 'num');
    slots.take(`folio ${pfn} mapcount`, 'num');
    slots.take(`folio ${pfn} flags`, 'flags');
    slots.take(`folio ${pfn} store`, 'num');
  }
  const { procs, vmas, pages, stores } = processSlots(s, slots);
  // The secondary MMUs' state, each its own part, after the primary MMU's.
  const prologueVcpus = prologue.filter((by) => s.touched.some((t) => t.by === by && t.gfn !== undefined));
  const vcpuNames = [...new Set([...prologueVcpus, ...s.threads.filter((t) => t.kind === 'vcpu').map((t) => t.name)])].sort();
  const builder = { slot: slots.take, pages, vcpus: vcpuNames, get next() { return slots.next; } };
  const parts = new Map(secondaries.map((r) => [r.name, r.layout(s, builder)]));
  const threads = threadSlots(s, slots, prologue, vcpuNames);
  const { names, kinds } = slots;
  return { size: names.length, violations, counters, firstPfn: FIRST_PFN, nframes, frames, procs, vmas, pages, stores, threads, secondaries, parts, names, kinds, locks: kinds.flatMap((k, i) => (k === 'lock' ? [i] : [])), arch: s.options.arch };
}

/** Each process's locks and mm, its vmas (a fork child's are its parent's, unmapped until fork() copies them), their pages and the pages' backing stores. */
function processSlots(s: Scenario, slots: Slots) {
  const slot = slots.take;
  const procs: ProcSlot[] = [];
  const pages: PageSlot[] = [];
  const vmas: VmaSlot[] = [];
  const stores: StoreSlot[] = [];
  s.procs.forEach((p, pi) => {
    const parent = p.childOf === undefined ? -1 : s.procs.findIndex((q) => q.name === p.childOf);
    procs.push({ name: p.name, mmapLock: slot(`${p.name} mmap_lock`, 'lock'), ptl: slot(`${p.name} ptl`, 'lock'), mmState: slot(`${p.name} mm`, 'mm'), parent });
    const decl = parent >= 0 ? s.procs[parent]!.vmas : p.vmas;
    for (const v of decl) {
      const vi = vmas.length;
      vmas.push({ proc: pi, start: v.start, pages: v.pages, anon: v.anon, shared: v.shared, mergeable: v.mergeable, state: slot(`${p.name} vma ${hex(v.start)}`, 'vma') });
      for (let k = 0; k < v.pages; k++) {
        const addr = v.start + k * PAGE_SIZE;
        // File pages of a fork child are the parent's page-cache pages: same file block.
        const shareStore = !v.anon && parent >= 0;
        const store = shareStore ? pages.find((q) => q.proc === parent && q.addr === addr)!.store : stores.length;
        if (!shareStore) {
          stores.push({
            content: slot(`${v.anon ? 'swap slot' : 'file block'} of ${p.name}:${hex(addr)}`, 'content'),
            cache: slot(`${v.anon ? 'swap cache' : 'page cache'} of ${p.name}:${hex(addr)}`, 'pfn'),
            file: !v.anon,
          });
        }
        pages.push({ proc: pi, addr, vma: vi, pte: slot(`pte ${p.name}:${hex(addr)}`, 'pte'), store });
      }
    }
  });
  return { procs, vmas, pages, stores };
}

/**
 * Each thread's pc, locals and registers: the prologue's first (one per vCPU or device of
 * `touched`; a device's runs in the process it is bound to), then the scenario's threads as written.
 */
function threadSlots(s: Scenario, slots: Slots, prologue: readonly string[], vcpuNames: readonly string[]): ThreadSlot[] {
  const threads: ThreadSlot[] = [];
  const addThread = (name: string, kind: ThreadSlot['kind'], regNames: string[], zapPages: number, proc?: number, vcpu?: number) => {
    const pc = slots.take(`${name} pc`, 'pc');
    const locals = slots.next;
    for (const k of Object.keys(L)) slots.take(`${name} ${k.toLowerCase()}`, 'local');
    const regs = new Map<string, number>();
    for (const r of regNames) regs.set(r, slots.take(`${name}:${r}`, 'reg'));
    const gather = Array.from({ length: zapPages }, (_, k) => slots.take(`${name} mmu_gather[${k}]`, 'pfn'));
    const t: ThreadSlot = { name, kind, pc, locals, regs, gather };
    if (proc !== undefined) t.proc = proc;
    if (vcpu !== undefined) t.vcpu = vcpu;
    threads.push(t);
  };
  for (const by of prologue) {
    const device = s.threads.find((t) => t.kind === 'device' && t.name === by);
    if (device) addThread(`${by}(prologue)`, 'prologue', [], 0, s.procs.findIndex((p) => p.name === device.proc));
    else addThread(`${by}(prologue)`, 'prologue', [], 0, undefined, vcpuNames.indexOf(by));
  }
  for (const t of s.threads) {
    const regNames = [...new Set(t.ops.flatMap((o) => ('reg' in o && o.reg !== undefined ? [o.reg] : [])))];
    const proc = t.proc !== undefined ? s.procs.findIndex((p) => p.name === t.proc) : undefined;
    // Only a zap a device TLB may hear of from the flush keeps its pages till then (madvise.ts).
    const heard = (proc: string | undefined) => s.threads.some((d) => d.kind === 'device' && d.proc === proc);
    const reaped = (proc: string) => s.procs.find((p) => p.name === proc)!.vmas.filter((v) => v.anon || !v.shared).reduce((n, v) => n + v.pages, 0);
    const zapPages = Math.max(
      0,
      ...t.ops.map((o) => {
        if ((o.kind === 'munmap' || (o.kind === 'madvise' && o.advice === 'MADV_DONTNEED')) && heard(t.proc)) return o.pages;
        if (o.kind === 'oom-reap' && heard(o.proc)) return reaped(o.proc);
        return 0;
      }),
    );
    addThread(t.name, t.kind, regNames, zapPages, proc, t.kind === 'vcpu' ? vcpuNames.indexOf(t.name) : undefined);
  }
  return threads;
}

/** Index of a frame field, by pfn. */
export function frameSlot(l: Layout, pfn: number, field: number): number {
  return l.frames + (pfn - l.firstPfn) * FRAME_STRIDE + field;
}

const COUNTER_INDEX = Object.fromEntries(COUNTER_NAMES.map((c, k) => [c, k])) as Record<CounterName, number>;

export function counterSlot(l: Layout, c: CounterName): number {
  return l.counters + COUNTER_INDEX[c];
}

/** A value of a slot in kernel terms, for traces. */
export function fmtSlot(l: Layout, idx: number, v: number): string {
  switch (l.kinds[idx]) {
    case 'pte':
      return fmtPte(v);
    case 'flags':
      return fmtPg(v);
    case 'pfn':
      return v ? `pfn ${hex(v)}` : 'none';
    case 'vma':
      return v & VMA_MAPPED ? (v & VMA_WRITE ? 'mapped rw' : 'mapped ro') : 'unmapped';
    case 'lock':
      return v === 0 ? 'unlocked' : v > 0 ? `held by ${l.threads[v - 1]?.name ?? v}` : `read-held x${-v}`;
    case 'mm':
      return MM_NAMES[v] ?? String(v);
    case 'num':
      return String(v);
    case 'content':
      return hex(v);
    case 'reg':
      return hex(v);
    case 'violations':
      // The harms seen, by name (the bits of VIOLATION_BIT).
      return v ? VIOLATIONS.filter((x) => v & VIOLATION_BIT[x]).join(', ') : 'none';
    default: {
      for (const r of l.secondaries) {
        const f = r.formats[l.kinds[idx]!];
        if (f) return f(v);
      }
      return String(v);
    }
  }
}
