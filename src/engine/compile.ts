// Scenario + an era's rules -> a machine: the state layout, one program of atomic steps per
// thread, and the initial state (after the `touched` accesses have run under those rules).
// The engine sees rules, never an era: which era they come from is the runner's business.
import { COUNTER_NAMES, PAGE_SIZE } from '../contract/output.js';
import type { EraRules, RuleName } from '../contract/era.js';
import type { Op, Scenario, TouchDecl } from '../contract/scenario.js';
import type { Emit } from './emit.js';
import { emitKsmMerge } from './ksm.js';
import type { MmuNotifierOps } from './notifier.js';
import type { SecondaryMmu } from './secondary.js';
import { watchers, type Watcher } from './windows.js';
import { FIRST_PFN, MM_LIVE, VMA_MAPPED, VMA_WRITE, buildLayout, frameSlot, type Layout } from './layout.js';
import { emitExit, emitFork } from './fork.js';
import { emitOomReap } from './oom.js';
import { emitMadvise, emitMprotect, emitMunmap, emitNumaHint } from './madvise.js';
import { emitAge } from './rmap.js';
import { emitReclaim } from './vmscan.js';
import { emitMigrate } from './migrate.js';
import { emitWriteback } from './page-writeback.js';
import { emitUserAccess } from './mm.js';
import { Asm, Label, startingWhen, unreachable, type Step } from './program.js';
import { and, eq, op, pcOf, slot, tag, type Expr } from './step-data.js';
import { FRAME, PG, PTE, type MutableState } from './state.js';
import { runToEnd } from './run.js';

export interface Machine {
  scenario: Scenario;
  layout: Layout;
  /** One program per layout.threads entry (prologue threads first). */
  programs: Step[][];
  /** The state the threads start from. */
  init: MutableState;
  /** What each secondary MMU fixed when the machine was compiled (SecondaryMmu.machine), by its name. */
  parts: ReadonlyMap<string, unknown>;
  /** Every secondary mapping that can go stale (windows.ts). */
  watchers: Watcher[];
  /**
   * The rules the programs may read (while built, or as they run): what a run of them depends
   * on. A machine is a function of the scenario and of these rules' values alone (the engine
   * reads rules only through Emit.rule and Emit.ruleRead), so rule sets that agree on them share it.
   */
  rulesRead: ReadonlySet<RuleName>;
}

export interface CompileOptions {
  /**
   * The secondary MMUs registered on the mmu_notifier chain with state of their own, in
   * registration order (the runner's: KVM), when no `layout` is given; none by default.
   */
  secondaries?: readonly SecondaryMmu[];
  /** More callbacks on the chain after theirs, with no state of their own (a test's recorder, say). */
  notifiers?: readonly MmuNotifierOps[];
  /** The scenario's layout, if the caller has built it already (layoutOf). */
  layout?: ScenarioLayout;
  /**
   * The end of the prologue (the `touched` accesses) by the rules its programs read, for the
   * machines of one scenario (same layout, same options): filled and read by compile.
   */
  prologues?: Map<string, readonly number[]>;
  /**
   * Thread programs built before for machines of one scenario (same layout, same options, no
   * notifiers of the caller's): filled and read by compile (ProgramCache).
   */
  programs?: ProgramCache;
}

/**
 * A thread's program is a function of the scenario and of the values of the rules read while
 * it was built: a machine whose rules agree on them has that program already, and shares it
 * (its steps are functions of the state alone; those built as data keep their data once
 * built). By thread, the programs built, grouped by the rules they read. A program that waits
 * for another thread to finish (exit) names where that thread's program ends, which another
 * machine's programs may not share: it is never kept.
 */
export type ProgramCache = Map<number, { read: readonly RuleName[]; byValues: Map<string, Step[]> }[]>;

/**
 * A scenario's layout, with the secondary MMUs registered on its chain: it depends on them and
 * the scenario alone and is never changed, so a caller may build it once and pass it to every
 * compile of the scenario (CompileOptions.layout).
 */
export function layoutOf(s: Scenario, secondaries: readonly SecondaryMmu[]): ScenarioLayout {
  const opCount = s.threads.reduce((n, t) => n + t.ops.length, 0) + s.touched.length;
  // The zero page, the initial pages, and room for every allocation a run can make: each
  // operation allocates at most two pages (a COW copy given up is freed before a retry).
  const nframes = 1 + s.mem.length + 2 * opCount + 2;
  const prologue = [...new Set(s.touched.map((t) => t.by))];
  return { l: buildLayout(s, nframes, prologue, secondaries), nframes };
}
export interface ScenarioLayout {
  l: Layout;
  nframes: number;
}

