// The depth-first search over a machine's states (docs/explore.md), on one thread: the whole
// exploration, or one worker's part of a search split between workers (explore/shared.ts).
// Its stack is flat typed arrays indexed by depth (fingerprint, successors, stale set,
// path-count accumulator, write log), so a transition allocates nothing: the step runs on the
// one state in place with its writes logged (engine/state.ts put()); the successor's
// fingerprint is the parent's updated for the slots the step changed, its stale set is
// recomputed only when a slot a window depends on changed, and the parent is restored from
// the log. With `reduce`, persistent and sleep sets from the steps' footprints
// (explore/footprint.ts) leave out interleavings that only reorder independent steps.
import type { Exploration, ExploredOutcome, ExploredWindow, Limits } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import type { Step } from '../engine/program.js';
import { schedulable, stepThread } from '../engine/run.js';
import { checkSanity } from '../engine/sanity.js';
import { recordFootprint, recordWrites, stopFootprint, stopRecording } from '../engine/state.js';
import { staleSet, staleWords, type Watcher } from '../engine/windows.js';
import { fingerprint, fpHi, fpLo, zHi, zLo } from './fingerprint.js';
import { independentOf, staticFootprints, type Footprint } from './footprint.js';
import { lessCounters, outcomeKey, windowKey } from './keys.js';
import { CTRL, abortReason, type AbortReason } from './shared.js';
import type { VectorPool } from './vectors.js';

/**
 * The visited set as the search sees it. getOrInsert: -1 if the state is new (inserted now),
 * 0 while it is on a search stack, v > 0 once finished with vector v - 1. finish: publish a
 * finished state's value; true if this was the first to.
 */
export interface Visited {
  getOrInsert(hi: number, lo: number, value?: number): number;
  /** `hint`, `hintCap`: where getOrInsert() put the state, if the table says (SharedVisited). */
  finish(hi: number, lo: number, v: number, hint?: number, hintCap?: number): boolean;
  readonly hint?: number;
  readonly hintCap?: number;
  readonly bytes: number;
  projectedBytes(more: number): number;
}

/** The stores a search works with. */
export interface Stores {
  visited: Visited;
  vectors: VectorPool;
  /** An outcome key's number (-1: no more numbers, in a split search). */
  outcomeId: (key: string) => number;
  /** A worker of a split search: its number, the control block, how it gives up. */
  part?: { k: number; ctrl: Int32Array; abort: (why: AbortReason) => void };
}

/** What a search found: one explorer's, or one worker's part of a split search. */
export interface SearchResult {
  /** States this search inserted, transitions it took (a part: those of the states it finished first). */
  states: number;
  transitions: number;
  cycles: number;
  stopped?: Exploration['stopped'] | 'cycle' | 'outcomes';
  /** The outcomes it met, by number. */
  outcomes: { id: number; outcome: ExploredOutcome }[];
  /** The root's vector, if this search finished the root. */
  root: [number, number][] | null;
  /** Each window, with the lowest thread index seen opening it (so that the result does not depend on the order of search). */
  windows: { window: ExploredWindow; tid: number }[];
  bytes: number;
  elapsedMs: number;
  /** Searched with persistent and sleep sets: fewer states, no path counts. */
  reduced: boolean;
}

/** Search every state of `m` reachable from its initial state. */
export function search(m: Machine, limits: Limits, stores: Stores): SearchResult {
  return new Search(m, limits, stores).run();
}

const grown = <A extends Int32Array | Float64Array>(a: A, size: number): A => {
  const b = new (a.constructor as new (k: number) => A)(size);
  b.set(a);
  return b;
};

class Search {
  private readonly t0 = performance.now();
  private readonly among: number[];
  /** Threads searched (the scenario's, not the prologue), and for each its pc slot and program. */
  private readonly T: number;
  private readonly pcSlot: number[];
  private readonly progs: Step[][];
  private readonly visited: Visited;
  private readonly pool: VectorPool;
  private readonly part: Stores['part'];
  private readonly ws: readonly Watcher[];
  /** 32-bit words of a stale set, and the stale set of the state just reached. */
  private readonly W: number;
  private readonly scratch: Int32Array;
  /** Slots a window's staleness depends on: the mappings, their host PTEs, the invalidation in progress. */
  private readonly watched: Uint8Array;
  private readonly windows = new Map<string, { window: ExploredWindow; tid: number }>();
  /** The outcomes met, by number (sparse in a split search: others number outcomes too). */
  private readonly outcomes = new Map<number, ExploredOutcome>();
  private states = 0;
  private transitions = 0;
  private cycles = 0;
  private stopped: SearchResult['stopped'];
  private root: SearchResult['root'] = null;
  /** Worker k > 0 of a split search takes a state's successors rotated by k and the state's fingerprint, so that the workers spread over the graph. */
  private readonly rotate: number;

