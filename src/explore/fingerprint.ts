// Visited states are stored as 64-bit fingerprints, never as states (hash compaction, as in
// SPIN's -DHC): memory per state is fixed whatever the state's size. Two different states
// with the same fingerprint would be merged; with 63 bits used (the low bit of one half is
// forced to 1) the chance of any collision among n states is about n^2 / 2^64 (docs/explore.md).
//
// The fingerprint is a Zobrist hash: the XOR over the state's slots of a 64-bit hash of
// (slot, value), 0 for a zero value. A step changes a few slots, so a successor's fingerprint
// is its parent's with those slots' terms swapped: the explorer never hashes a whole state
// again (docs/performance.md).

/** The two 32-bit halves of the last fingerprint computed (no allocation per state). */
export let fpHi = 0;
export let fpLo = 0;

/** The Zobrist term of (slot i, value v), high half; 0 for v = 0. */
export function zHi(i: number, v: number): number {
  if (v === 0) return 0;
  let h = Math.imul(i + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(v, 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) | 0;
}

/** The Zobrist term of (slot i, value v), low half; 0 for v = 0. */
export function zLo(i: number, v: number): number {
  if (v === 0) return 0;
  let h = Math.imul(v + 0x7f4a7c15, 0x1b873593) ^ Math.imul(i, 0xe6546b64);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** A whole state's fingerprint, into fpHi/fpLo (the root's; successors are updated, see `update`). */
export function fingerprint(s: Int32Array): void {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (v === 0) continue;
    hi ^= zHi(i, v);
    lo ^= zLo(i, v);
  }
  fpHi = hi >>> 0;
  fpLo = lo >>> 0;
}

/** The stored form of a fingerprint's low half: never 0, which marks an empty table slot. */
export const storedLo = (lo: number) => (lo | 1) >>> 0;

/** Load at which the table grows, and by how much: after a growth the load is 0.9 / 1.4 = 64%. */
const MAX_LOAD = 0.9;
const GROWTH = 1.4;

/**
 * An open-addressing set of fingerprints with a 16- or 32-bit value per entry, kept by Robin
 * Hood linear probing: an entry never sits farther from its home slot than the entries it
 * passed, so a lookup of an absent fingerprint ends after a few probes even at 90% load. One
 * array of 16-bit words, [lo, lo, hi, hi, value...] per slot (10 bytes with 16-bit values,
 * 12 with 32-bit ones), so a probe touches one cache line; any capacity (the home slot is the
 * hash scaled to it), grown by 40% at 90% load: the explorer's visited set stays between 11
 * and 16 bytes a state. Entries move as others are inserted: callers keep values, not
 * positions.
 */
export class FingerprintTable {
  private e: Uint16Array;
  private cap: number;
  /** 16-bit words per slot: 4 for the fingerprint, 1 or 2 for the value. */
  private readonly w: number;
  size = 0;

  constructor(capacity = 1 << 16, valueBits: 16 | 32 = 32) {
    this.cap = capacity;
    this.w = valueBits === 16 ? 5 : 6;
    this.e = new Uint16Array(capacity * this.w);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.e.byteLength;
  }

  /** Bytes the table will hold after `more` inserts. */
  projectedBytes(more: number): number {
    return this.size + more > this.cap * MAX_LOAD ? Math.ceil(this.cap * GROWTH) * this.w * 2 : this.bytes;
  }

  /** The home slot of a fingerprint: its (already mixed) low half scaled to the capacity, exactly in a double. */
  private home(lo: number): number {
    return ((lo >>> 11) * this.cap * (1 / 2097152)) | 0;
  }