export function compile(s: Scenario, rules: EraRules, opts: CompileOptions = {}): Machine {
  const { l, nframes } = opts.layout ?? layoutOf(s, opts.secondaries ?? []);
  const { programs, rulesRead, readBy, finished } = buildPrograms(s, rules, l, opts.notifiers ?? [], opts.notifiers?.length ? undefined : opts.programs);
  holdBackStarts(s, l, programs, finished);
  // What a secondary MMU fixes for the machine, from the rules as they are: as the step that
  // depends on it is built, it reads the rule through Emit.rule.
  const peek = <K extends RuleName>(name: K) => rules[name].value;
  const parts = new Map(l.secondaries.map((r) => [r.name, r.machine(l, peek)]));
  const m: Machine = { scenario: s, layout: l, programs, init: initialState(s, l, nframes), parts, watchers: watchers(l), rulesRead };
  m.init = afterPrologue(m, rules, readBy, opts);
  return m;
}

/** The state the scenario declares: free frames and the zero page, live mms, mapped vmas, and the initial contents (anonymous pages written, file pages read). */
function initialState(s: Scenario, l: Layout, nframes: number): number[] {
  const init: number[] = new Array<number>(l.size).fill(0);
  for (let i = 0; i < nframes; i++) init[frameSlot(l, FIRST_PFN + i, FRAME.FLAGS)] = PG.FREE;
  init[frameSlot(l, FIRST_PFN, FRAME.FLAGS)] = PG.ZERO;
  init[frameSlot(l, FIRST_PFN, FRAME.REFCOUNT)] = 1;
  l.procs.forEach((p) => {
    if (p.parent < 0) init[p.mmState] = MM_LIVE;
  });
  s.procs.forEach((p, pi) => {
    if (p.childOf !== undefined) return;
    l.vmas.forEach((v, vi) => {
      if (v.proc === pi) init[v.state] = VMA_MAPPED | (p.vmas[l.vmas.slice(0, vi).filter((x) => x.proc === pi).length]!.writable ? VMA_WRITE : 0);
    });
  });
  s.mem.forEach((m, k) => {
    const pfn = FIRST_PFN + 1 + k;
    const pi = pageIndex(l, s, m.at.proc, m.at.addr);
    const page = l.pages[pi]!;
    const vma = l.vmas[page.vma]!;
    const set = (field: number, v: number) => (init[frameSlot(l, pfn, field)] = v);
    set(FRAME.CONTENT, m.value);
    set(FRAME.MAPCOUNT, 1);
    if (vma.anon) {
      // The process wrote the content: the PTE is dirty and young, writable if the vma is.
      set(FRAME.FLAGS, PG.SWAPBACKED);
      set(FRAME.REFCOUNT, 1);
      init[page.pte] = (pfn << PTE.SHIFT) | PTE.PRESENT | PTE.DIRTY | PTE.YOUNG | (init[vma.state]! & VMA_WRITE ? PTE.WRITE : 0);
    } else {
      // The file holds the content; the process has read it: a clean page-cache page mapped read-only.
      const store = l.stores[page.store]!;
      set(FRAME.FLAGS, PG.FILE);
      set(FRAME.INDEX, page.store);
      set(FRAME.REFCOUNT, 2);
      init[store.cache] = pfn;
      init[store.content] = m.value;
      init[page.pte] = (pfn << PTE.SHIFT) | PTE.PRESENT | PTE.YOUNG;
    }
  });
  return init;
}

/**
 * Each thread's program, built by the step builders of its operations under these rules (the
 * prologue's: the `touched` guest accesses), with the rules each program read while built.
 */
