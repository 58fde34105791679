// One exploration split between workers (--jobs N on a single exploration, docs/explore.md):
// the visited set, the path-count vectors and the outcome numbers live in SharedArrayBuffers
// that every worker of the split maps. The workers search the same graph depth-first from the
// root, each taking successors in its own order; a state another worker has finished is not
// searched again, its vector is added; a state another worker is still searching is searched
// again (never waited for: nothing can deadlock), and whoever finishes a state first publishes
// its vector. The first worker back at the root has the answer.
//
// Memory that grows (the table, the vectors) is a growable SharedArrayBuffer. Each worker
// views it through typed arrays of a fixed length, made again when the buffer has grown: a
// length-tracking view of a growable buffer (`new Int32Array(buffer)`) costs V8 (Node 20) a
// length check per access that its compiler does not hoist, 3.5 times slower on random access
// than a fixed view of the same memory (measured: 30 M reads and writes, 830 ms against 235),
// which made each worker of a split search take 1.5 times the CPU of one search per transition. The table is rehashed to 1.5 times its size at 80% load with the workers
// stopped at a barrier, at a point between two table operations. (Doubling at 70% took 202 MiB
// on three-thread-race and was slower: a larger table misses the cache more.)
import { VectorPool } from './vectors.js';

/** Words of the control block. */
export const CTRL = {
  /** Slots in the table. */
  CAP: 0,
  /** States in the table, flushed by each worker every FLUSH inserts. */
  STATES: 1,
  /** A growth is wanted: workers stop at the barrier. */
  GROW: 2,
  /** The barrier: its generation (bumped by each growth) << 8 | the workers arrived in it. */
  SYNC: 3,
  /** Workers searching. */
  WORKERS: 5,
  /** The one worker that rehashes (0 or 1). */
  LEADER: 6,
  /** The root is finished: every worker stops. */
  DONE: 7,
  /** Why the split gave up (ABORT values), 0 if it did not. */
  ABORT: 8,
  /** Vectors stored, and doubles used by them. */
  VECTORS: 9,
  DOUBLES: 10,
  /** Outcomes numbered. */
  OUTCOMES: 11,
  SIZE: 16,
} as const;

/** Why a split exploration stopped before its root was finished. */
export const ABORT = { cycle: 1, 'max-states': 2, memory: 3, timeout: 4, interrupted: 5, outcomes: 6 } as const;
export type AbortReason = keyof typeof ABORT;
export const abortReason = (code: number): AbortReason | undefined => (Object.keys(ABORT) as AbortReason[]).find((k) => ABORT[k] === code);

/** The buffers of one split exploration: plain data, posted to each worker. */
export interface SharedBuffers {
  ctrl: SharedArrayBuffer;
  table: SharedArrayBuffer;
  data: SharedArrayBuffer;
  at: SharedArrayBuffer;
  outcomes: SharedArrayBuffer;
}

/** Fixed-length views of all a (growable) buffer holds now: see the header. */
const int32s = (b: SharedArrayBuffer) => new Int32Array(b, 0, b.byteLength >> 2);
const float64s = (b: SharedArrayBuffer) => new Float64Array(b, 0, b.byteLength >> 3);

const SLOT_BYTES = 12;
const MAX_LOAD = 0.8;
const FIRST_SLOTS = 1 << 16;
/** Outcome numbers: slots of the (fixed) outcome table; the split gives up past half of them. */
const OUTCOME_SLOTS = 1 << 12;
/** A worker adds its inserts to CTRL.STATES this many at a time. */
const FLUSH = 64;

/** The largest maximum this engine gives a growable SharedArrayBuffer (4 GiB on Node 20's V8), found once. */
export const MAX_SHARED_BYTES = ((): number => {
  let lo = 1 << 20;
  let hi = 2 ** 40;
  const fits = (n: number) => {
    try {
      new SharedArrayBuffer(8, { maxByteLength: n });
      return true;
    } catch {
      return false;
    }
  };
  if (fits(hi)) return hi;
  while (hi - lo > 1 << 20) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
})();

