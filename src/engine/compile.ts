// Scenario + era -> a machine: the state layout, one program of atomic steps per thread, and
// the initial state (after the `touched` accesses have run under the era's own rules).
import type { Era } from '../era.js';
import type { Op, Scenario } from '../scenario/types.js';
import { COUNTER_NAMES } from './counters.js';
import type { Emit } from './emit.js';
import { emitGuestAccess } from './guest.js';
import { emitKsmMerge } from './ksm.js';
import { FIRST_PFN, buildLayout, frameSlot, type Layout } from './layout.js';
import { emitUserAccess } from './mm.js';
import { Asm, type Step } from './program.js';
import { FRAME, PG, PTE, type State } from './state.js';
import { runToEnd } from './run.js';

export interface Machine {
  scenario: Scenario;
  era: Era;
  layout: Layout;
  /** One program per layout.threads entry (prologue threads first). */
  programs: Step[][];
  /** The state the threads start from. */
  init: State;
}

export function compile(s: Scenario, era: Era): Machine {
  const writes =
    s.threads.reduce((n, t) => n + t.ops.filter((o) => o.kind === 'guest-write' || o.kind === 'host-write').length, 0) +
    s.touched.filter((t) => t.kind === 'write').length;
  // The zero page, the initial pages, and room for every allocation a run can make (a write
  // allocates at most one page; a COW copy given up is freed before the retry allocates again).
  const nframes = 1 + s.mem.length + 2 * writes + 2;
  const prologueVcpus = [...new Set(s.touched.map((t) => t.vcpu))];
  const l = buildLayout(s, nframes, prologueVcpus);

  const init: State = new Array<number>(l.size).fill(0);
  for (let i = 0; i < nframes; i++) init[frameSlot(l, FIRST_PFN + i, FRAME.FLAGS)] = PG.FREE;
  init[frameSlot(l, FIRST_PFN, FRAME.FLAGS)] = PG.ZERO;
  init[frameSlot(l, FIRST_PFN, FRAME.REFCOUNT)] = 1;
  s.mem.forEach((m, k) => {
    const pfn = FIRST_PFN + 1 + k;
    const pi = pageIndex(l, s, m.at.proc, m.at.addr);
    const vma = s.procs.find((p) => p.name === m.at.proc)!.vmas.find((v) => m.at.addr >= v.start && m.at.addr < v.start + v.pages * 0x1000)!;
    init[frameSlot(l, pfn, FRAME.FLAGS)] = 0;
    init[frameSlot(l, pfn, FRAME.CONTENT)] = m.value;
    init[frameSlot(l, pfn, FRAME.REFCOUNT)] = 1;
    init[frameSlot(l, pfn, FRAME.MAPCOUNT)] = 1;
    // The process wrote the content: the PTE is dirty and young, writable if the vma is.
    init[l.pages[pi]!.pte] = (pfn << PTE.SHIFT) | PTE.PRESENT | PTE.DIRTY | PTE.YOUNG | (vma.writable ? PTE.WRITE : 0);
  });

  const vmProc = s.slots.length ? s.procs.findIndex((p) => p.name === s.slots[0]!.target.proc) : -1;
  const programs = l.threads.map((t, tid) => {
    const asm = new Asm();
    const e: Emit = {
      l,
      rules: era.rules,
      eptAd: s.options.eptAd,
      asm,
      tid,
      owner: tid + 1,
      local: (k) => t.locals + k,
      vmProc,
    };
    const ops: Op[] =
      t.kind === 'prologue'
        ? s.touched
            .filter((x) => `${x.vcpu}(prologue)` === t.name)
            .map((x) => (x.kind === 'read' ? { kind: 'guest-read', gfn: x.gfn, reg: '', pos: x.pos } : { kind: 'guest-write', gfn: x.gfn, value: x.value!, pos: x.pos }))
        : s.threads.find((x) => x.name === t.name)!.ops;
    for (const op of ops) emitOp(e, s, op);
    return asm.assemble();
  });

  const m: Machine = { scenario: s, era, layout: l, programs, init };
  // The prologue: what the guest did before the threads start, run under this era's rules.
  // Its counters are not the scenario's: they are reset.
  const start = runToEnd(m, init, l.threads.flatMap((t, i) => (t.kind === 'prologue' ? [i] : [])));
  for (let k = 0; k < COUNTER_NAMES.length; k++) start[l.counters + k] = 0;
  m.init = start;
  return m;
}

function emitOp(e: Emit, s: Scenario, op: Op): void {
  const { l } = e;
  const t = l.threads[e.tid]!;
  const reg = (name: string) => t.regs.get(name) ?? -1;
  switch (op.kind) {
    case 'guest-read':
      return emitGuestAccess(e, gfnIndex(l, op.gfn), false, 0, reg(op.reg));
    case 'guest-write':
      return emitGuestAccess(e, gfnIndex(l, op.gfn), true, op.value, -1);
    case 'host-read':
      return emitUserAccess(e, pageIndex(l, s, op.at.proc, op.at.addr), false, 0, reg(op.reg));
    case 'host-write':
      return emitUserAccess(e, pageIndex(l, s, op.at.proc, op.at.addr), true, op.value, -1);
    case 'ksm-merge':
      return emitKsmMerge(e, pageIndex(l, s, op.keep.proc, op.keep.addr), pageIndex(l, s, op.replace.proc, op.replace.addr));
  }
}

export function gfnIndex(l: Layout, gfn: number): number {
  return l.gfns.findIndex((g) => g.gfn === gfn);
}

export function pageIndex(l: Layout, s: Scenario, proc: string, addr: number): number {
  const pi = s.procs.findIndex((p) => p.name === proc);
  return l.pages.findIndex((p) => p.proc === pi && p.addr === addr);
}