function buildPrograms(s: Scenario, rules: EraRules, l: Layout, more: readonly MmuNotifierOps[], cache?: ProgramCache) {
  const related = relatedPages(l, s);
  const lazyfree = s.threads.some((t) => t.ops.some((op) => op.kind === 'madvise' && op.advice === 'MADV_FREE'));
  const notifiers = [...l.secondaries.map((r) => r.ops), ...more];
  // Where each thread's program ends: bound once every program is assembled.
  const ends = l.threads.map(() => new Label());
  let waitsForThread = false;
  const finished = (tid: number): Expr => op(slot(l.threads[tid]!.pc), '>=', pcOf(ends[tid]!));
  const rulesRead = new Set<RuleName>();
  // A rule read once the programs are built would escape rulesRead (a step's data built late).
  let built = false;
  /** The rules each thread's program read while built (its steps read at run time only rules they read then). */
  const readBy = l.threads.map(() => new Set<RuleName>());
  const reading = (name: RuleName, tid: number) => {
    if (built) throw new Error(`internal: rule ${name} read after the programs were built (a step's data must not read rules)`);
    rulesRead.add(name);
    readBy[tid]!.add(name);
  };
  const valuesOf = (read: readonly RuleName[]) => read.map((n) => JSON.stringify(rules[n].value)).join(';');
  const programs = l.threads.map((t, tid) => {
    const known = cache?.get(tid) ?? [];
    for (const g of known) {
      const hit = g.byValues.get(valuesOf(g.read));
      if (!hit) continue;
      for (const n of g.read) reading(n, tid);
      return hit;
    }
    const asm = new Asm();
    waitsForThread = false;
    const e: Emit = {
      l,
      rule: (name) => {
        asm.tag(name);
        reading(name, tid);
        return rules[name].value;
      },
      ruleRead: (name) => {
        reading(name, tid);
        return { value: rules[name].value, read: tag(name) };
      },
      notifiers,
      lazyfree,
      asm,
      tid,
      owner: tid + 1,
      local: (k) => t.locals + k,
      related: (pi) => related[pi]!,
      finished: (other) => {
        if (built) throw new Error('internal: a step asked where a thread ends after the programs were built (ask while building)');
        waitsForThread = true;
        return finished(other);
      },
    };
    const ops: Op[] =
      t.kind === 'prologue'
        ? s.touched.filter((x) => `${x.by}(prologue)` === t.name).map((x) => touchOp(x))
        : s.threads.find((x) => x.name === t.name)!.ops;
    for (const op of ops) emitOp(e, s, op);
    const steps = asm.assemble();
    if (cache && !waitsForThread) {
      const read = [...readBy[tid]!].sort();
      let g = known.find((x) => x.read.join(';') === read.join(';'));
      if (!g) cache.set(tid, [...known, (g = { read, byValues: new Map() })]);
      g.byValues.set(valuesOf(read), steps);
    }
    return steps;
  });
  built = true;
  programs.forEach((p, tid) => (ends[tid]!.pc = p.length));
  return { programs, rulesRead, readBy, finished };
}

/**
 * A thread's first step waits until the threads it starts `after` have finished, and a thread
 * of a process until the process exists: a fork child runs only once copy_process() has
 * finished (its mm is MM_LIVE), never in the middle of its parent's fork().
 */
function holdBackStarts(s: Scenario, l: Layout, programs: Step[][], finished: (tid: number) => Expr): void {
  l.threads.forEach((t, tid) => {
    const decl = s.threads.find((x) => x.name === t.name && t.kind !== 'prologue');
    const first = programs[tid]![0];
    if (!decl || !first) return;
    const deps = decl.after.map((a) => l.threads.findIndex((x) => x.name === a && x.kind !== 'prologue'));
    const mm = t.proc !== undefined && l.procs[t.proc]!.parent >= 0 ? l.procs[t.proc]!.mmState : -1;
    if (!deps.length && mm < 0) return;
    // A new array: the program itself may be another machine's too (ProgramCache).
    programs[tid] = [startingWhen(first, and(...(mm < 0 ? [] : [eq(slot(mm), MM_LIVE)]), ...deps.map(finished))), ...programs[tid]!.slice(1)];
  });
}

/**
 * The prologue: what the guest did before the threads start, run under this era's rules, from
 * the declared state; its counters are not the scenario's: they are reset. Its end depends on
 * the scenario and the rules its programs read: a caller's cache (CompileOptions.prologues)
 * gives it to every machine of the scenario that agrees on them, without running (or
 * describing) its steps again. Another notifier on the chain could change it: then it runs.
 */
function afterPrologue(m: Machine, rules: EraRules, readBy: readonly Set<RuleName>[], opts: CompileOptions): MutableState {
  const l = m.layout;
  const prologue = l.threads.flatMap((t, i) => (t.kind === 'prologue' ? [i] : []));
  const key = opts.notifiers?.length ? null : [...new Set(prologue.flatMap((tid) => [...readBy[tid]!]))].sort().map((n) => `${n}=${JSON.stringify(rules[n].value)}`).join(';');
  const known = key === null ? undefined : opts.prologues?.get(key);
  const start = known ? [...known] : runToEnd(m, m.init, prologue);
  if (key !== null && !known) opts.prologues?.set(key, [...start]);
  // The prologue's state is ours to edit: reset its counters.
  for (let k = 0; k < COUNTER_NAMES.length; k++) start[l.counters + k] = 0;
  return start;
}