  // The stack, by depth. There is one state: a step runs on it with its writes logged, and a
  // level is left by undoing the log of the step that entered it (as SPIN moves backwards).
  private d = 0;
  private pushed = 0;
  private cap = 64;
  private readonly state: Int32Array;
  /** The write logs of the steps on the stack, (slot, old, new) triples; level d's from logAt[d]. */
  private log: Int32Array<ArrayBufferLike> = new Int32Array(4096);
  private logTop = 0;
  private logAt = new Int32Array(this.cap);
  /** A split search: where each level's state sits in the shared table, and the table's size then. */
  private slotAt: Int32Array;
  private slotCapAt: Int32Array;
  private fhi = new Int32Array(this.cap);
  private flo = new Int32Array(this.cap);
  private succ: Int32Array;
  private succN = new Int32Array(this.cap);
  private next = new Int32Array(this.cap);
  /** Threads enabled at level d (reduce: the successors are those of them wanted). */
  private enabledN = new Int32Array(this.cap);
  private stale: Int32Array;
  /**
   * What each successor of level d gave: its vector number + 1 at kid[d * T + k] for thread k
   * (0: none yet, or a cycle). The vectors are summed when the level is finished, in thread
   * order whatever the order of search, so that a state's counts are the same to the last bit
   * however it was reached (they pass 2^53 in large scenarios, where the order of a sum of
   * doubles shows).
   */
  private kid: Int32Array;
  /** The sum, dense by outcome, and the outcomes it has. */
  private acc = new Float64Array(16);
  private nz = new Int32Array(16);
  private nzN = 0;

  // Sleep sets (reduce): at each level the threads asleep (a step already taken from an
  // earlier state, that commutes with every step taken since), those taken here so far, and
  // those to take; and for each thread its step's footprint at this level: the slots it reads
  // (its guard's too), writes, and updates commutatively, as bit sets of NW words.
  private readonly reduce: boolean;
  private readonly NW: number;
  private readonly FP: number;
  private fps: Int32Array;
  private sleepAt: Int32Array;
  private doneAt: Int32Array;
  private wantAt: Int32Array;
  /** Slots a step that changes a watched slot is taken to read: two such steps never commute, so a window opens in the same step however independent steps are ordered. */
  private readonly watchedBits: Int32Array;
  /** Persistent sets (reduce): static footprints of every step and of every thread's future. */
  private readonly statics: { step: Footprint[]; future: Footprint[] }[] | null;
  private deferAt: Int32Array;

  constructor(
    private readonly m: Machine,
    private readonly limits: Limits,
    private readonly stores: Stores,
  ) {
    const l = m.layout;
    this.among = schedulable(m);
    const T = (this.T = this.among.length);
    const n = m.init.length;
    this.pcSlot = this.among.map((t) => l.threads[t]!.pc);
    this.progs = this.among.map((t) => m.programs[t]!);
    this.visited = stores.visited;
    this.pool = stores.vectors;
    this.part = stores.part;
    this.ws = m.watchers;
    this.W = staleWords(this.ws);
    this.scratch = new Int32Array(this.W);
    this.watched = new Uint8Array(n);
    for (const w of this.ws) {
      this.watched[w.slot] = this.watched[w.pte] = this.watched[w.inProgress] = 1;
      if (w.rangeStart !== null) this.watched[w.rangeStart] = 1;
      if (w.rangeEnd !== null) this.watched[w.rangeEnd] = 1;
    }
    this.rotate = this.part && this.part.k > 0 ? this.part.k : 0;
    this.state = new Int32Array(m.init);
    this.slotAt = new Int32Array(this.part ? this.cap : 0);
    this.slotCapAt = new Int32Array(this.part ? this.cap : 0);
    this.succ = new Int32Array(this.cap * T);
    this.stale = new Int32Array(this.cap * this.W);
    this.kid = new Int32Array(this.cap * T);
    const reduce = (this.reduce = !!limits.reduce && !this.part);
    this.NW = (n + 31) >> 5;
    this.FP = 4 * this.NW; // read, write, commute, guard
    this.fps = new Int32Array(reduce ? 2 * this.NW + this.cap * T * this.FP : 0);
    this.sleepAt = new Int32Array(reduce ? this.cap : 0);
    this.doneAt = new Int32Array(reduce ? this.cap : 0);
    this.wantAt = new Int32Array(reduce ? this.cap : 0);
    this.deferAt = new Int32Array(reduce ? this.cap : 0);
    this.watchedBits = new Int32Array(this.NW);
    for (let i = 0; i < n; i++) if (this.watched[i]) this.watchedBits[i >> 5]! |= 1 << (i & 31);
    this.statics = reduce ? staticFootprints(m, this.among) : null;
  }

