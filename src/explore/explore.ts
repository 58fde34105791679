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

const ON_STACK = 0xffffffff;

/**
 * Path-count vectors: for each finished state, how many maximal paths from it reach each
 * outcome. A frame adds its successors' vectors into a dense accumulator (indexed by outcome);
 * a finished state's vector is stored sparse, [n, id1, count1, ...], in one growable pool, or
 * inline in the table value when it is one path to one outcome (the common tail of a search).
 */
const INLINE = 0x80000000;

class VectorPool {
  data = new Float64Array(1 << 16);
  used = 0;
  /** Identical vectors are stored once: content hash -> offset (checked for equality before sharing). */
  private seen = new FingerprintTable(1 << 12);
  /** The table value for an accumulator: counts acc[base + id] for the outcome ids in `ids`, ascending. */
  store(acc: Float64Array, base: number, ids: Int32Array): number {
    const n = ids.length;
    if (n === 1 && acc[base + ids[0]!] === 1 && ids[0]! < 0x7ffffffe) return (INLINE | ids[0]!) >>> 0;
    let h1 = 0x2545f491;
    let h2 = 0x6c8e9cf5;
    for (let k = 0; k < n; k++) {
      const id = ids[k]!;
      const c = acc[base + id]!;
      h1 = Math.imul(h1 ^ id, 0x9e3779b1) ^ Math.imul(c % 0x7fffffff | 0, 0x85ebca6b);
      h2 = Math.imul(h2 + id, 0xc2b2ae35) ^ ((c / 4294967296) | 0) ^ (c | 0);
    }
    const hi = h1 >>> 0;
    const lo = ((h2 ^ n) | 1) >>> 0;
    const prev = this.seen.get(hi, lo);
    if (prev >= 0 && this.equals(prev, acc, base, ids)) return prev;
    const at = this.append(acc, base, ids);
    this.seen.set(hi, lo, at);
    return at;
  }
  private equals(at: number, acc: Float64Array, base: number, ids: Int32Array): boolean {
    if (this.data[at] !== ids.length) return false;
    for (let k = 0; k < ids.length; k++) {
      if (this.data[at + 1 + 2 * k] !== ids[k] || this.data[at + 2 + 2 * k] !== acc[base + ids[k]!]) return false;
    }
    return true;
  }
  private append(acc: Float64Array, base: number, ids: Int32Array): number {
    const need = 1 + 2 * ids.length;
    if (this.used + need > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.used + need));
      next.set(this.data);
      this.data = next;
    }
    const at = this.used;
    this.data[at] = ids.length;
    for (let k = 0; k < ids.length; k++) {
      this.data[at + 1 + 2 * k] = ids[k]!;
      this.data[at + 2 + 2 * k] = acc[base + ids[k]!]!;
    }
    this.used += need;
    if (at >= INLINE - 2) throw new Error('internal: path-count pool too large');
    return at;
  }
  /** Bytes held: the vector pool's capacity and the index that shares vectors. */
  get bytes(): number {
    return this.data.byteLength + this.seen.bytes;
  }
  /** Bytes held after the next growths that a few hundred more states could cause. */
  projectedBytes(more: number): number {
    const pool = this.used + 64 * more > this.data.length ? this.data.byteLength * 2 : this.data.byteLength;
    return pool + this.seen.projectedBytes(more);
  }
  /** Add the vector behind a table value into level d's accumulator. */
  addInto(add: (d: number, id: number, c: number) => void, d: number, value: number): void {
    if (value >= INLINE) {
      add(d, value - INLINE, 1);
      return;
    }
    const n = this.data[value]!;
    for (let k = 0; k < n; k++) add(d, this.data[value + 1 + 2 * k]!, this.data[value + 2 + 2 * k]!);
  }
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
  const table = new FingerprintTable();
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

  // The stack, by depth.
  let cap = 64;
  let K = 16; // outcome ids the accumulators hold; grows with the outcomes found
  let sbuf = new Int32Array(cap * n);
  let views: Int32Array[] = [];
  /** The write log of the step being taken: (slot, old value) pairs; `seen` marks a slot's first write by `stamp`. */
  let log: Int32Array<ArrayBufferLike> = new Int32Array(256);
  const seen = new Int32Array(n);
  let stamp = 0;
  const undo = (state: Int32Array, nlog: number) => {
    for (let k = nlog - 2; k >= 0; k -= 2) state[log[k]!] = log[k + 1]!;
  };
  let fhi = new Int32Array(cap);
  let flo = new Int32Array(cap);
  let succ = new Int32Array(cap * T);
  let succN = new Int32Array(cap);
  let next = new Int32Array(cap);
  let stale = new Int32Array(cap * W);
  let acc = new Float64Array(cap * K);
  let nz = new Int32Array(cap * K);
  let nzN = new Int32Array(cap);
  const makeViews = () => {
    views = [];
    for (let d = 0; d < cap; d++) views.push(sbuf.subarray(d * n, (d + 1) * n));
  };
  makeViews();
  const grown = <A extends Int32Array | Float64Array>(a: A, size: number): A => {
    const b = new (a.constructor as new (k: number) => A)(size);
    b.set(a);
    return b;
  };
  const growStack = () => {
    cap *= 2;
    sbuf = grown(sbuf, cap * n);
    fhi = grown(fhi, cap);
    flo = grown(flo, cap);
    succ = grown(succ, cap * T);
    succN = grown(succN, cap);
    next = grown(next, cap);
    stale = grown(stale, cap * W);
    acc = grown(acc, cap * K);
    nz = grown(nz, cap * K);
    nzN = grown(nzN, cap);
    makeViews();
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

  const outcomeOf = (s: Int32Array, deadlock: boolean): number => {
    const { key, o, holds } = outcomeKey(m, s, deadlock);
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

  /** The threads that can step in the state at depth d, into its successor list. */
  const enable = (d: number) => {
    const s = views[d]!;
    let c = 0;
    for (let k = 0; k < T; k++) {
      const step = progs[k]![s[pcSlot[k]!]!];
      if (step && (!step.enabled || step.enabled(s))) succ[d * T + c++] = among[k]!;
    }
    succN[d] = c;
    next[d] = 0;
    nzN[d] = 0;
  };
  const schedule = (d: number) => {
    const out: number[] = [];
    for (let e = 0; e < d; e++) out.push(among.indexOf(succ[e * T + next[e]! - 1]!));
    return out.join('.');
  };

  views[0]!.set(m.init);
  fingerprint(views[0]!);
  fhi[0] = fpHi;
  flo[0] = fpLo;
  staleSet(l, ws, views[0]!, scratch);
  stale.set(scratch, 0);
  table.set(fpHi >>> 0, storedLo(fpLo), ON_STACK);
  states = 1;
  enable(0);
  let d = 0;

  while (d >= 0) {
    if (next[d]! < succN[d]!) {
      if (stopped) break;
      const tid = succ[d * T + next[d]!++]!;
      if (d + 1 === cap) growStack();
      // The step runs on the parent itself, its writes recorded: the successor's fingerprint
      // comes from the slots it changed, and the parent is restored from the log after.
      const state = views[d]!;
      const step = m.programs[tid]![state[l.threads[tid]!.pc]!]!;
      recordWrites(log);
      try {
        stepThread(m, state, tid, null);
      } catch (e) {
        // A bug in the model: name the schedule that reaches it, as thread numbers.
        stopRecording();
        throw new Error(`${(e as Error).message} (schedule ${schedule(d + 1)})`);
      }
      const written = stopRecording();
      log = written.buf;
      const nlog = written.n;
      transitions++;
      let hi = fhi[d]!;
      let lo = flo[d]!;
      let moved = false;
      stamp++;
      for (let k = 0; k < nlog; k += 2) {
        const i = log[k]!;
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        // The first write of a slot logged its value before the step.
        const a = log[k + 1]!;
        const b = state[i]!;
        if (a === b) continue;
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
      const v = table.getOrInsert(hi >>> 0, storedLo(lo), ON_STACK);
      if (v >= 0) {
        if (v === ON_STACK) cycles++;
        else pool.addInto(addPaths, d, v);
        undo(state, nlog);
        continue;
      }
      // A new state: it becomes the next level, and the parent is restored.
      views[d + 1]!.set(state);
      undo(state, nlog);
      if (limits.sanity) {
        const bad = checkSanity(m, views[d + 1]!);
        if (bad) throw new Error(`internal: ${bad} (schedule ${schedule(d + 1)})`);
      }
      // A new state: push it.
      d++;
      fhi[d] = hi;
      flo[d] = lo;
      if (moved) stale.set(scratch, sb);
      else stale.copyWithin(sb, sb - W, sb);
      states++;
      enable(d);
      if ((states & 255) === 0) {
        if ((states & 16383) === 0) limits.progress?.(states, performance.now() - t0);
        if (limits.stop && Atomics.load(limits.stop, 0)) stopped = 'interrupted';
        else if (states >= limits.maxStates) stopped = 'max-states';
        else if (performance.now() - t0 > limits.timeoutMs) stopped = 'timeout';
        // Stop before a growth would pass the ceiling: tables grow by doubling.
        else if (table.projectedBytes(256) + pool.projectedBytes(256) > limits.maxMemoryBytes) stopped = 'memory';
      }
      continue;
    }
    // All successors done: this state's path counts are known.
    if (succN[d] === 0) {
      const s = views[d]!;
      let finished = true;
      for (let k = 0; k < T; k++) if (s[pcSlot[k]!]! < progs[k]!.length) finished = false;
      addPaths(d, outcomeOf(s, !finished), 1);
    }
    const base = d * K;
    const ids = nz.subarray(base, base + nzN[d]!).sort();
    table.set(fhi[d]! >>> 0, storedLo(flo[d]!), pool.store(acc, base, ids));
    for (const id of ids) {
      const c = acc[base + id]!;
      acc[base + id] = 0;
      if (d > 0) addPaths(d - 1, id, c);
      else outcomes[id]!.paths = c;
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
    bytes: table.bytes + pool.bytes,
    elapsedMs: performance.now() - t0,
  };
  if (stopped) result.stopped = stopped;
  return result;
}