/** The buffers for a split exploration that may hold `maxBytes` in all. */
export function sharedBuffers(maxBytes: number): SharedBuffers {
  const ctrl = new SharedArrayBuffer(CTRL.SIZE * 4);
  new Int32Array(ctrl)[CTRL.CAP] = FIRST_SLOTS;
  // A growable SharedArrayBuffer reserves its maximum as address space only. Node 20's V8
  // refuses a maximum past 4 GiB: a larger --max-memory gives each buffer that, and a table that
  // would pass it stops the split ('memory'), which runs again on one thread (runner/jobs.ts).
  const max = Math.min(Math.max(maxBytes, FIRST_SLOTS * SLOT_BYTES * 2), MAX_SHARED_BYTES);
  return {
    ctrl,
    table: new SharedArrayBuffer(FIRST_SLOTS * SLOT_BYTES, { maxByteLength: max }),
    data: new SharedArrayBuffer(1 << 19, { maxByteLength: max }),
    at: new SharedArrayBuffer(1 << 14, { maxByteLength: max }),
    outcomes: new SharedArrayBuffer(OUTCOME_SLOTS * 12),
  };
}

/**
 * The visited set of a split exploration: [lo, hi, value] slots, linear probing, entries never
 * move but at a growth. A slot is claimed by a compare-and-swap of its lo word; hi follows, so
 * a reader that finds lo and hi still 0 waits for it (both halves are stored with their low
 * bit set: 62 bits of fingerprint). Value 0: on some worker's stack; v > 0: finished, vector
 * v - 1.
 */
export class SharedVisited {
  private e: Int32Array;
  private ctrl: Int32Array;
  private unflushed = 0;
  constructor(
    private buffers: SharedBuffers,
    private onAbort: (reason: AbortReason) => void,
  ) {
    this.e = int32s(buffers.table);
    this.ctrl = new Int32Array(buffers.ctrl);
    Atomics.add(this.ctrl, CTRL.WORKERS, 1);
    if (Atomics.load(this.ctrl, CTRL.GROW)) this.barrier();
  }

  get bytes(): number {
    return this.buffers.table.byteLength;
  }

  projectedBytes(): number {
    const cap = this.ctrl[CTRL.CAP]!;
    return this.ctrl[CTRL.STATES]! + 2 * FLUSH * 8 > cap * MAX_LOAD ? Math.ceil(cap * 1.5) * SLOT_BYTES : cap * SLOT_BYTES;
  }

  /**
   * Where the last getOrInsert() put or found its state: the slot, and the table's size then
   * (slots move only when the table grows). finish() goes straight there while that holds,
   * without probing again: a state is finished soon after it is inserted, mostly, so its slot
   * is often still in the cache.
   */
  hint = 0;
  hintCap = 0;