  run(): SearchResult {
    this.start();
    while (this.d >= 0) {
      const d = this.d;
      if (this.next[d]! < this.succN[d]!) {
        if (this.mustStop()) break;
        this.transition(d);
        continue;
      }
      if (!this.leave(d)) break;
    }
    // The first worker back at the root tells the others to stop.
    if (this.root && this.part) Atomics.store(this.part.ctrl, CTRL.DONE, 1);
    return this.result();
  }

  /** The initial state as level 0. */
  private start(): void {
    const { state, visited, part } = this;
    fingerprint(state);
    this.fhi[0] = fpHi;
    this.flo[0] = fpLo;
    staleSet(this.ws, state, this.scratch);
    this.stale.set(this.scratch, 0);
    if (visited.getOrInsert(fpHi, fpLo) < 0) this.states = 1;
    if (part) {
      this.slotAt[0] = visited.hint!;
      this.slotCapAt[0] = visited.hintCap!;
    }
    if (this.reduce) {
      visited.finish(fpHi, fpLo, 1); // visited with an empty sleep set
      this.wantAt[0] = -1;
    }
    this.enable(0);
  }

  /** A limit was reached, or (a split search) another worker finished or gave up. */
  private mustStop(): boolean {
    if (this.stopped) return true;
    const part = this.part;
    if (part && (part.ctrl[CTRL.DONE] || part.ctrl[CTRL.ABORT])) {
      this.stopped = part.ctrl[CTRL.DONE] ? 'interrupted' : abortReason(part.ctrl[CTRL.ABORT]!);
      return true;
    }
    return false;
  }

  /** Take level d's next successor: run its step, and enter the state it reaches if that is new. */
  private transition(d: number): void {
    const { T, reduce, part, visited } = this;
    const k = this.succ[d * T + this.next[d]!++]!;
    const tid = this.among[k]!;
    if (d + 1 === this.cap) this.growStack();
    const state = this.state;
    // The successor's fingerprint is the parent's with the terms of the slots the step
    // changed swapped: XOR telescopes over several writes of one slot.
    const step = this.progs[k]![state[this.pcSlot[k]!]!]!;
    recordWrites(this.log, this.logTop);
    const f = reduce ? this.startFootprint(d, k) : 0;
    this.step(d, tid);
    if (reduce) stopFootprint();
    const written = stopRecording();
    const log = (this.log = written.buf);
    const end = written.n;
    const logTop = this.logTop;
    if (!part) this.transitions++;
    let hi = this.fhi[d]!;
    let lo = this.flo[d]!;
    let moved = false;
    const watched = this.watched;
    for (let j = logTop; j < end; j += 3) {
      const i = log[j]!;
      const a = log[j + 1]!;
      const b = log[j + 2]!;
      hi ^= zHi(i, a) ^ zHi(i, b);
      lo ^= zLo(i, a) ^ zLo(i, b);
      if (watched[i]) moved = true;
    }
    // A window can open on any transition, also one into a state already explored.
    if (moved && staleSet(this.ws, state, this.scratch)) this.noteWindows(d, step.fn, tid);
    let sleep = reduce ? this.sleepAfter(d, k, f) : 0;
    let want = -1;
    // (Reduce: a new state is stored with its sleep set at once.)
    const v = visited.getOrInsert(hi, lo, reduce ? sleep + 1 : 0);
    if (reduce) {
      // The cycle proviso: a step of a persistent set that closes a cycle on the stack could
      // put off the other threads for ever; they are taken here after all.
      const deferAt = this.deferAt;
      if (v >= 0 && deferAt[d] && this.onMyStack(hi, lo, d)) {
        for (let u = 0; u < T; u++) if (deferAt[d]! & (1 << u)) this.succ[d * T + this.succN[d]!++] = u;
        deferAt[d] = 0;
      }
      if (v < 0) this.states++;
      else {
        // Visited with sleep set z: take now only the steps that slept there and wake here.
        const z = v - 1;
        if ((z & ~sleep) === 0) return this.undo(logTop, end);
        want = z & ~sleep;
        sleep &= z;
        visited.finish(hi, lo, sleep + 1);
      }
    } else if (v > 0) {
      this.kid[d * T + k] = v;
      return this.undo(logTop, end);
    }
    if (v === 0 && !reduce) {
      // On the stack: a cycle, if on this search's own. In a split search a state on
      // another worker's stack is searched here too (waiting for it could deadlock), and
      // the split gives a cycle back to a search on one thread.
      if (!part || this.onMyStack(hi, lo, d)) {
        if (part) part.abort('cycle');
        this.cycles++;
        return this.undo(logTop, end);
      }
    } else if (!reduce) this.states++;
    // A new state (to this search): push it, keeping the log that undoes it.
    this.enter(hi, lo, end, moved, sleep, want);
    if ((++this.pushed & 255) === 0) this.checkLimits();
  }

