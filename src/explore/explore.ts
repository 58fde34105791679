// Every interleaving of the threads' atomic steps (docs/explore.md): a depth-first search over
// machine states with a visited set of fingerprints. Each distinct final outcome is counted
// with the number of maximal paths (schedules) that reach it, by dynamic programming over the
// state graph: a state's vector of path counts per outcome is the sum of its successors'.
// One search, or one worker's part of a search split between workers (explore/shared.ts).
import { COUNTER_NAMES, DEFAULT_LIMITS, type Exploration, type ExploredOutcome, type ExploredWindow, type Limits, type Outcome } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import { evalCond, outcome } from '../engine/observe.js';
import { independentOf, staticFootprints } from './footprint.js';
import { schedulable, stepThread } from '../engine/run.js';
import { recordFootprint, recordWrites, stopFootprint, stopRecording } from '../engine/state.js';
import { checkSanity } from '../engine/sanity.js';
import { staleSet, staleWords, type Watcher } from '../engine/windows.js';
import { FingerprintTable, fingerprint, fpHi, fpLo, storedLo, zHi, zLo } from './fingerprint.js';
import { ABORT, CTRL, SharedOutcomes, SharedVectors, SharedVisited, abortReason, type AbortReason, type SharedBuffers } from './shared.js';
import { LocalVectors, type VectorPool } from './vectors.js';


/** Counters compared in the contract's order: an outcome reports the least it was reached with (any order of search gives the same). */
function lessCounters(a: Outcome['counters'], b: Outcome['counters']): boolean {
  for (const c of COUNTER_NAMES) if (a[c] !== b[c]) return a[c] < b[c];
  return false;
}

/** A window's identity: the mapping, and the kernel function whose step opened it. */
export const windowKey = (w: Watcher, fn: string) => `${w.name} opened by ${fn}`;

/** An outcome's identity: observations, harms, the condition's truth, deadlock. */
export function outcomeKey(m: Machine, s: Int32Array, deadlock: boolean): { key: string; o: Outcome; holds: boolean | undefined } {
  const o = outcome(m, s);
  const cond = m.scenario.condition;
  const holds = cond ? evalCond(m, s, cond.cond) : undefined;
  return { key: JSON.stringify([o.observations, o.violations, holds ?? null, deadlock]), o, holds };
}

/**
 * The visited set as the search sees it. getOrInsert: -1 if the state is new (inserted now),
 * 0 while it is on a search stack, v > 0 once finished with vector v - 1. finish: publish a
 * finished state's value; true if this was the first to.
 */
interface Visited {
  getOrInsert(hi: number, lo: number, value?: number): number;
  /** `hint`, `hintCap`: where getOrInsert() put the state, if the table says (SharedVisited). */
  finish(hi: number, lo: number, v: number, hint?: number, hintCap?: number): boolean;
  readonly hint?: number;
  readonly hintCap?: number;
  readonly bytes: number;
  projectedBytes(more: number): number;
}

/**
 * One explorer's visited set: 16-bit values in the table (vector numbers + 1); a number that
 * does not fit is kept in a second table, and the first one says FAR.
 */
