// Every interleaving of the threads' atomic steps (docs/explore.md): a depth-first search over
// machine states with a visited set of fingerprints. Each distinct final outcome is counted
// with the number of maximal paths (schedules) that reach it, by dynamic programming over the
// state graph: a state's vector of path counts per outcome is the sum of its successors'.
import type { Exploration, ExploredOutcome, ExploredWindow, Outcome } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import { evalCond, outcome } from '../engine/observe.js';
import { schedulable, stepThread } from '../engine/run.js';
import { recordWrites, stopRecording } from '../engine/state.js';
import { checkSanity } from '../engine/sanity.js';
import { staleSet, staleWords, type Watcher } from '../engine/windows.js';
import { FingerprintTable, fingerprint, fpHi, fpLo, storedLo, zHi, zLo } from './fingerprint.js';

export interface Limits {
  maxStates: number;
  timeoutMs: number;
  maxMemoryBytes: number;
  /** Called now and then with the states explored so far (a progress bar on a TTY). */
  progress?: (states: number, elapsedMs: number) => void;
  /** Check the engine's own invariants on every new state (self-check tests; slower). */
  sanity?: boolean;
  /** A shared flag (SIGINT): when element 0 is set, stop as `interrupted`. */
  stop?: Int32Array;
}

export const DEFAULT_LIMITS: Limits = { maxStates: 5_000_000, timeoutMs: 600_000, maxMemoryBytes: 1 << 30 };

/**
 * Path-count vectors: for each finished state, how many maximal paths from it reach each
 * outcome. A frame adds its successors' vectors into a dense accumulator (indexed by outcome);
 * a finished state's vector is stored sparse, [n, id1, count1, ...], once for all the states
 * that have it (the visited set holds its number): a search of millions of states finds a few
 * tens of thousands of distinct vectors.
 */
class VectorPool {
  data = new Float64Array(1 << 16);
  used = 0;
  /** Offset of each vector in `data`, by number. */
  private at = new Int32Array(1 << 12);
  count = 0;
  /**
   * Identical vectors are stored once, found by a 64-bit hash of their content (as states are
   * by their fingerprints: docs/explore.md): an open-addressed index of numbers + 1, at most a
   * quarter full, and each number's hash.
   */
  private index = new Int32Array(1 << 14);
  private hash1 = new Int32Array(1 << 12);
  private hash2 = new Int32Array(1 << 12);
  // (`at`, hash1 and hash2 grow together, in append().)
  /** The vector of one path to outcome k, by k: the common tail of a search, without hashing. */
  private single: number[] = [];
  /** The number of the vector in acc[base + id] for the n outcome ids at ids[from..], ascending. */
  store(acc: Float64Array, base: number, ids: Int32Array, from: number, n: number): number {
    if (n === 1 && acc[base + ids[from]!] === 1) {
      const k = ids[from]!;
      const v = this.single[k];
      if (v !== undefined) return v;
      return (this.single[k] = this.append(acc, base, ids, from, n));
    }
    // The XOR of a 64-bit hash of each (outcome, count) pair, as a state's fingerprint is of
    // its (slot, value) pairs; a count's two 32-bit halves are hashed as two pairs.
    let h1 = 0;
    let h2 = 0;
    for (let k = 0; k < n; k++) {
      const id = ids[from + k]!;
      const c = acc[base + id]!;
      const low = c % 4294967296;
      const high = (c - low) / 4294967296;
      h1 ^= zHi(id, low | 0) ^ zLo(id + 0x10000, high | 0);
      h2 ^= zLo(id, low | 0) ^ zHi(id + 0x10000, high | 0);
    }
    const mask = this.index.length - 1;
    let i = (h2 ^ (h2 >>> 13)) & mask;
    for (let e = this.index[i]!; e !== 0; e = this.index[i]!) {
      if (this.hash1[e - 1] === h1 && this.hash2[e - 1] === h2) return e - 1;
      i = (i + 1) & mask;
    }
    const v = this.append(acc, base, ids, from, n);
    this.hash1[v] = h1;
    this.hash2[v] = h2;
    this.index[i] = v + 1;
    if (this.count * 4 > this.index.length) this.reindex();
    return v;
  }
  private reindex(): void {
    this.index = new Int32Array(this.index.length * 2);
    const mask = this.index.length - 1;
    for (let v = 0; v < this.count; v++) {
      const h2 = this.hash2[v]!;
      if (h2 === 0 && this.hash1[v] === 0) continue; // a one-path vector (not indexed)
      let i = (h2 ^ (h2 >>> 13)) & mask;
      while (this.index[i] !== 0) i = (i + 1) & mask;
      this.index[i] = v + 1;
    }
  }
  private append(acc: Float64Array, base: number, ids: Int32Array, from: number, n: number): number {
    const need = 1 + 2 * n;
    if (this.used + need > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.used + need));
      next.set(this.data);
      this.data = next;
    }
    if (this.count === this.at.length) {
      this.at = grownTo(this.at, this.count * 2);
      this.hash1 = grownTo(this.hash1, this.count * 2);
      this.hash2 = grownTo(this.hash2, this.count * 2);
    }
    const at = this.used;
    this.data[at] = n;
    for (let k = 0; k < n; k++) {
      const id = ids[from + k]!;
      this.data[at + 1 + 2 * k] = id;
      this.data[at + 2 + 2 * k] = acc[base + id]!;
    }
    this.used += need;
    this.at[this.count] = at;
    return this.count++;
  }
  /** Bytes held: the vectors, their offsets and the index that shares them. */
  get bytes(): number {
    return this.data.byteLength + this.at.byteLength + this.index.byteLength + this.hash1.byteLength * 2;
  }
  /** Bytes held after the next growths that a few hundred more states could cause. */
  projectedBytes(more: number): number {
    const pool = this.used + 64 * more > this.data.length ? this.data.byteLength * 2 : this.data.byteLength;
    return pool + 2 * (this.at.byteLength + this.index.byteLength + this.hash1.byteLength * 2);
  }
  /** Add vector v into level d's accumulator. */
  addInto(add: (d: number, id: number, c: number) => void, d: number, v: number): void {
    const at = this.at[v]!;
    const n = this.data[at]!;
    for (let k = 0; k < n; k++) add(d, this.data[at + 1 + 2 * k]!, this.data[at + 2 + 2 * k]!);
  }
}