  /** Reduce: record the footprint of thread k's step at level d (its guard's reads are there already); where it is. */
  private startFootprint(d: number, k: number): number {
    const { fps, NW } = this;
    const f = this.fpAt(d, k);
    for (let w = 0; w < NW; w++) {
      fps[f + w] = fps[f + 3 * NW + w]!;
      fps[f + NW + w] = fps[f + 2 * NW + w] = 0;
    }
    recordFootprint(fps, f, f + NW, f + 2 * NW);
    return f;
  }

  /** Run thread tid's step on the state, from level d. */
  private step(d: number, tid: number): void {
    try {
      stepThread(this.m, this.state, tid, null);
    } catch (e) {
      // A bug in the model: name the schedule that reaches it, as thread numbers.
      stopRecording();
      stopFootprint();
      throw new Error(`${(e as Error).message} (schedule ${this.schedule(d + 1)})`);
    }
  }

  /** Level d's successors are all taken: finish it (its path counts) and go back to its parent. False: stop. */
  private leave(d: number): boolean {
    if (this.reduce) {
      if (this.enabledN[d] === 0) this.outcomeOf(this.deadlocked());
      if (d === 0) this.root = [];
    } else if (!this.finishLevel(d)) return false;
    if (d > 0) {
      this.undo(this.logAt[d]!, this.logTop);
      this.logTop = this.logAt[d]!;
    }
    this.d = d - 1;
    return true;
  }

  /** Undo the logged writes from `from` to `to`, last first. */
  private undo(from: number, to: number): void {
    const { state, log } = this;
    for (let k = to - 3; k >= from; k -= 3) state[log[k]!] = log[k + 1]!;
  }

  private growStack(): void {
    const T = this.T;
    const cap = (this.cap *= 2);
    this.logAt = grown(this.logAt, cap);
    if (this.part) {
      this.slotAt = grown(this.slotAt, cap);
      this.slotCapAt = grown(this.slotCapAt, cap);
    }
    this.fhi = grown(this.fhi, cap);
    this.flo = grown(this.flo, cap);
    this.succ = grown(this.succ, cap * T);
    this.succN = grown(this.succN, cap);
    this.next = grown(this.next, cap);
    this.enabledN = grown(this.enabledN, cap);
    this.stale = grown(this.stale, cap * this.W);
    this.kid = grown(this.kid, cap * T);
    if (this.reduce) {
      this.fps = grown(this.fps, 2 * this.NW + cap * T * this.FP);
      this.sleepAt = grown(this.sleepAt, cap);
      this.doneAt = grown(this.doneAt, cap);
      this.wantAt = grown(this.wantAt, cap);
      this.deferAt = grown(this.deferAt, cap);
    }
  }

