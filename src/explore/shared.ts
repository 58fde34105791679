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
// than a fixed view of the same memory (bench/typed-views.mjs: 30 M reads and writes, 800 ms
// against 240), which made each worker of a split search take 1.5 times the CPU of one search
// per transition. The table is rehashed to 1.5 times its size at 80% load with the workers
// stopped at a barrier, at a point between two table operations. (Doubling at 70% took 202 MiB
// on three-thread-race and was slower: a larger table misses the cache more.)
//
// Node 20's V8 gives a growable SharedArrayBuffer at most 4 GiB (MAX_SHARED_BYTES). A search
// allowed more (--max-memory) gets its table in several segments, a state's segment chosen by
// the high bits of its fingerprint's upper half (its slot in the segment by the lower half, as
// with one), and its vectors in several chunks, a vector never straddling two: so a split
// holds bench/scenarios/scale.mmu's 376 M states (docs/performance.md). The segments grow
// together, one at a time at the barrier: a growth copies one segment, not the whole table.
import { VectorPool } from './vectors.js';

/** Words of the control block. */
export const CTRL = {
  /** Slots in each segment of the table. */
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
  /** Vectors stored, and doubles used by them (unsigned: the index of the next free double, over the chunks). */
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
  /** The visited table's segments (a power of two of them). */
  table: SharedArrayBuffer[];
  /** The vectors' chunks, each of at most 2^chunkBits doubles. */
  data: SharedArrayBuffer[];
  chunkBits: number;
  /** Where each vector starts: its double's index over the chunks (chunk << chunkBits | offset), unsigned. */
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

/** At most this many vector chunks: their doubles are numbered in 31 bits. */
const MAX_CHUNKS = 4;

/**
 * The buffers for a split exploration that may hold `maxBytes` in all. A growable
 * SharedArrayBuffer reserves its maximum as address space only, so a search allowed more than
 * one buffer may hold gets as many table segments (rounded up to a power of two) and vector
 * chunks (at most MAX_CHUNKS) as it needs to reach `maxBytes`; past them the split stops
 * ('memory') and runs again on one thread (runner/jobs.ts). `bufferBytes` (tests) stands for
 * the engine's maximum.
 */
export function sharedBuffers(maxBytes: number, bufferBytes = MAX_SHARED_BYTES): SharedBuffers {
  const ctrl = new SharedArrayBuffer(CTRL.SIZE * 4);
  new Int32Array(ctrl)[CTRL.CAP] = FIRST_SLOTS;
  const max = Math.min(Math.max(maxBytes, FIRST_SLOTS * SLOT_BYTES * 2), bufferBytes);
  const buffers = Math.ceil(maxBytes / max);
  const segments = 2 ** Math.ceil(Math.log2(buffers));
  // A chunk of a power of two doubles, as large as a buffer may be.
  const chunkBits = Math.min(29, Math.floor(Math.log2(max / 8)));
  return {
    ctrl,
    table: Array.from({ length: segments }, () => new SharedArrayBuffer(FIRST_SLOTS * SLOT_BYTES, { maxByteLength: max })),
    data: Array.from({ length: Math.min(buffers, MAX_CHUNKS) }, () => new SharedArrayBuffer(1 << 12, { maxByteLength: 8 * 2 ** chunkBits })),
    chunkBits,
    at: new SharedArrayBuffer(1 << 14, { maxByteLength: max }),
    outcomes: new SharedArrayBuffer(OUTCOME_SLOTS * 12),
  };
}

/**
 * The visited set of a split exploration: [lo, hi, value] slots, linear probing, entries never
 * move but at a growth; a state in the segment its hi's top bits name. A slot is claimed by a compare-and-swap of its lo word; hi follows, so
 * a reader that finds lo and hi still 0 waits for it (both halves are stored with their low
 * bit set: 62 bits of fingerprint). Value 0: on some worker's stack; v > 0: finished, vector
 * v - 1.
 */
export class SharedVisited {
  /** This worker's views of the segments (see the header). */
  private es: Int32Array[] = [];
  private readonly segMask: number;
  private ctrl: Int32Array;
  private unflushed = 0;
  constructor(
    private buffers: SharedBuffers,
    private onAbort: (reason: AbortReason) => void,
  ) {
    this.segMask = buffers.table.length - 1;
    this.view();
    this.ctrl = new Int32Array(buffers.ctrl);
    Atomics.add(this.ctrl, CTRL.WORKERS, 1);
    if (Atomics.load(this.ctrl, CTRL.GROW)) this.barrier();
  }

  /** View every segment whole, as it is now. */
  private view(): void {
    this.es = this.buffers.table.map(int32s);
  }

  /** This worker's view of the segment of a state whose hi word is `hi`, as large as the table is now (`cap` slots a segment). */
  private segment(hi: number, cap: number): Int32Array {
    const e = this.es[(hi >>> 24) & this.segMask]!;
    if (cap * 3 <= e.length) return e;
    // (A worker that joined while the table grew has not met the barrier.)
    this.view();
    return this.es[(hi >>> 24) & this.segMask]!;
  }

  get bytes(): number {
    return this.buffers.table.reduce((n, b) => n + b.byteLength, 0);
  }

  projectedBytes(): number {
    const cap = this.ctrl[CTRL.CAP]!;
    const slots = this.buffers.table.length * cap;
    return this.ctrl[CTRL.STATES]! + 2 * FLUSH * 8 > slots * MAX_LOAD ? this.buffers.table.length * Math.ceil(cap * 1.5) * SLOT_BYTES : slots * SLOT_BYTES;
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
    lo |= 1;
    hi |= 1;
    const e = this.segment(hi, cap);
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
    lo |= 1;
    hi |= 1;
    const e = this.segment(hi, cap);
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
    // Room for every worker's unflushed inserts before the barrier is reached (segments fill
    // alike: a state's segment is a uniform hash).
    if (states + 2 * FLUSH * 8 > this.buffers.table.length * this.ctrl[CTRL.CAP]! * MAX_LOAD) {
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
    this.view();
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

  /** Every segment 1.5 times larger, one after another (a state stays in its segment). */
  private grow(): void {
    const c = this.ctrl;
    const cap = c[CTRL.CAP]!;
    const next = Math.ceil(cap * 1.5);
    if (next * SLOT_BYTES > this.buffers.table[0]!.maxByteLength) {
      this.onAbort('memory');
      return;
    }
    for (const b of this.buffers.table) {
      const old = int32s(b).slice(0, cap * 3);
      b.grow(next * SLOT_BYTES);
      const e = int32s(b);
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
    }
    this.view();
    c[CTRL.CAP] = next;
  }
}

/** Path-count vectors in the split's shared buffers: numbers and space taken atomically. */
export class SharedVectors extends VectorPool {
  /** This worker's views of the chunks and of where each vector starts (see the header). */
  private chunks: Float64Array[];
  private at: Int32Array;
  private ctrl: Int32Array;
  private doubles: Uint32Array;
  private readonly bits: number;
  private readonly mask: number;
  constructor(private buffers: SharedBuffers) {
    super();
    this.bits = buffers.chunkBits;
    this.mask = 2 ** buffers.chunkBits - 1;
    this.chunks = buffers.data.map(float64s);
    this.at = int32s(buffers.at);
    this.ctrl = new Int32Array(buffers.ctrl);
    this.doubles = new Uint32Array(buffers.ctrl);
  }

  /** View all the buffers hold now (another worker may have grown them). */
  private sync(): void {
    this.chunks = this.buffers.data.map(float64s);
    this.at = int32s(this.buffers.at);
  }

  protected allocate(n: number): number {
    const need = 1 + 2 * n;
    const size = this.mask + 1;
    if (need > size) throw new Error('the path-count vectors passed the memory limit');
    // A vector never straddles two chunks: the end of a chunk too short for it stays empty.
    let g: number;
    do g = Atomics.add(this.doubles, CTRL.DOUBLES, need);
    while ((g & this.mask) + need > size);
    const c = Math.floor(g / size);
    const chunk = this.buffers.data[c];
    if (!chunk) throw new Error('the path-count vectors passed the memory limit');
    ensure(chunk, ((g & this.mask) + need) * 8);
    const v = Atomics.add(this.ctrl, CTRL.VECTORS, 1);
    ensure(this.buffers.at, (v + 1) * 4);
    // Views that reach all of it: write() fills it through them.
    if (v >= this.at.length || (g & this.mask) + need > this.chunks[c]!.length) this.sync();
    this.at[v] = g;
    return v;
  }

  /**
   * Where vector v starts, which another worker may have stored past this worker's views: it
   * grew the buffers before it published v, so they hold it now.
   */
  protected locate(v: number): number {
    if (v >= this.at.length) this.sync();
    const g = this.at[v]!;
    const off = g & this.mask;
    let d = this.chunks[g >>> this.bits]!;
    if (off >= d.length || off + 1 + 2 * d[off]! > d.length) {
      this.sync();
      d = this.chunks[g >>> this.bits]!;
    }
    this.d = d;
    return off;
  }

  get bytes(): number {
    return this.buffers.data.reduce((n, b) => n + b.byteLength, 0) + this.buffers.at.byteLength + this.indexBytes;
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