  /** -1: inserted by this call (a new state); 0: on some worker's stack; v > 0: finished. */
  getOrInsert(hi: number, lo: number): number {
    if (this.ctrl[CTRL.GROW]) this.barrier();
    const cap = this.ctrl[CTRL.CAP]!;
    // (A worker that joined while the table grew has not met the barrier.)
    const e = cap * 3 > this.e.length ? (this.e = int32s(this.buffers.table)) : this.e;
    lo |= 1;
    hi |= 1;
    let i = ((lo >>> 11) * cap * (1 / 2097152)) | 0;
    for (;;) {
      const k = i * 3;
      let l = e[k]!;
      if (l === 0) {
        l = Atomics.compareExchange(e, k, 0, lo);
        if (l === 0) {
          Atomics.store(e, k + 1, hi);
          this.hint = k;
          this.hintCap = cap;
          if (++this.unflushed === FLUSH) this.flush();
          return -1;
        }
      }
      if (l === lo) {
        let h = e[k + 1]!;
        while (h === 0) h = Atomics.load(e, k + 1);
        if (h === hi) {
          this.hint = k;
          this.hintCap = cap;
          return Atomics.load(e, k + 2);
        }
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  /** Publish a finished state's value; true if this call was the first to. `hint`: the state's slot, from getOrInsert(), and the table size then. */
  finish(hi: number, lo: number, v: number, hint = -1, hintCap = 0): boolean {
    if (this.ctrl[CTRL.GROW]) this.barrier();
    const cap = this.ctrl[CTRL.CAP]!;
    // (A worker that joined while the table grew has not met the barrier.)
    const e = cap * 3 > this.e.length ? (this.e = int32s(this.buffers.table)) : this.e;
    lo |= 1;
    hi |= 1;
    if (hintCap === cap && e[hint] === lo && e[hint + 1] === hi) return Atomics.compareExchange(e, hint + 2, 0, v) === 0;
    let i = ((lo >>> 11) * cap * (1 / 2097152)) | 0;
    for (;;) {
      const k = i * 3;
      if (e[k] === lo && Atomics.load(e, k + 1) === hi) return Atomics.compareExchange(e, k + 2, 0, v) === 0;
      if (e[k] === 0) throw new Error('internal: a finished state is not in the shared table');
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  /** Count this worker's inserts in; past the load limit, ask for a growth. */
  private flush(): void {
    const states = Atomics.add(this.ctrl, CTRL.STATES, this.unflushed) + this.unflushed;
    this.unflushed = 0;
    // Room for every worker's unflushed inserts before the barrier is reached.
    if (states + 2 * FLUSH * 8 > this.ctrl[CTRL.CAP]! * MAX_LOAD) {
      Atomics.store(this.ctrl, CTRL.GROW, 1);
      this.barrier();
    }
  }

  /** This worker stops searching: the others no longer wait for it at the barrier. */
  leave(): void {
    Atomics.sub(this.ctrl, CTRL.WORKERS, 1);
    Atomics.notify(this.ctrl, CTRL.SYNC);
  }

  /**
   * Every searching worker stops here; the one that finds all arrived grows the table and
   * rehashes it, then starts the next generation, which releases the others. An arrival after
   * that decision (a worker that joined late) is dropped with its generation and just waits
   * for the next. A worker that stops searching (DONE, ABORT) leaves instead.
   */
  private barrier(): void {
    this.await();
    // The table may have grown meanwhile (by this worker or another): view all of it.
    this.e = int32s(this.buffers.table);
  }

  private await(): void {
    const c = this.ctrl;
    let s = Atomics.load(c, CTRL.SYNC);
    for (;;) {
      if (!Atomics.load(c, CTRL.GROW)) return;
      const t = Atomics.compareExchange(c, CTRL.SYNC, s, s + 1);
      if (t === s) break;
      s = t;
    }
    const gen = s >>> 8;
    for (;;) {
      const now = Atomics.load(c, CTRL.SYNC);
      if (now >>> 8 !== gen || Atomics.load(c, CTRL.DONE) || Atomics.load(c, CTRL.ABORT)) return;
      if ((now & 0xff) >= Atomics.load(c, CTRL.WORKERS) && Atomics.compareExchange(c, CTRL.LEADER, 0, 1) === 0) {
        this.grow();
        Atomics.store(c, CTRL.GROW, 0);
        Atomics.store(c, CTRL.SYNC, (gen + 1) << 8);
        Atomics.store(c, CTRL.LEADER, 0);
        Atomics.notify(c, CTRL.SYNC);
        return;
      }
      Atomics.wait(c, CTRL.SYNC, now, 5);
    }
  }

  private grow(): void {
    const c = this.ctrl;
    const cap = c[CTRL.CAP]!;
    const old = this.e.slice(0, cap * 3);
    const next = Math.ceil(cap * 1.5);
    if (next * SLOT_BYTES > this.buffers.table.maxByteLength) {
      this.onAbort('memory');
      return;
    }
    this.buffers.table.grow(next * SLOT_BYTES);
    const e = (this.e = int32s(this.buffers.table));
    e.fill(0, 0, next * 3);
    for (let j = 0; j < old.length; j += 3) {
      const lo = old[j]!;
      if (lo === 0) continue;
      let i = ((lo >>> 11) * next * (1 / 2097152)) | 0;
      while (e[i * 3] !== 0) i = i + 1 === next ? 0 : i + 1;
      e[i * 3] = lo;
      e[i * 3 + 1] = old[j + 1]!;
      e[i * 3 + 2] = old[j + 2]!;
    }
    c[CTRL.CAP] = next;
  }
}

/** Path-count vectors in the split's shared buffers: numbers and space taken atomically. */
export class SharedVectors extends VectorPool {
  data: Float64Array;
  at: Int32Array;
  private ctrl: Int32Array;
  constructor(private buffers: SharedBuffers) {
    super();
    this.data = float64s(buffers.data);
    this.at = int32s(buffers.at);
    this.ctrl = new Int32Array(buffers.ctrl);
  }

  /** View all the buffers hold now (another worker may have grown them). */
  private sync(): void {
    this.data = float64s(this.buffers.data);
    this.at = int32s(this.buffers.at);
  }

  protected allocate(n: number): number {
    const need = 1 + 2 * n;
    const v = Atomics.add(this.ctrl, CTRL.VECTORS, 1);
    const at = Atomics.add(this.ctrl, CTRL.DOUBLES, need);
    ensure(this.buffers.data, (at + need) * 8);
    ensure(this.buffers.at, (v + 1) * 4);
    if (v >= this.at.length || at + need > this.data.length) this.sync();
    this.at[v] = at;
    return v;
  }

  /**
   * Make sure this worker's views reach vector v, which another worker may have stored past
   * them: it grew the buffers before it published v, so they hold it now.
   */
  private reach(v: number): void {
    if (v >= this.at.length) this.sync();
    const at = this.at[v]!;
    if (at >= this.data.length || at + 1 + 2 * this.data[at]! > this.data.length) this.sync();
  }

  override addInto(add: (id: number, c: number) => void, v: number): void {
    this.reach(v);
    super.addInto(add, v);
  }

  override read(v: number): [number, number][] {
    this.reach(v);
    return super.read(v);
  }

  get bytes(): number {
    return this.buffers.data.byteLength + this.buffers.at.byteLength + this.indexBytes;
  }

  projectedBytes(more: number): number {
    return this.bytes + 64 * more * 8;
  }
}

/** Grow a shared buffer to hold `bytes` (at least doubling); another worker may have grown it first. */
function ensure(b: SharedArrayBuffer, bytes: number): void {
  while (b.byteLength < bytes) {
    try {
      b.grow(Math.min(b.maxByteLength, Math.max(bytes, b.byteLength * 2)));
    } catch {
      if (b.byteLength < bytes && Math.max(bytes, b.byteLength * 2) > b.maxByteLength) throw new Error('the path-count vectors passed the memory limit');
    }
  }
}

/**
 * Outcome numbers shared by the workers: an outcome's key (its JSON) hashed to 64 bits and
 * numbered by whoever meets it first. [h1, h2, number + 1] slots; the worker keeps its own
 * map of keys it has met.
 */
export class SharedOutcomes {
  private e: Int32Array;
  private ctrl: Int32Array;
  private mine = new Map<string, number>();
  constructor(buffers: SharedBuffers) {
    this.e = new Int32Array(buffers.outcomes);
    this.ctrl = new Int32Array(buffers.ctrl);
  }

  /** The number of an outcome key, or -1 when the table is half full (the split gives up). */
  id(key: string): number {
    const known = this.mine.get(key);
    if (known !== undefined) return known;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h1 |= 1;
    const e = this.e;
    let i = (h2 >>> 0) % OUTCOME_SLOTS;
    for (;;) {
      const k = i * 3;
      let a = e[k]!;
      if (a === 0) {
        a = Atomics.compareExchange(e, k, 0, h1);
        if (a === 0) {
          const id = Atomics.add(this.ctrl, CTRL.OUTCOMES, 1);
          Atomics.store(e, k + 1, h2);
          Atomics.store(e, k + 2, id + 1);
          if (id >= OUTCOME_SLOTS / 2) return -1;
          this.mine.set(key, id);
          return id;
        }
      }
      if (a === h1) {
        let v = Atomics.load(e, k + 2);
        while (v === 0) v = Atomics.load(e, k + 2);
        if (Atomics.load(e, k + 1) === h2) {
          this.mine.set(key, v - 1);
          return v - 1;
        }
      }
      i = i + 1 === OUTCOME_SLOTS ? 0 : i + 1;
    }
  }
}