const FAR = 0xffff;
class LocalVisited implements Visited {
  private table = new FingerprintTable(1 << 16, 16);
  private far = new FingerprintTable(1 << 10, 32);
  getOrInsert(hi: number, lo: number, value = 0): number {
    const v = this.table.getOrInsert(hi >>> 0, storedLo(lo), value < FAR ? value : FAR);
    if (v < 0 && value >= FAR) this.far.set(hi >>> 0, storedLo(lo), value);
    return v === FAR ? this.far.get(hi >>> 0, storedLo(lo)) : v;
  }
  finish(hi: number, lo: number, v: number): boolean {
    this.table.set(hi >>> 0, storedLo(lo), v < FAR ? v : FAR);
    if (v >= FAR) this.far.set(hi >>> 0, storedLo(lo), v);
    return true;
  }
  get bytes(): number {
    return this.table.bytes + this.far.bytes;
  }
  projectedBytes(more: number): number {
    return this.table.projectedBytes(more) + this.far.projectedBytes(more);
  }
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

/** Explore every interleaving: one search on this thread. */
export function explore(m: Machine, limits: Limits = DEFAULT_LIMITS): Exploration {
  const outcomeIds = new Map<string, number>();
  const r = search(m, limits, {
    visited: new LocalVisited(),
    vectors: new LocalVectors(),
    outcomeId: (key) => {
      let id = outcomeIds.get(key);
      if (id === undefined) outcomeIds.set(key, (id = outcomeIds.size));
      return id;
    },
  });
  return merge([r])!;
}

/**
 * Worker k's part of a search split between workers that share `buffers`. Worker 0 takes
 * successors in the scenario's order, the others each in a rotation of their own, so that
 * they spread over the graph.
 */
export function explorePart(m: Machine, limits: Limits, buffers: SharedBuffers, k: number): SearchResult {
  const ctrl = new Int32Array(buffers.ctrl);
  const abort = (why: AbortReason) => void Atomics.compareExchange(ctrl, CTRL.ABORT, 0, ABORT[why]);
  const visited = new SharedVisited(buffers, abort);
  const outcomes = new SharedOutcomes(buffers);
  try {
    return search(m, limits, {
      visited,
      vectors: new SharedVectors(buffers),
      outcomeId: (key) => outcomes.id(key),
      part: { k, ctrl, abort },
    });
  } finally {
    visited.leave();
  }
}

/**
 * One Exploration from the results of the searches that made it: the root's vector from the
 * one that finished it, states and transitions summed, outcomes and windows joined. Null when
 * a split search cannot give the answer one search gives (a cycle, a limit reached: the
 * caller searches again on one thread).
 */
export function merge(parts: SearchResult[]): Exploration | null {
  const split = parts.length > 1;
  const done = parts.find((p) => p.root);
  const stopped = done ? undefined : parts.find((p) => p.stopped)?.stopped;
  if (split && (stopped === 'cycle' || stopped === 'outcomes' || stopped === 'max-states' || stopped === 'memory')) return null;
  const byId = new Map<number, ExploredOutcome>();
  for (const p of parts) {
    for (const { id, outcome } of p.outcomes) {
      const seen = byId.get(id);
      if (!seen) byId.set(id, { ...outcome, paths: 0 });
      else if (lessCounters(outcome.counters, seen.counters)) seen.counters = outcome.counters;
    }
  }
  if (done) for (const [id, c] of done.root!) byId.get(id)!.paths = c;
  const approximate = [...byId.values()].some((o) => o.paths > Number.MAX_SAFE_INTEGER);
  const windows = new Map<string, { window: ExploredWindow; tid: number }>();
  for (const p of parts) {
    for (const w of p.windows) {
      const seen = windows.get(w.window.key);
      if (!seen || w.tid < seen.tid) windows.set(w.window.key, w);
    }
  }
  const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const result: Exploration = {
    complete: !!done,
    states: parts.reduce((n, p) => n + p.states, 0),
    transitions: parts.reduce((n, p) => n + p.transitions, 0),
    cycles: parts.reduce((n, p) => n + p.cycles, 0),
    outcomes: [...byId.values()].sort(byKey),
    windows: [...windows.values()].map((w) => w.window).sort(byKey),
    approximate,
    bytes: Math.max(...parts.map((p) => p.bytes)),
    elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)),
    workers: parts.length,
  };
  if (parts[0]!.reduced) result.reduced = true;
  if (!done) result.stopped = (stopped as Exploration['stopped']) ?? 'interrupted';
  return result;
}

/** The stores a search works with. */
interface Stores {
  visited: Visited;
  vectors: VectorPool;
  /** An outcome key's number (-1: no more numbers, in a split search). */
  outcomeId: (key: string) => number;
  /** A worker of a split search: its number, the control block, how it gives up. */
  part?: { k: number; ctrl: Int32Array; abort: (why: AbortReason) => void };
}

/**
 * The depth-first search. Its stack is flat typed arrays indexed by depth (fingerprint,
 * successors, stale set, path-count accumulator, write log), so a transition allocates
 * nothing: the step runs on the one state in place with its writes logged (engine/state.ts
 * put()); the successor's fingerprint is the parent's updated for the slots the step changed,
 * its stale set is recomputed only when a slot a window depends on changed, and the parent is
 * restored from the log.
 */
