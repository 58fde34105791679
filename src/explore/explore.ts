// Every interleaving of the threads' atomic steps (docs/explore.md): a depth-first search over
// machine states with a visited set of fingerprints. Each distinct final outcome is counted
// with the number of maximal paths (schedules) that reach it, by dynamic programming over the
// state graph: a state's vector of path counts per outcome is the sum of its successors'.
// One search, or one worker's part of a search split between workers (explore/shared.ts).
import { DEFAULT_LIMITS, type Exploration, type ExploredOutcome, type ExploredWindow, type Limits } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import { FingerprintTable, storedLo } from './fingerprint.js';
import { lessCounters } from './keys.js';
import { search, type SearchResult, type Visited } from './search.js';
import { ABORT, CTRL, SharedOutcomes, SharedVectors, SharedVisited, type AbortReason, type SharedBuffers } from './shared.js';
import { LocalVectors } from './vectors.js';

export type { SearchResult } from './search.js';


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
