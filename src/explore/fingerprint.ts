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

/** Load at which the table grows, and by how much. */
const MAX_LOAD = 0.9;
const GROWTH = 1.5;

/**
 * An open-addressing set of fingerprints with one 32-bit value per entry, kept by Robin Hood
 * linear probing: an entry never sits farther from its home slot than the entries it passed,
 * so a lookup of an absent fingerprint ends after a few probes even at 90% load. One array of
 * [hi, lo, value] triples (12 bytes a slot), so a probe touches one cache line; any capacity
 * (the home slot is the hash scaled to it), grown by half at 90% load: 13 to 20 bytes a
 * stored state. Entries move as others are inserted: callers keep values, not positions.
 */
export class FingerprintTable {
  private e: Uint32Array;
  private cap: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    this.cap = capacity;
    this.e = new Uint32Array(capacity * 3);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.e.byteLength;
  }

  /** Bytes the table will hold after `more` inserts. */
  projectedBytes(more: number): number {
    return this.size + more > this.cap * MAX_LOAD ? Math.ceil(this.cap * GROWTH) * 12 : this.bytes;
  }

  /** The home slot of a fingerprint: its (already mixed) low half scaled to the capacity, exactly in a double. */
  private home(lo: number): number {
    return ((lo >>> 11) * this.cap * (1 / 2097152)) | 0;
  }

  /** The slot holding (hi, lo), or -1. */
  private find(hi: number, lo: number): number {
    const e = this.e;
    const cap = this.cap;
    let i = this.home(lo);
    for (let dist = 0; ; dist++) {
      const k = i * 3;
      const l = e[k + 1]!;
      if (l === 0) return -1;
      if (l === lo && e[k] === hi) return i;
      // Robin Hood: an occupant nearer its home than we are to ours means we are absent.
      let d = i - this.home(l);
      if (d < 0) d += cap;
      if (d < dist) return -1;
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  /** The value stored for (hi, lo), or -1 if absent. `lo` is in stored form (storedLo). */
  get(hi: number, lo: number): number {
    const i = this.find(hi, lo);
    return i < 0 ? -1 : this.e[i * 3 + 2]!;
  }

  /** The value stored for (hi, lo); if absent, stores `value` and returns -1 (one walk, not two). */
  getOrInsert(hi: number, lo: number, value: number): number {
    const e = this.e;
    const cap = this.cap;
    let i = this.home(lo);
    for (let dist = 0; ; dist++) {
      const k = i * 3;
      const l = e[k + 1]!;
      if (l === lo && e[k] === hi) return e[k + 2]!;
      let d = i - this.home(l);
      if (d < 0) d += cap;
      if (l === 0 || d < dist) break;
      i = i + 1 === cap ? 0 : i + 1;
    }
    if (this.size + 1 > this.cap * MAX_LOAD) this.grow();
    this.insert(hi, lo, value);
    this.size++;
    return -1;
  }

  set(hi: number, lo: number, value: number): void {
    const at = this.find(hi, lo);
    if (at >= 0) {
      this.e[at * 3 + 2] = value;
      return;
    }
    if (this.size + 1 > this.cap * MAX_LOAD) this.grow();
    this.insert(hi, lo, value);
    this.size++;
  }

  /** Place a new entry, moving richer occupants one slot on. */
  private insert(hi: number, lo: number, value: number): void {
    const e = this.e;
    const cap = this.cap;
    let i = this.home(lo);
    for (let dist = 0; ; dist++) {
      const k = i * 3;
      const l = e[k + 1]!;
      if (l === 0) {
        e[k] = hi;
        e[k + 1] = lo;
        e[k + 2] = value;
        return;
      }
      let d = i - this.home(l);
      if (d < 0) d += cap;
      if (d < dist) {
        const h2 = e[k]!;
        const v2 = e[k + 2]!;
        e[k] = hi;
        e[k + 1] = lo;
        e[k + 2] = value;
        hi = h2;
        lo = l;
        value = v2;
        dist = d;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  private grow(): void {
    const old = this.e;
    this.cap = Math.ceil(this.cap * GROWTH);
    this.e = new Uint32Array(this.cap * 3);
    for (let j = 0; j < old.length; j += 3) if (old[j + 1] !== 0) this.insert(old[j]!, old[j + 1]!, old[j + 2]!);
  }
}