/**
 * The visited set's value for a state: 0 while it is on the search stack, then its vector's
 * number + 1. Sixteen bits in the table; a number that does not fit is kept in a second table
 * (the table's value is then FAR).
 */
const FAR = 0xffff;

function grownTo(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
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
 * The depth-first search. Its stack is flat typed arrays indexed by depth (state, fingerprint,
 * successors, stale set, path-count accumulator), so a transition allocates nothing: the step
 * runs on the parent state in place with its writes logged (engine/state.ts put()); the
 * successor's fingerprint is the parent's updated for the slots the step changed, its stale
 * set is recomputed only when a slot a window depends on changed, and the parent is restored
 * from the log. Only a new state is copied, into the next level.
 */
export function explore(m: Machine, limits: Limits = DEFAULT_LIMITS): Exploration {
  const t0 = performance.now();
  const l = m.layout;
  const among = schedulable(m);
  const T = among.length;
  const n = m.init.length;
  const pcSlot = among.map((t) => l.threads[t]!.pc);
  const progs = among.map((t) => m.programs[t]!);
  const table = new FingerprintTable(1 << 16, 16);
  const far = new FingerprintTable(1 << 10, 32);
  const pool = new VectorPool();
  const ws = m.watchers;
  const W = staleWords(ws);
  const scratch = new Int32Array(W);
  /** Slots a window's staleness depends on: the mappings, their host PTEs, the invalidation in progress. */
  const watched = new Uint8Array(n);
  for (const w of ws) watched[w.slot] = watched[w.pte] = 1;
  watched[l.inProgress] = watched[l.rangeStart] = watched[l.rangeEnd] = 1;
  const windows = new Map<string, ExploredWindow>();
  const outcomeIds = new Map<string, number>();
  const outcomes: ExploredOutcome[] = [];
  let states = 0;
  let transitions = 0;
  let cycles = 0;
  let stopped: Exploration['stopped'];

  // The stack, by depth. There is one state: a step runs on it with its writes logged, and a
  // level is left by undoing the log of the step that entered it (as SPIN moves backwards).
  let cap = 64;
  let K = 16; // outcome ids the accumulators hold; grows with the outcomes found
  const state = new Int32Array(m.init);
  /** The write logs of the steps on the stack, (slot, old, new) triples; level d's from logAt[d]. */
  let log: Int32Array<ArrayBufferLike> = new Int32Array(4096);
  let logTop = 0;
  const undo = (from: number, to: number) => {
    for (let k = to - 3; k >= from; k -= 3) state[log[k]!] = log[k + 1]!;
  };
  let logAt = new Int32Array(cap);
  let fhi = new Int32Array(cap);
  let flo = new Int32Array(cap);
  let succ = new Int32Array(cap * T);
  let succN = new Int32Array(cap);
  let next = new Int32Array(cap);
  let stale = new Int32Array(cap * W);
  let acc = new Float64Array(cap * K);
  let nz = new Int32Array(cap * K);
  let nzN = new Int32Array(cap);
  /** The one stored vector a level's accumulator holds so far (it needs no storing again), -1 none yet, -2 a mix. */
  let only = new Int32Array(cap);
  const grown = <A extends Int32Array | Float64Array>(a: A, size: number): A => {
    const b = new (a.constructor as new (k: number) => A)(size);
    b.set(a);
    return b;
  };
  const growStack = () => {
    cap *= 2;
    logAt = grown(logAt, cap);
    fhi = grown(fhi, cap);
    flo = grown(flo, cap);
    succ = grown(succ, cap * T);
    succN = grown(succN, cap);
    next = grown(next, cap);
    stale = grown(stale, cap * W);
    acc = grown(acc, cap * K);
    nz = grown(nz, cap * K);
    nzN = grown(nzN, cap);
    only = grown(only, cap);
  };
  /** More outcome ids than the accumulators hold: widen every level's. */
  const growOutcomes = (need: number) => {
    let k2 = K;
    while (k2 <= need) k2 *= 2;
    const a2 = new Float64Array(cap * k2);
    const z2 = new Int32Array(cap * k2);
    for (let d = 0; d < cap; d++) {
      a2.set(acc.subarray(d * K, (d + 1) * K), d * k2);
      z2.set(nz.subarray(d * K, (d + 1) * K), d * k2);
    }
    acc = a2;
    nz = z2;
    K = k2;
  };
  /** Add `c` paths to outcome `id` into level d's accumulator. */
  const addPaths = (d: number, id: number, c: number) => {
    if (id >= K) growOutcomes(id);
    const at = d * K + id;
    if (acc[at] === 0) nz[d * K + nzN[d]!++] = id;
    acc[at] = acc[at]! + c;
  };

  const outcomeOf = (deadlock: boolean): number => {
    const { key, o, holds } = outcomeKey(m, state, deadlock);
    let id = outcomeIds.get(key);
    if (id === undefined) {
      id = outcomes.length;
      outcomeIds.set(key, id);
      const x: ExploredOutcome = { key, observations: o.observations, violations: o.violations, counters: o.counters, deadlock, paths: 0 };
      if (holds !== undefined) x.condition = holds;
      outcomes.push(x);
    }
    return id;
  };

  /** The threads that can step in the current state, level d's, into its successor list. */
  const enable = (d: number) => {
    let c = 0;
    for (let k = 0; k < T; k++) {
      const step = progs[k]![state[pcSlot[k]!]!];
      if (step && (!step.enabled || step.enabled(state))) succ[d * T + c++] = k;
    }
    succN[d] = c;
    next[d] = 0;
    nzN[d] = 0;
    only[d] = -1;
  };
  const schedule = (d: number) => {
    const out: number[] = [];
    for (let e = 0; e < d; e++) out.push(succ[e * T + next[e]! - 1]!);
    return out.join('.');
  };

  fingerprint(state);
  fhi[0] = fpHi;
  flo[0] = fpLo;
  staleSet(l, ws, state, scratch);
  stale.set(scratch, 0);
  table.set(fpHi >>> 0, storedLo(fpLo), 0);
  states = 1;
  enable(0);
  let d = 0;

  while (d >= 0) {
    if (next[d]! < succN[d]!) {
      if (stopped) break;
      const k = succ[d * T + next[d]!++]!;
      const tid = among[k]!;
      if (d + 1 === cap) growStack();
      // The successor's fingerprint is the parent's with the terms of the slots the step
      // changed swapped: XOR telescopes over several writes of one slot.
      const step = progs[k]![state[pcSlot[k]!]!]!;
      recordWrites(log, logTop);
      try {
        stepThread(m, state, tid, null);
      } catch (e) {
        // A bug in the model: name the schedule that reaches it, as thread numbers.
        stopRecording();
        throw new Error(`${(e as Error).message} (schedule ${schedule(d + 1)})`);
      }
      const written = stopRecording();
      log = written.buf;
      const end = written.n;
      transitions++;
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
      const sb = (d + 1) * W;
      if (moved && staleSet(l, ws, state, scratch)) {
        for (let word = 0; word < W; word++) {
          const opened = scratch[word]! & ~stale[d * W + word]!;
          for (let bit = 0; opened && bit < 32; bit++) {
            if (!(opened & (1 << bit))) continue;
            const w = ws[word * 32 + bit]!;
            const key = windowKey(w, step.fn);
            if (!windows.has(key)) windows.set(key, { key, mapping: w.mapping, gfn: w.gfn, openedBy: { thread: l.threads[tid]!.name, fn: step.fn } });
          }
        }
      }
      const v = table.getOrInsert(hi >>> 0, storedLo(lo), 0);
      if (v >= 0) {
        if (v === 0) cycles++;
        else {
          const id = (v === FAR ? far.get(hi >>> 0, storedLo(lo)) : v) - 1;
          only[d] = only[d] === -1 ? id : -2;
          pool.addInto(addPaths, d, id);
        }
        undo(logTop, end);
        continue;
      }
      // A new state: push it, keeping the log that undoes it.
      d++;
      logAt[d] = logTop;
      logTop = end;
      if (limits.sanity) {
        const bad = checkSanity(m, state);
        if (bad) throw new Error(`internal: ${bad} (schedule ${schedule(d)})`);
      }
      fhi[d] = hi;
      flo[d] = lo;
      if (moved) for (let word = 0; word < W; word++) stale[sb + word] = scratch[word]!;
      else for (let word = 0; word < W; word++) stale[sb + word] = stale[sb - W + word]!;
      states++;
      enable(d);
      if ((states & 255) === 0) {
        if ((states & 16383) === 0) limits.progress?.(states, performance.now() - t0);
        if (limits.stop && Atomics.load(limits.stop, 0)) stopped = 'interrupted';
        else if (states >= limits.maxStates) stopped = 'max-states';
        else if (performance.now() - t0 > limits.timeoutMs) stopped = 'timeout';
        // Stop before a growth would pass the ceiling.
        else if (table.projectedBytes(256) + far.projectedBytes(256) + pool.projectedBytes(256) > limits.maxMemoryBytes) stopped = 'memory';
      }
      continue;
    }
    // All successors done: this state's path counts are known.
    if (succN[d] === 0) {
      let finished = true;
      for (let k = 0; k < T; k++) if (state[pcSlot[k]!]! < progs[k]!.length) finished = false;
      addPaths(d, outcomeOf(!finished), 1);
      only[d] = -2;
    }
    const base = d * K;
    const n = nzN[d]!;
    // The outcome ids in ascending order (insertion sort: a handful).
    for (let a = base + 1; a < base + n; a++) {
      const x = nz[a]!;
      let b = a - 1;
      for (; b >= base && nz[b]! > x; b--) nz[b + 1] = nz[b]!;
      nz[b + 1] = x;
    }
    const id = only[d]! >= 0 ? only[d]! : pool.store(acc, base, nz, base, n);
    const v = id + 1;
    table.set(fhi[d]! >>> 0, storedLo(flo[d]!), v < FAR ? v : FAR);
    if (v >= FAR) far.set(fhi[d]! >>> 0, storedLo(flo[d]!), v);
    if (d > 0) only[d - 1] = only[d - 1] === -1 ? id : -2;
    for (let k = base; k < base + n; k++) {
      const o = nz[k]!;
      const c = acc[base + o]!;
      acc[base + o] = 0;
      if (d > 0) addPaths(d - 1, o, c);
      else outcomes[o]!.paths = c;
    }
    // Back to the parent.
    if (d > 0) {
      undo(logAt[d]!, logTop);
      logTop = logAt[d]!;
    }
    d--;
  }

  const approximate = outcomes.some((o) => o.paths > Number.MAX_SAFE_INTEGER);
  const result: Exploration = {
    complete: !stopped,
    states,
    transitions,
    cycles,
    outcomes: [...outcomes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    windows: [...windows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    approximate,
    bytes: table.bytes + far.bytes + pool.bytes,
    elapsedMs: performance.now() - t0,
  };
  if (stopped) result.stopped = stopped;
  return result;
}