  /** Where thread k's footprint at level d starts in fps (the first 2 NW words catch a guard's writes). */
  private fpAt(d: number, k: number): number {
    return 2 * this.NW + (d * this.T + k) * this.FP;
  }

  /** The steps of threads a and b at level d commute: neither writes what the other reads or writes (two commuting updates excepted). */
  private independent(d: number, a: number, b: number): boolean {
    const { fps, NW } = this;
    const x = this.fpAt(d, a);
    const y = this.fpAt(d, b);
    for (let w = 0; w < NW; w++) {
      const ra = fps[x + w]!;
      const wa = fps[x + NW + w]!;
      const ca = fps[x + 2 * NW + w]!;
      const rb = fps[y + w]!;
      const wb = fps[y + NW + w]!;
      const cb = fps[y + 2 * NW + w]!;
      if ((wa & (rb | wb | cb)) | (wb & (ra | ca)) | (ca & rb) | (cb & ra)) return false;
    }
    return true;
  }

  /**
   * A thread whose next step alone is a persistent set in the current state (-1: none): no
   * step any other thread may still take touches what it touches, and it changes no watched
   * slot (a window must open on the same step as in the full search).
   */
  private persistent(enabled: number): number {
    const { statics, T, NW, state, pcSlot, watchedBits } = this;
    if (!statics) return -1;
    for (let k = 0; k < T; k++) {
      if (!(enabled & (1 << k))) continue;
      const a = statics[k]!.step[state[pcSlot[k]!]!]!;
      let visible = 0;
      for (let w = 0; w < NW; w++) visible |= (a.w[w]! | a.c[w]!) & watchedBits[w]!;
      if (visible) continue;
      let alone = true;
      for (let u = 0; u < T && alone; u++) {
        if (u === k) continue;
        const pc = state[pcSlot[u]!]!;
        if (pc < this.progs[u]!.length && !independentOf(a, statics[u]!.future[pc]!)) alone = false;
      }
      if (alone) return k;
    }
    return -1;
  }

  /** Add `c` paths to outcome `id` into the sum. */
  private readonly addPaths = (id: number, c: number): void => {
    if (id >= this.acc.length) {
      let k2 = this.acc.length;
      while (k2 <= id) k2 *= 2;
      this.acc = grown(this.acc, k2);
      this.nz = grown(this.nz, k2);
    }
    if (this.acc[id] === 0) this.nz[this.nzN++] = id;
    this.acc[id] = this.acc[id]! + c;
  };

  /** The current (final) state's outcome number; -1 when a split search has no more numbers. */
  private outcomeOf(deadlock: boolean): number {
    const { key, o, holds } = outcomeKey(this.m, this.state, deadlock);
    const id = this.stores.outcomeId(key);
    if (id < 0) return id;
    const seen = this.outcomes.get(id);
    if (seen === undefined) {
      const x: ExploredOutcome = { key, observations: o.observations, violations: o.violations, counters: o.counters, deadlock, paths: 0 };
      if (holds !== undefined) x.condition = holds;
      this.outcomes.set(id, x);
    } else if (lessCounters(o.counters, seen.counters)) seen.counters = o.counters;
    return id;
  }

  /** The threads that can step in the current state, level d's, into its successor list: in scenario order, or rotated (`rotate`). */
  private enable(d: number): void {
    const { T, reduce, state, pcSlot, progs, succ, fps, NW } = this;
    let c = 0;
    let e = 0;
    let on_ = 0;
    for (let k = 0; k < T; k++) {
      const step = progs[k]![state[pcSlot[k]!]!];
      if (!step) continue;
      let on = true;
      if (reduce) {
        // The guard's reads are part of the step's footprint.
        const g = this.fpAt(d, k) + 3 * NW;
        for (let w = 0; w < NW; w++) fps[g + w] = 0;
        if (step.enabled) {
          recordFootprint(fps, g, 0, NW);
          on = step.enabled(state);
          stopFootprint();
        }
      } else if (step.enabled) on = step.enabled(state);
      if (!on) continue;
      e++;
      if (!reduce) succ[d * T + c++] = k;
      else on_ |= 1 << k;
    }
    this.enabledN[d] = e;
    if (reduce) {
      // A persistent set of one thread when there is one; the others wait (deferAt) unless a
      // successor closes a cycle on the stack.
      const one = this.persistent(on_);
      const take = this.wantAt[d]! & (one < 0 ? on_ : 1 << one);
      this.deferAt[d] = one < 0 ? 0 : this.wantAt[d]! & on_ & ~(1 << one);
      for (let k = 0; k < T; k++) if (take & (1 << k)) succ[d * T + c++] = k;
    }
    if (this.rotate && c > 1) {
      const r = ((this.fhi[d]! >>> 7) + this.rotate) % c;
      for (let j = 0; j < r; j++) {
        const first = succ[d * T]!;
        for (let x = 1; x < c; x++) succ[d * T + x - 1] = succ[d * T + x]!;
        succ[d * T + c - 1] = first;
      }
    }
    this.succN[d] = c;
    this.next[d] = 0;
    for (let k = 0; k < T; k++) this.kid[d * T + k] = 0;
  }