function search(m: Machine, limits: Limits, stores: Stores): SearchResult {
  const t0 = performance.now();
  const l = m.layout;
  const among = schedulable(m);
  const T = among.length;
  const n = m.init.length;
  const pcSlot = among.map((t) => l.threads[t]!.pc);
  const progs = among.map((t) => m.programs[t]!);
  const { visited, vectors: pool, outcomeId, part } = stores;
  const ws = m.watchers;
  const W = staleWords(ws);
  const scratch = new Int32Array(W);
  /** Slots a window's staleness depends on: the mappings, their host PTEs, the invalidation in progress. */
  const watched = new Uint8Array(n);
  for (const w of ws) watched[w.slot] = watched[w.pte] = watched[w.inProgress] = watched[w.rangeStart] = watched[w.rangeEnd] = 1;
  const windows = new Map<string, { window: ExploredWindow; tid: number }>();
  /** The outcomes met, by number (sparse in a split search: others number outcomes too). */
  const outcomes = new Map<number, ExploredOutcome>();
  let states = 0;
  let transitions = 0;
  let cycles = 0;
  let stopped: SearchResult['stopped'];
  let root: SearchResult['root'] = null;
  const reduce = !!limits.reduce && !part;

  // The stack, by depth. There is one state: a step runs on it with its writes logged, and a
  // level is left by undoing the log of the step that entered it (as SPIN moves backwards).
  let cap = 64;
  const state = new Int32Array(m.init);
  /** The write logs of the steps on the stack, (slot, old, new) triples; level d's from logAt[d]. */
  let log: Int32Array<ArrayBufferLike> = new Int32Array(4096);
  let logTop = 0;
  const undo = (from: number, to: number) => {
    for (let k = to - 3; k >= from; k -= 3) state[log[k]!] = log[k + 1]!;
  };
  let logAt = new Int32Array(cap);
  /** A split search: where each level's state sits in the shared table, and the table's size then. */
  let slotAt = new Int32Array(part ? cap : 0);
  let slotCapAt = new Int32Array(part ? cap : 0);
  let fhi = new Int32Array(cap);
  let flo = new Int32Array(cap);
  let succ = new Int32Array(cap * T);
  let succN = new Int32Array(cap);
  let next = new Int32Array(cap);
  let stale = new Int32Array(cap * W);
  /**
   * What each successor of level d gave: its vector number + 1 at kid[d * T + k] for thread k
   * (0: none yet, or a cycle). The vectors are summed when the level is finished, in thread
   * order whatever the order of search, so that a state's counts are the same to the last bit
   * however it was reached (they pass 2^53 in large scenarios, where the order of a sum of
   * doubles shows).
   */
  let kid = new Int32Array(cap * T);
  // Sleep sets (reduce): at each level the threads asleep (a step already taken from an
  // earlier state, that commutes with every step taken since), those taken here so far, and
  // those to take; and for each thread its step's footprint at this level: the slots it reads
  // (its guard's too), writes, and updates commutatively, as bit sets of NW words.
  const NW = (n + 31) >> 5;
  const FP = 4 * NW; // read, write, commute, guard
  let fps = new Int32Array(reduce ? 2 * NW + cap * T * FP : 0);
  let sleepAt = new Int32Array(reduce ? cap : 0);
  let doneAt = new Int32Array(reduce ? cap : 0);
  let wantAt = new Int32Array(reduce ? cap : 0);
  const fpAt = (d: number, k: number) => 2 * NW + (d * T + k) * FP; // the first 2 NW words catch a guard's writes
  /** Slots a step that changes a watched slot is taken to read: two such steps never commute, so a window opens in the same step however independent steps are ordered. */
  const watchedBits = new Int32Array(NW);
  for (let i = 0; i < n; i++) if (watched[i]) watchedBits[i >> 5]! |= 1 << (i & 31);
  /** The steps of threads a and b at level d commute: neither writes what the other reads or writes (two commuting updates excepted). */
  const independent = (d: number, a: number, b: number) => {
    const x = fpAt(d, a);
    const y = fpAt(d, b);
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
  };
  // Persistent sets (reduce): static footprints of every step and of every thread's future.
  const statics = reduce ? staticFootprints(m, among) : null;
  let deferAt = new Int32Array(reduce ? cap : 0);
  /** A thread whose next step alone is a persistent set in the current state (-1: none): no step any other thread may still take touches what it touches, and it changes no watched slot (a window must open on the same step as in the full search). */
  const persistent = (enabled: number): number => {
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
        if (pc < progs[u]!.length && !independentOf(a, statics[u]!.future[pc]!)) alone = false;
      }
      if (alone) return k;
    }
    return -1;
  };
  /** The sum, dense by outcome, and the outcomes it has. */
  let acc = new Float64Array(16);
  let nz = new Int32Array(16);
  let nzN = 0;
  const grown = <A extends Int32Array | Float64Array>(a: A, size: number): A => {
    const b = new (a.constructor as new (k: number) => A)(size);
    b.set(a);
    return b;
  };
  const growStack = () => {
    cap *= 2;
    logAt = grown(logAt, cap);
    if (part) {
      slotAt = grown(slotAt, cap);
      slotCapAt = grown(slotCapAt, cap);
    }
    fhi = grown(fhi, cap);
    flo = grown(flo, cap);
    succ = grown(succ, cap * T);
    succN = grown(succN, cap);
    next = grown(next, cap);
    enabledN = grown(enabledN, cap);
    stale = grown(stale, cap * W);
    kid = grown(kid, cap * T);
    if (reduce) {
      fps = grown(fps, 2 * NW + cap * T * FP);
      sleepAt = grown(sleepAt, cap);
      doneAt = grown(doneAt, cap);
      wantAt = grown(wantAt, cap);
      deferAt = grown(deferAt, cap);
    }
  };
  /** Add `c` paths to outcome `id` into the sum. */
  const addPaths = (id: number, c: number) => {
    if (id >= acc.length) {
      let k2 = acc.length;
      while (k2 <= id) k2 *= 2;
      acc = grown(acc, k2);
      nz = grown(nz, k2);
    }
    if (acc[id] === 0) nz[nzN++] = id;
    acc[id] = acc[id]! + c;
  };

  /** The current (final) state's outcome number; -1 when a split search has no more numbers. */
  const outcomeOf = (deadlock: boolean): number => {
    const { key, o, holds } = outcomeKey(m, state, deadlock);
    const id = outcomeId(key);
    if (id < 0) return id;
    const seen = outcomes.get(id);
    if (seen === undefined) {
      const x: ExploredOutcome = { key, observations: o.observations, violations: o.violations, counters: o.counters, deadlock, paths: 0 };
      if (holds !== undefined) x.condition = holds;
      outcomes.set(id, x);
    } else if (lessCounters(o.counters, seen.counters)) seen.counters = o.counters;
    return id;
  };

  /**
   * The threads that can step in the current state, level d's, into its successor list: in
   * scenario order, or for worker k > 0 of a split search rotated by k and the state's
   * fingerprint, so that the workers spread over the graph.
   */
  const rotate = part && part.k > 0 ? part.k : 0;
  /** Threads enabled at level d (reduce: the successors are those of them wanted). */
  let enabledN = new Int32Array(cap);
  const enable = (d: number) => {
    let c = 0;
    let e = 0;
    let on_ = 0;
    for (let k = 0; k < T; k++) {
      const step = progs[k]![state[pcSlot[k]!]!];
      if (!step) continue;
      let on = true;
      if (reduce) {
        // The guard's reads are part of the step's footprint.
        const g = fpAt(d, k) + 3 * NW;
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
    enabledN[d] = e;
    if (reduce) {
      // A persistent set of one thread when there is one; the others wait (deferAt) unless a
      // successor closes a cycle on the stack.
      const one = persistent(on_);
      const take = wantAt[d]! & (one < 0 ? on_ : 1 << one);
      deferAt[d] = one < 0 ? 0 : wantAt[d]! & on_ & ~(1 << one);
      for (let k = 0; k < T; k++) if (take & (1 << k)) succ[d * T + c++] = k;
    }
    if (rotate && c > 1) {
      const r = ((fhi[d]! >>> 7) + rotate) % c;
      for (let j = 0; j < r; j++) {
        const first = succ[d * T]!;
        for (let x = 1; x < c; x++) succ[d * T + x - 1] = succ[d * T + x]!;
        succ[d * T + c - 1] = first;
      }
    }
    succN[d] = c;
    next[d] = 0;
    for (let k = 0; k < T; k++) kid[d * T + k] = 0;
  };
  /** No thread can step, but some have not finished. */
  const deadlocked = () => {
    for (let k = 0; k < T; k++) if (state[pcSlot[k]!]! < progs[k]!.length) return true;
    return false;
  };
  const schedule = (d: number) => {
    const out: number[] = [];
    for (let e = 0; e < d; e++) out.push(succ[e * T + next[e]! - 1]!);
    return out.join('.');
  };

  fingerprint(state);
  fhi[0] = fpHi;
  flo[0] = fpLo;
  staleSet(ws, state, scratch);
  stale.set(scratch, 0);
  if (visited.getOrInsert(fpHi, fpLo) < 0) states = 1;
  if (part) {
    slotAt[0] = visited.hint!;
    slotCapAt[0] = visited.hintCap!;
  }
  if (reduce) {
    visited.finish(fpHi, fpLo, 1); // visited with an empty sleep set
    wantAt[0] = -1;
  }
  enable(0);
  let d = 0;
  let pushed = 0;
  /** Level d's state is on this search's own stack (a split search: else another worker's). */
  const onMyStack = (hi: number, lo: number, d: number) => {
    for (let e = 0; e <= d; e++) if (fhi[e] === hi && flo[e] === lo) return true;
    return false;
  };

  /** The windows the step just taken (by thread `tid`, kernel function `fn`) opened: stale now (in `scratch`), not at level d. */
  const noteWindows = (d: number, fn: string, tid: number) => {
    for (let word = 0; word < W; word++) {
      const opened = scratch[word]! & ~stale[d * W + word]!;
      for (let bit = 0; opened && bit < 32; bit++) {
        if (!(opened & (1 << bit))) continue;
        const w = ws[word * 32 + bit]!;
        const key = windowKey(w, fn);
        const seen = windows.get(key);
        if (!seen || tid < seen.tid) windows.set(key, { window: { key, mapping: w.mapping, gfn: w.gfn, openedBy: { thread: l.threads[tid]!.name, fn } }, tid });
      }
    }
  };
  /** Reduce: the sleep set of the successor of level d by thread k, whose footprint is at f: the threads asleep at d or taken there before, that commute with k's step. */
  const sleepAfter = (d: number, k: number, f: number): number => {
    let touchesWatched = 0;
    for (let w = 0; w < NW; w++) touchesWatched |= (fps[f + NW + w]! | fps[f + 2 * NW + w]!) & watchedBits[w]!;
    if (touchesWatched) for (let w = 0; w < NW; w++) fps[f + w]! |= watchedBits[w]!;
    let sleep = 0;
    const cand = sleepAt[d]! | doneAt[d]!;
    for (let u = 0; u < T; u++) if (cand & (1 << u) && independent(d, u, k)) sleep |= 1 << u;
    doneAt[d]! |= 1 << k;
    return sleep;
  };
  /** Push the state just reached (fingerprint hi, lo; its writes logged up to `end`) as level d + 1. */
  const enter = (hi: number, lo: number, end: number, moved: boolean, sleep: number, want: number) => {
    d++;
    logAt[d] = logTop;
    logTop = end;
    if (limits.sanity) {
      const bad = checkSanity(m, state);
      if (bad) throw new Error(`internal: ${bad} (schedule ${schedule(d)})`);
    }
    fhi[d] = hi;
    flo[d] = lo;
    if (part) {
      slotAt[d] = visited.hint!;
      slotCapAt[d] = visited.hintCap!;
    }
    const sb = d * W;
    if (moved) for (let word = 0; word < W; word++) stale[sb + word] = scratch[word]!;
    else for (let word = 0; word < W; word++) stale[sb + word] = stale[sb - W + word]!;
    if (reduce) {
      sleepAt[d] = sleep;
      doneAt[d] = 0;
      wantAt[d] = want & ~sleep;
      // The sleeping threads' footprints: unchanged, as nothing since has touched what they read.
      for (let u = 0; u < T; u++) {
        if (!(sleep & (1 << u))) continue;
        const to = fpAt(d, u);
        const from = fpAt(d - 1, u);
        for (let w = 0; w < 3 * NW; w++) fps[to + w] = fps[from + w]!;
      }
    }
    enable(d);
  };
  /** Every 256 states: progress, Ctrl-C, and the limits (stopped is set when one is reached). */
  const checkLimits = () => {
    const total = part ? part.ctrl[CTRL.STATES]! : states;
    if ((pushed & 16383) === 0) limits.progress?.(states, performance.now() - t0);
    if (limits.stop && Atomics.load(limits.stop, 0)) stopped = 'interrupted';
    else if (total >= limits.maxStates) stopped = 'max-states';
    else if (performance.now() - t0 > limits.timeoutMs) stopped = 'timeout';
    // Stop before a growth would pass the ceiling.
    else if (visited.projectedBytes(256) + pool.projectedBytes(256) > limits.maxMemoryBytes) stopped = 'memory';
    if (stopped && part) part.abort(stopped);
  };

  /**
   * Level d's successors are all searched: its vector of path counts per outcome is the sum of
   * theirs (a final state's: its own outcome, once), stored and handed to the parent. False when
   * a split search ran out of outcome numbers.
   */
  const finishLevel = (d: number): boolean => {
    let id = -1;
    let kids = 0;
    for (let k = 0; k < T; k++) {
      const v = kid[d * T + k]!;
      if (v) {
        kids++;
        id = v - 1;
      }
    }
    if (succN[d] === 0) {
      const o = outcomeOf(deadlocked());
      if (o < 0) {
        part!.abort('outcomes');
        stopped = 'outcomes';
        return false;
      }
      addPaths(o, 1);
      id = pool.store(acc, 0, nz, 0, nzN);
    } else if (kids > 1) {
      for (let k = 0; k < T; k++) {
        const v = kid[d * T + k]!;
        if (v) pool.addInto(addPaths, v - 1);
      }
      // The outcome ids in ascending order (insertion sort: a handful).
      for (let a = 1; a < nzN; a++) {
        const x = nz[a]!;
        let b = a - 1;
        for (; b >= 0 && nz[b]! > x; b--) nz[b + 1] = nz[b]!;
        nz[b + 1] = x;
      }
      id = pool.store(acc, 0, nz, 0, nzN);
    }
    // (One successor: its vector is this state's. None, all cycles: the empty vector.)
    if (id < 0) id = pool.store(acc, 0, nz, 0, 0);
    for (let j = 0; j < nzN; j++) acc[nz[j]!] = 0;
    nzN = 0;
    // In a split search the first worker to finish a state counts its transitions.
    const first = part ? visited.finish(fhi[d]!, flo[d]!, id + 1, slotAt[d]!, slotCapAt[d]!) : visited.finish(fhi[d]!, flo[d]!, id + 1);
    if (first && part) transitions += succN[d]!;
    if (d > 0) kid[(d - 1) * T + succ[(d - 1) * T + next[d - 1]! - 1]!] = id + 1;
    else root = pool.read(id);
    return true;
  };

  while (d >= 0) {
    if (next[d]! < succN[d]!) {
      if (stopped) break;
      if (part && (part.ctrl[CTRL.DONE] || part.ctrl[CTRL.ABORT])) {
        stopped = part.ctrl[CTRL.DONE] ? 'interrupted' : abortReason(part.ctrl[CTRL.ABORT]!);
        break;
      }
      const k = succ[d * T + next[d]!++]!;
      const tid = among[k]!;
      if (d + 1 === cap) growStack();
      // The successor's fingerprint is the parent's with the terms of the slots the step
      // changed swapped: XOR telescopes over several writes of one slot.
      const step = progs[k]![state[pcSlot[k]!]!]!;
      recordWrites(log, logTop);
      const f = reduce ? fpAt(d, k) : 0;
      if (reduce) {
        for (let w = 0; w < NW; w++) {
          fps[f + w] = fps[f + 3 * NW + w]!;
          fps[f + NW + w] = fps[f + 2 * NW + w] = 0;
        }
        recordFootprint(fps, f, f + NW, f + 2 * NW);
      }
      try {
        stepThread(m, state, tid, null);
      } catch (e) {
        // A bug in the model: name the schedule that reaches it, as thread numbers.
        stopRecording();
        stopFootprint();
        throw new Error(`${(e as Error).message} (schedule ${schedule(d + 1)})`);
      }
      if (reduce) stopFootprint();
      const written = stopRecording();
      log = written.buf;
      const end = written.n;
      if (!part) transitions++;
      let hi = fhi[d]!;
      let lo = flo[d]!;
      let moved = false;
      for (let j = logTop; j < end; j += 3) {
        const i = log[j]!;
        const a = log[j + 1]!;
        const b = log[j + 2]!;
        hi ^= zHi(i, a) ^ zHi(i, b);
        lo ^= zLo(i, a) ^ zLo(i, b);
        if (watched[i]) moved = true;
      }
      // A window can open on any transition, also one into a state already explored.
      if (moved && staleSet(ws, state, scratch)) noteWindows(d, step.fn, tid);
      let sleep = reduce ? sleepAfter(d, k, f) : 0;
      let want = -1;
      // (Reduce: a new state is stored with its sleep set at once.)
      const v = visited.getOrInsert(hi, lo, reduce ? sleep + 1 : 0);
      if (reduce) {
        // The cycle proviso: a step of a persistent set that closes a cycle on the stack could
        // put off the other threads for ever; they are taken here after all.
        if (v >= 0 && deferAt[d] && onMyStack(hi, lo, d)) {
          for (let u = 0; u < T; u++) if (deferAt[d]! & (1 << u)) succ[d * T + succN[d]!++] = u;
          deferAt[d] = 0;
        }
        if (v < 0) states++;
        else {
          // Visited with sleep set z: take now only the steps that slept there and wake here.
          const z = v - 1;
          if ((z & ~sleep) === 0) {
            undo(logTop, end);
            continue;
          }
          want = z & ~sleep;
          sleep &= z;
          visited.finish(hi, lo, sleep + 1);
        }
      } else if (v > 0) {
        kid[d * T + k] = v;
        undo(logTop, end);
        continue;
      }
      if (v === 0 && !reduce) {
        // On the stack: a cycle, if on this search's own. In a split search a state on
        // another worker's stack is searched here too (waiting for it could deadlock), and
        // the split gives a cycle back to a search on one thread.
        if (!part || onMyStack(hi, lo, d)) {
          if (part) part.abort('cycle');
          cycles++;
          undo(logTop, end);
          continue;
        }
      } else if (!reduce) states++;
      // A new state (to this search): push it, keeping the log that undoes it.
      enter(hi, lo, end, moved, sleep, want);
      if ((++pushed & 255) === 0) checkLimits();
      continue;
    }
    if (reduce) {
      if (enabledN[d] === 0) {
        outcomeOf(deadlocked());
      }
      if (d > 0) {
        undo(logAt[d]!, logTop);
        logTop = logAt[d]!;
      } else root = [];
      d--;
      continue;
    }
    // All successors done: this state's path counts are known.
    if (!finishLevel(d)) break;
    // Back to the parent.
    if (d > 0) {
      undo(logAt[d]!, logTop);
      logTop = logAt[d]!;
    }
    d--;
  }

  // The first worker back at the root tells the others to stop.
  if (root && part) Atomics.store(part.ctrl, CTRL.DONE, 1);
  const result: SearchResult = {
    states,
    transitions,
    cycles,
    outcomes: [...outcomes].map(([id, outcome]) => ({ id, outcome })),
    root,
    windows: [...windows.values()],
    bytes: visited.bytes + pool.bytes,
    elapsedMs: performance.now() - t0,
    reduced: reduce,
  };
  if (stopped && !root) result.stopped = stopped;
  return result;
}