  /** The slot holding (hi, lo), or -1. */
  private find(hi: number, lo: number): number {
    const e = this.e;
    const cap = this.cap;
    const w = this.w;
    lo |= 0;
    hi |= 0;
    let i = this.home(lo);
    for (let dist = 0; ; dist++) {
      const k = i * w;
      const l = e[k]! | (e[k + 1]! << 16);
      if (l === 0) return -1;
      if (l === lo && (e[k + 2]! | (e[k + 3]! << 16)) === hi) return i;
      // Robin Hood: an occupant nearer its home than we are to ours, or as near with a larger
      // key, means we are absent (a cluster is sorted by key: see grow()).
      let d = i - this.home(l);
      if (d < 0) d += cap;
      if (d < dist || (d === dist && l >>> 11 > lo >>> 11)) return -1;
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  private value(i: number): number {
    const k = i * this.w + 4;
    return this.w === 5 ? this.e[k]! : (this.e[k]! | (this.e[k + 1]! << 16)) >>> 0;
  }

  /** The value stored for (hi, lo), or -1 if absent. `lo` is in stored form (storedLo). */
  get(hi: number, lo: number): number {
    const i = this.find(hi, lo);
    return i < 0 ? -1 : this.value(i);
  }

  /** The value stored for (hi, lo); if absent, stores `value` and returns -1 (one walk, not two). */
  getOrInsert(hi: number, lo: number, value: number): number {
    const e = this.e;
    const cap = this.cap;
    const w = this.w;
    lo |= 0;
    hi |= 0;
    let i = this.home(lo);
    let dist = 0;
    for (; ; dist++) {
      const k = i * w;
      const l = e[k]! | (e[k + 1]! << 16);
      if (l === lo && (e[k + 2]! | (e[k + 3]! << 16)) === hi) return this.value(i);
      let d = i - this.home(l);
      if (d < 0) d += cap;
      if (l === 0 || d < dist || (d === dist && l >>> 11 > lo >>> 11)) break;
      i = i + 1 === cap ? 0 : i + 1;
    }
    this.size++;
    if (this.size > this.cap * MAX_LOAD) {
      this.grow();
      this.insert(hi, lo, value, this.home(lo), 0);
    } else this.insert(hi, lo, value, i, dist);
    return -1;
  }

  set(hi: number, lo: number, value: number): void {
    const at = this.find(hi, lo);
    if (at >= 0) {
      this.put(at * this.w, hi, lo, value);
      return;
    }
    if (this.size + 1 > this.cap * MAX_LOAD) this.grow();
    this.insert(hi | 0, lo | 0, value, this.home(lo | 0), 0);
    this.size++;
  }

  private put(k: number, hi: number, lo: number, value: number): void {
    const e = this.e;
    e[k] = lo;
    e[k + 1] = lo >>> 16;
    e[k + 2] = hi;
    e[k + 3] = hi >>> 16;
    e[k + 4] = value;
    if (this.w === 6) e[k + 5] = value >>> 16;
  }

  /** Place a new entry from slot i, `dist` slots past its home, moving richer occupants one slot on. */
  private insert(hi: number, lo: number, value: number, i: number, dist: number): void {
    const e = this.e;
    const cap = this.cap;
    const w = this.w;
    for (; ; dist++) {
      const k = i * w;
      const l = e[k]! | (e[k + 1]! << 16);
      if (l === 0) {
        this.put(k, hi, lo, value);
        return;
      }
      let d = i - this.home(l);
      if (d < 0) d += cap;
      if (d < dist || (d === dist && l >>> 11 > lo >>> 11)) {
        const h2 = e[k + 2]! | (e[k + 3]! << 16);
        const v2 = this.value(i);
        this.put(k, hi, lo, value);
        hi = h2;
        lo = l;
        value = v2;
        dist = d;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  /**
   * Rehash into a table 40% larger in one pass. Robin Hood linear probing, with ties between
   * equal homes broken by the key the home is scaled from (lo >>> 11), keeps every cluster
   * sorted by that key, and so by the home in any capacity: the entries, read in order from an
   * empty slot on, go in order too: each at its new home or just after the
   * previous one (positions counted past the end while the walk wraps).
   */
  private grow(): void {
    const old = this.e;
    const oldCap = this.cap;
    const w = this.w;
    const cap = Math.ceil(oldCap * GROWTH);
    const e = new Uint16Array(cap * w);
    this.cap = cap;
    this.e = e;
    let z = 0;
    while (old[z * w]! | old[z * w + 1]!) z++;
    let last = -1;
    for (let n = 1; n <= oldCap; n++) {
      let p = z + n;
      const wrapped = p >= oldCap;
      if (wrapped) p -= oldCap;
      const k = p * w;
      const l = old[k]! | (old[k + 1]! << 16);
      if (l === 0) continue;
      // Home in the new table, unwrapped: entries read after the walk wrapped sit one lap on,
      // unless their cluster started before the end of the old table.
      const h = ((l >>> 11) * cap * (1 / 2097152)) | 0;
      const oldHome = ((l >>> 11) * oldCap * (1 / 2097152)) | 0;
      const at = Math.max(wrapped && oldHome <= p ? h + cap : h, last + 1);
      last = at;
      const q = (at >= cap ? at - cap : at) * w;
      for (let j = 0; j < w; j++) e[q + j] = old[k + j]!;
    }
  }
}