  /** No thread can step, but some have not finished. */
  private deadlocked(): boolean {
    for (let k = 0; k < this.T; k++) if (this.state[this.pcSlot[k]!]! < this.progs[k]!.length) return true;
    return false;
  }

  /** The schedule that reaches level d, as thread numbers (for a bug in the model). */
  private schedule(d: number): string {
    const out: number[] = [];
    for (let e = 0; e < d; e++) out.push(this.succ[e * this.T + this.next[e]! - 1]!);
    return out.join('.');
  }

  /** Is the state (hi, lo) on this search's own stack, at a level up to d (a split search: else another worker's)? */
  private onMyStack(hi: number, lo: number, d: number): boolean {
    for (let e = 0; e <= d; e++) if (this.fhi[e] === hi && this.flo[e] === lo) return true;
    return false;
  }

  /** The windows the step just taken (by thread `tid`, kernel function `fn`) opened: stale now (in `scratch`), not at level d. */
  private noteWindows(d: number, fn: string, tid: number): void {
    const { W, scratch, stale, ws, windows } = this;
    for (let word = 0; word < W; word++) {
      const opened = scratch[word]! & ~stale[d * W + word]!;
      for (let bit = 0; opened && bit < 32; bit++) {
        if (!(opened & (1 << bit))) continue;
        const w = ws[word * 32 + bit]!;
        const key = windowKey(w, fn);
        const seen = windows.get(key);
        if (!seen || tid < seen.tid) windows.set(key, { window: { key, mapping: w.mapping, gfn: w.gfn, ...(w.where ? { where: w.where } : {}), openedBy: { thread: this.m.layout.threads[tid]!.name, fn } }, tid });
      }
    }
  }

  /** Reduce: the sleep set of the successor of level d by thread k, whose footprint is at f: the threads asleep at d or taken there before, that commute with k's step. */
  private sleepAfter(d: number, k: number, f: number): number {
    const { fps, NW, T, watchedBits } = this;
    let touchesWatched = 0;
    for (let w = 0; w < NW; w++) touchesWatched |= (fps[f + NW + w]! | fps[f + 2 * NW + w]!) & watchedBits[w]!;
    if (touchesWatched) for (let w = 0; w < NW; w++) fps[f + w]! |= watchedBits[w]!;
    let sleep = 0;
    const cand = this.sleepAt[d]! | this.doneAt[d]!;
    for (let u = 0; u < T; u++) if (cand & (1 << u) && this.independent(d, u, k)) sleep |= 1 << u;
    this.doneAt[d]! |= 1 << k;
    return sleep;
  }

  /** Push the state just reached (fingerprint hi, lo; its writes logged up to `end`) as level d + 1. */
  private enter(hi: number, lo: number, end: number, moved: boolean, sleep: number, want: number): void {
    const d = ++this.d;
    this.logAt[d] = this.logTop;
    this.logTop = end;
    if (this.limits.sanity) {
      const bad = checkSanity(this.m, this.state);
      if (bad) throw new Error(`internal: ${bad} (schedule ${this.schedule(d)})`);
    }
    this.fhi[d] = hi;
    this.flo[d] = lo;
    if (this.part) {
      this.slotAt[d] = this.visited.hint!;
      this.slotCapAt[d] = this.visited.hintCap!;
    }
    const { W, stale, scratch } = this;
    const sb = d * W;
    if (moved) for (let word = 0; word < W; word++) stale[sb + word] = scratch[word]!;
    else for (let word = 0; word < W; word++) stale[sb + word] = stale[sb - W + word]!;
    if (this.reduce) {
      this.sleepAt[d] = sleep;
      this.doneAt[d] = 0;
      this.wantAt[d] = want & ~sleep;
      // The sleeping threads' footprints: unchanged, as nothing since has touched what they read.
      const fps = this.fps;
      for (let u = 0; u < this.T; u++) {
        if (!(sleep & (1 << u))) continue;
        const to = this.fpAt(d, u);
        const from = this.fpAt(d - 1, u);
        for (let w = 0; w < 3 * this.NW; w++) fps[to + w] = fps[from + w]!;
      }
    }
    this.enable(d);
  }