/**
 * The pages that may come to map one folio: a fork child's page and its parent's, pages KSM
 * merges, and pages of the same file block. Reverse-map walks visit these.
 */
function relatedPages(l: Layout, s: Scenario): number[][] {
  const group = l.pages.map((_, i) => i);
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i]!)));
  const join = (a: number, b: number) => (group[find(a)] = find(b));
  l.pages.forEach((p, i) => {
    const parent = l.procs[p.proc]!.parent;
    if (parent >= 0) join(i, l.pages.findIndex((q) => q.proc === parent && q.addr === p.addr));
    l.pages.forEach((q, j) => {
      if (j < i && q.store === p.store) join(i, j);
    });
  });
  for (const t of s.threads) for (const op of t.ops) {
    if (op.kind === 'ksm-merge') join(pageIndex(l, s, op.keep.proc, op.keep.addr), pageIndex(l, s, op.replace.proc, op.replace.addr));
  }
  return l.pages.map((_, i) => l.pages.flatMap((__, j) => (find(j) === find(i) ? [j] : [])));
}

function emitOp(e: Emit, s: Scenario, op: Op): void {
  const { l } = e;
  const t = l.threads[e.tid]!;
  const reg = (name: string | undefined) => (name === undefined ? -1 : (t.regs.get(name) ?? -1));
  const page = (at: { proc: string; addr: number }) => pageIndex(l, s, at.proc, at.addr);
  const range = (at: { proc: string; addr: number }, n: number) => Array.from({ length: n }, (_, k) => page({ proc: at.proc, addr: at.addr + k * PAGE_SIZE }));
  // An operation a secondary MMU owns (a vCPU's guest access, a device's DMA) is built by it.
  if (l.secondaries.some((r) => r.emitOp(e, op))) return;
  switch (op.kind) {
    case 'guest-read':
    case 'guest-write':
      throw new Error(`internal: no secondary MMU on the chain runs ${op.kind}`);
    case 'host-read':
      return emitUserAccess(e, page(op.at), false, 0, reg(op.reg));
    case 'swap-in':
      return emitUserAccess(e, page(op.at), false, 0, -1);
    case 'host-write':
      return emitUserAccess(e, page(op.at), true, op.value, -1);
    case 'ksm-merge':
      return emitKsmMerge(e, page(op.keep), page(op.replace));
    case 'fork':
      return emitFork(e, t.proc!, s.procs.findIndex((p) => p.name === op.child));
    case 'exit':
      return emitExit(e, t.proc!);
    case 'reclaim':
      return emitReclaim(e, page(op.at));
    case 'migrate':
      return emitMigrate(e, page(op.at));
    case 'writeback':
      return emitWriteback(e, page(op.at));
    case 'madvise':
      return emitMadvise(e, range(op.at, op.pages), op.advice);
    case 'munmap':
      return emitMunmap(e, range(op.at, op.pages));
    case 'mprotect':
      return emitMprotect(e, range(op.at, op.pages), op.writable);
    case 'numa-hint':
      return emitNumaHint(e, range(op.at, op.pages));
    case 'oom-reap':
      return emitOomReap(e, s.procs.findIndex((p) => p.name === op.proc));
    case 'age':
      return emitAge(e, page(op.at), 'clear_flush_young', reg(op.reg));
    case 'idle-age':
      return emitAge(e, page(op.at), 'clear_young', reg(op.reg));
    case 'test-young':
      return emitAge(e, page(op.at), 'test_young', reg(op.reg));
    default:
      // An operation the engine does not know does not compile.
      return unreachable(op);
  }
}

/** A `touched` access as the operation it is: a vCPU's guest access, a device's DMA (a host address in a device's prologue). */
function touchOp(x: TouchDecl): Op {
  if (x.gfn !== undefined) return x.kind === 'read' ? { kind: 'guest-read', gfn: x.gfn, reg: '', pos: x.pos } : { kind: 'guest-write', gfn: x.gfn, value: x.value!, pos: x.pos };
  return x.kind === 'read' ? { kind: 'host-read', at: x.at!, reg: '', pos: x.pos } : { kind: 'host-write', at: x.at!, value: x.value!, pos: x.pos };
}

export function pageIndex(l: Layout, s: Scenario, proc: string, addr: number): number {
  const pi = s.procs.findIndex((p) => p.name === proc);
  return l.pages.findIndex((p) => p.proc === pi && p.addr === addr);
}
