// Every interleaving of the threads' atomic steps (docs/explore.md): a depth-first search over
// machine states with a visited set of fingerprints. Each distinct final outcome is counted
// with the number of maximal paths (schedules) that reach it, by dynamic programming over the
// state graph: a state's vector of path counts per outcome is the sum of its successors'.
import type { Exploration, ExploredOutcome, ExploredWindow, Outcome } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import { evalCond, outcome } from '../engine/observe.js';
import { enabledThreads, schedulable, stepThread } from '../engine/run.js';
import { checkSanity } from '../engine/sanity.js';
import { staleSet, staleWords, type Watcher } from '../engine/windows.js';
import { FingerprintTable, fingerprint, fpHi, fpLo } from './fingerprint.js';

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
  /** The table value for a dense accumulator. */
  store(acc: number[]): number {
    let n = 0;
    let only = -1;
    let h1 = 0x2545f491;
    let h2 = 0x6c8e9cf5;
    for (let id = 0; id < acc.length; id++) {
      const c = acc[id];
      if (!c) continue;
      n++;
      only = id;
      h1 = Math.imul(h1 ^ id, 0x9e3779b1) ^ Math.imul(c % 0x7fffffff | 0, 0x85ebca6b);
      h2 = Math.imul(h2 + id, 0xc2b2ae35) ^ ((c / 4294967296) | 0) ^ (c | 0);
    }
    if (n === 1 && acc[only] === 1 && only < 0x7ffffffe) return (INLINE | only) >>> 0;
    const hi = h1 >>> 0;
    const lo = ((h2 ^ n) | 1) >>> 0;
    const prev = this.seen.get(hi, lo);
    if (prev >= 0 && this.equals(prev, acc, n)) return prev;
    const at = this.append(acc, n);
    this.seen.set(hi, lo, at);
    return at;
  }
  private equals(at: number, acc: number[], n: number): boolean {
    if (this.data[at] !== n) return false;
    let k = at + 1;
    for (let id = 0; id < acc.length; id++) {
      if (!acc[id]) continue;
      if (this.data[k] !== id || this.data[k + 1] !== acc[id]) return false;
      k += 2;
    }
    return true;
  }
  private append(acc: number[], n: number): number {
    const need = 1 + 2 * n;
    if (this.used + need > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.used + need));
      next.set(this.data);
      this.data = next;
    }
    const at = this.used;
    this.data[at] = n;
    let k = at + 1;
    for (let id = 0; id < acc.length; id++) {
      if (!acc[id]) continue;
      this.data[k++] = id;
      this.data[k++] = acc[id]!;
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
  /** Add the vector behind a table value into a dense accumulator. */
  addInto(acc: number[], value: number): void {
    if (value >= INLINE) {
      const id = value - INLINE;
      acc[id] = (acc[id] ?? 0) + 1;
      return;
    }
    const n = this.data[value]!;
    for (let k = 0; k < n; k++) {
      const id = this.data[value + 1 + 2 * k]!;
      acc[id] = (acc[id] ?? 0) + this.data[value + 2 + 2 * k]!;
    }
  }
}

interface Frame {
  s: Int32Array;
  hi: number;
  lo: number;
  succ: number[];
  next: number;
  acc: number[];
  /** The stale set of this state (windows.ts): which windows are open in it. */
  stale: Int32Array;
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

export function explore(m: Machine, limits: Limits = DEFAULT_LIMITS): Exploration {
  const t0 = performance.now();
  const l = m.layout;
  const among = schedulable(m);
  const table = new FingerprintTable();
  const pool = new VectorPool();
  const ws = m.watchers;
  const W = staleWords(ws);
  const scratch = new Int32Array(W);
  /** Stale-set buffers of popped frames, reused like state buffers. */
  const freeStale: Int32Array[] = [];
  const keepStale = () => {
    const b = freeStale.pop() ?? new Int32Array(W);
    for (let w = 0; w < W; w++) b[w] = scratch[w]!;
    return b;
  };
  const windows = new Map<string, ExploredWindow>();
  const outcomeIds = new Map<string, number>();
  const outcomes: ExploredOutcome[] = [];
  let states = 0;
  let transitions = 0;
  let cycles = 0;
  let stopped: Exploration['stopped'];

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

  const root = Int32Array.from(m.init);
  fingerprint(root);
  const frames: Frame[] = [];
  const free: Int32Array[] = [];
  const push = (s: Int32Array, hi: number, lo: number, stale: Int32Array) => {
    table.set(hi, lo, ON_STACK);
    states++;
    frames.push({ s, hi, lo, succ: enabledThreads(m, s, among), next: 0, acc: [], stale });
  };
  staleSet(l, ws, root, scratch);
  push(root, fpHi, fpLo, keepStale());

  while (frames.length) {
    const f = frames[frames.length - 1]!;
    if (f.next < f.succ.length) {
      if (stopped) {
        frames.length = 0;
        break;
      }
      const tid = f.succ[f.next++]!;
      // State buffers are recycled: most successors are states already visited.
      const child = free.pop() ?? new Int32Array(f.s.length);
      child.set(f.s);
      const step = m.programs[tid]![f.s[l.threads[tid]!.pc]!]!;
      try {
        stepThread(m, child, tid, null);
      } catch (e) {
        // A bug in the model: name the schedule that reaches it, as thread numbers.
        const schedule = frames.map((x) => among.indexOf(x.succ[x.next - 1]!)).join('.');
        throw new Error(`${(e as Error).message} (schedule ${schedule})`);
      }
      transitions++;
      // A window can open on any transition, also one into a state already explored.
      if (staleSet(l, ws, child, scratch)) {
        for (let word = 0; word < scratch.length; word++) {
          const opened = scratch[word]! & ~f.stale[word]!;
          for (let b = 0; opened && b < 32; b++) {
            if (!(opened & (1 << b))) continue;
            const w = ws[word * 32 + b]!;
            const key = windowKey(w, step.fn);
            if (!windows.has(key)) windows.set(key, { key, mapping: w.mapping, gfn: w.gfn, openedBy: { thread: l.threads[tid]!.name, fn: step.fn } });
          }
        }
      }
      fingerprint(child);
      const v = table.get(fpHi, fpLo);
      if (v === ON_STACK) {
        cycles++;
        free.push(child);
        continue;
      }
      if (v >= 0) {
        pool.addInto(f.acc, v);
        free.push(child);
        continue;
      }
      if (limits.sanity) {
        const bad = checkSanity(m, child);
        if (bad) throw new Error(`internal: ${bad} (schedule ${[...frames.map((x) => among.indexOf(x.succ[x.next - 1]!))].join('.')})`);
      }
      push(child, fpHi, fpLo, keepStale());
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
    if (f.succ.length === 0) {
      const finished = among.every((t) => f.s[l.threads[t]!.pc]! >= m.programs[t]!.length);
      f.acc[outcomeOf(f.s, !finished)] = 1;
    }
    table.set(f.hi, f.lo, pool.store(f.acc));
    frames.pop();
    free.push(f.s);
    freeStale.push(f.stale);
    if (frames.length) {
      const pacc = frames[frames.length - 1]!.acc;
      for (let id = 0; id < f.acc.length; id++) if (f.acc[id]) pacc[id] = (pacc[id] ?? 0) + f.acc[id]!;
    } else {
      for (let id = 0; id < f.acc.length; id++) if (f.acc[id]) outcomes[id]!.paths = f.acc[id]!;
    }
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