  /** Every 256 states: progress, Ctrl-C, and the limits (stopped is set when one is reached). */
  private checkLimits(): void {
    const { limits, part } = this;
    const total = part ? part.ctrl[CTRL.STATES]! : this.states;
    const elapsed = performance.now() - this.t0;
    if ((this.pushed & 16383) === 0) limits.progress?.(this.states, elapsed);
    if (limits.stop && Atomics.load(limits.stop, 0)) this.stopped = 'interrupted';
    else if (total >= limits.maxStates) this.stopped = 'max-states';
    else if (elapsed > limits.timeoutMs) this.stopped = 'timeout';
    // Stop before a growth would pass the ceiling.
    else if (this.visited.projectedBytes(256) + this.pool.projectedBytes(256) > limits.maxMemoryBytes) this.stopped = 'memory';
    if (this.stopped && part) part.abort(this.stopped);
  }

  /**
   * Level d's successors are all searched: its vector of path counts per outcome is the sum of
   * theirs (a final state's: its own outcome, once), stored and handed to the parent. False when
   * a split search ran out of outcome numbers.
   */
  private finishLevel(d: number): boolean {
    const { T, kid, pool, part, visited } = this;
    let id = -1;
    let kids = 0;
    for (let k = 0; k < T; k++) {
      const v = kid[d * T + k]!;
      if (v) {
        kids++;
        id = v - 1;
      }
    }
    if (this.succN[d] === 0) {
      const o = this.outcomeOf(this.deadlocked());
      if (o < 0) {
        part!.abort('outcomes');
        this.stopped = 'outcomes';
        return false;
      }
      this.addPaths(o, 1);
      id = pool.store(this.acc, 0, this.nz, 0, this.nzN);
    } else if (kids > 1) {
      for (let k = 0; k < T; k++) {
        const v = kid[d * T + k]!;
        if (v) pool.addInto(this.addPaths, v - 1);
      }
      // The outcome ids in ascending order (insertion sort: a handful).
      const nz = this.nz;
      for (let a = 1; a < this.nzN; a++) {
        const x = nz[a]!;
        let b = a - 1;
        for (; b >= 0 && nz[b]! > x; b--) nz[b + 1] = nz[b]!;
        nz[b + 1] = x;
      }
      id = pool.store(this.acc, 0, nz, 0, this.nzN);
    }
    // (One successor: its vector is this state's. None, all cycles: the empty vector.)
    if (id < 0) id = pool.store(this.acc, 0, this.nz, 0, 0);
    for (let j = 0; j < this.nzN; j++) this.acc[this.nz[j]!] = 0;
    this.nzN = 0;
    // In a split search the first worker to finish a state counts its transitions.
    const first = part ? visited.finish(this.fhi[d]!, this.flo[d]!, id + 1, this.slotAt[d]!, this.slotCapAt[d]!) : visited.finish(this.fhi[d]!, this.flo[d]!, id + 1);
    if (first && part) this.transitions += this.succN[d]!;
    if (d > 0) kid[(d - 1) * T + this.succ[(d - 1) * T + this.next[d - 1]! - 1]!] = id + 1;
    else this.root = pool.read(id);
    return true;
  }

  private result(): SearchResult {
    const result: SearchResult = {
      states: this.states,
      transitions: this.transitions,
      cycles: this.cycles,
      outcomes: [...this.outcomes].map(([id, outcome]) => ({ id, outcome })),
      root: this.root,
      windows: [...this.windows.values()],
      bytes: this.visited.bytes + this.pool.bytes,
      elapsedMs: performance.now() - this.t0,
      reduced: this.reduce,
    };
    if (this.stopped && !this.root) result.stopped = this.stopped;
    return result;
  }
}
