// Static footprints (issue 18): what a step may read, write, or update commutatively, known
// before it runs, from its description as data (engine/step-data.ts), and what a thread may
// still touch from a pc on. The persistent-set reduction (explore.ts, --reduce) reads them: a
// thread's next step that no other thread can ever touch again until it runs may be taken
// alone, and the states the other orders pass through are never stored.
//
// A footprint over-approximates: a slot read at an index computed as the step runs is every
// slot it could be (a frame's field at a computed pfn: that field of every frame; an entry of
// a static table: every entry; any other computed index: every slot). Over-approximating
// costs reduction, never soundness.
import type { Machine } from '../engine/compile.js';
import type { Expr, StepData, Stmt } from '../engine/step-data.js';

/** Bit sets over the state's slots, NW words each: read (a guard's reads too), written, updated commutatively. */
export interface Footprint {
  r: Int32Array;
  w: Int32Array;
  c: Int32Array;
}

const words = (n: number) => (n + 31) >> 5;
const empty = (nw: number): Footprint => ({ r: new Int32Array(nw), w: new Int32Array(nw), c: new Int32Array(nw) });
const set = (b: Int32Array, i: number) => (b[i >> 5]! |= 1 << (i & 31));

/** The slots an index expression may name. `null`: any slot. */
function places(m: Machine, e: Expr): number[] | null {
  if (typeof e === 'number') return [e];
  if (e.k === 'frame') {
    if (typeof e.frame === 'number') return [e.base - e.first * e.stride + e.field + e.frame * e.stride];
    return Array.from({ length: m.layout.nframes }, (_, k) => e.base + k * e.stride + e.field);
  }
  if (e.k === 'table') return [...e.table];
  return null;
}

/**
 * What one step may touch. Its own pc is written only if the step can finish the thread: a
 * step reads another thread's pc only to wait for it to finish (compile.ts, a thread that
 * starts `after` others), and a step that stays inside the program cannot change that.
 */
export function stepFootprint(m: Machine, tid: number, d: StepData, finishes: boolean): Footprint {
  const fp = empty(words(m.layout.size));
  const walk = new Walk(m, fp);
  if (d.guard !== undefined) walk.expr(d.guard);
  walk.stmts(d.effect);
  if (finishes) set(fp.w, m.layout.threads[tid]!.pc);
  return fp;
}

/** A walk of a step's data that marks in `fp` every slot it reads, writes or updates. */
class Walk {
  constructor(
    private readonly m: Machine,
    private readonly fp: Footprint,
  ) {}

  /** Every slot an index may name, marked in `b`. */
  private mark(b: Int32Array, at: Expr): void {
    const ps = places(this.m, at);
    if (ps) for (const i of ps) set(b, i);
    else for (let i = 0; i < this.m.layout.size; i++) set(b, i);
  }

  expr(e: Expr): void {
    if (typeof e === 'number') return;
    switch (e.k) {
      case 'get':
        this.mark(this.fp.r, e.get);
        return this.expr(e.get);
      case 'op':
        this.expr(e.a);
        return this.expr(e.b);
      case 'not':
        return this.expr(e.not);
      case 'bnot':
        return this.expr(e.bnot);
      case 'cond':
        this.expr(e.if);
        this.expr(e.then);
        return this.expr(e.else);
      case 'frame':
        return this.expr(e.frame);
      case 'table':
        return this.expr(e.at);
      case 'v':
      case 'pc':
        return;
    }
  }

  stmts(ss: readonly Stmt[]): void {
    for (const x of ss) {
      switch (x.k) {
        case 'put':
          this.mark(this.fp.w, x.put);
          this.expr(x.put);
          this.expr(x.v);
          break;
        case 'inc':
          this.mark(this.fp.c, x.inc);
          this.expr(x.inc);
          break;
        case 'or':
          this.mark(this.fp.c, x.or);
          this.expr(x.or);
          this.expr(x.bits);
          break;
        case 'let':
        case 'set':
          this.expr(x.v);
          break;
        case 'if':
          this.expr(x.if);
          this.stmts(x.then);
          if (x.else) this.stmts(x.else);
          break;
        case 'each':
        case 'do':
          this.stmts(x.do);
          break;
        case 'note':
          for (const p of x.note) if (typeof p !== 'string') this.expr('hex' in p ? p.hex : p.dec);
          break;
        case 'fail':
        case 'break':
        case 'goto':
        case 'tag':
          break;
      }
    }
  }
}

/** The pcs a step may go on at: its next, and every label it jumps to. */
function successors(d: StepData, next: number): number[] {
  const out = new Set([next]);
  const walk = (ss: readonly Stmt[]): void => {
    for (const x of ss) {
      if (x.k === 'goto') out.add(x.goto.pc);
      else if (x.k === 'if') {
        walk(x.then);
        if (x.else) walk(x.else);
      } else if (x.k === 'each' || x.k === 'do') walk(x.do);
    }
  };
  walk(d.effect);
  return [...out];
}

/**
 * For each thread that can be scheduled, by pc: its step's footprint and the union of the
 * footprints of every step it may still take from there (its own included). Null when a step
 * is code, not data (a caller's notifier): nothing is known of it before it runs.
 */
export function staticFootprints(m: Machine, among: readonly number[]): { step: Footprint[]; future: Footprint[] }[] | null {
  const nw = words(m.layout.size);
  const out: { step: Footprint[]; future: Footprint[] }[] = [];
  for (const tid of among) {
    const prog = m.programs[tid]!;
    const data: StepData[] = [];
    for (const st of prog) {
      if (!st.data) return null;
      data.push(st.data());
    }
    const after = data.map((d, pc) => successors(d, prog[pc]!.next));
    const step = data.map((d, pc) => stepFootprint(m, tid, d, after[pc]!.some((x) => x >= prog.length)));
    const next = after.map((s) => s.filter((x) => x < prog.length));
    // The future of a pc: its step's footprint and its successors' futures, to a fixed point
    // (a retry jumps back).
    const future = step.map((f) => ({ r: f.r.slice(), w: f.w.slice(), c: f.c.slice() }));
    for (let changed = true; changed; ) {
      changed = false;
      for (let pc = prog.length - 1; pc >= 0; pc--) {
        const f = future[pc]!;
        for (const s of next[pc]!) {
          const g = future[s]!;
          for (let w = 0; w < nw; w++) {
            const r = f.r[w]! | g.r[w]!;
            const wr = f.w[w]! | g.w[w]!;
            const c = f.c[w]! | g.c[w]!;
            if (r !== f.r[w] || wr !== f.w[w] || c !== f.c[w]) {
              f.r[w] = r;
              f.w[w] = wr;
              f.c[w] = c;
              changed = true;
            }
          }
        }
      }
    }
    out.push({ step, future });
  }
  return out;
}

/** Steps with these footprints commute and neither enables nor disables the other: neither writes what the other reads or writes; a commutative update conflicts with a read only. */
export function independentOf(a: Footprint, b: Footprint): boolean {
  for (let w = 0; w < a.r.length; w++) {
    if ((a.w[w]! & (b.r[w]! | b.w[w]! | b.c[w]!)) | (b.w[w]! & (a.r[w]! | a.c[w]!)) | (a.c[w]! & b.r[w]!) | (b.c[w]! & a.r[w]!)) return false;
  }
  return true;
}
