// Visited states are stored as 64-bit fingerprints, never as states (hash compaction, as in
// SPIN's -DHC): memory per state is fixed whatever the state's size. Two different states
// with the same fingerprint would be merged; with 63 bits used (the low bit of one half is
// forced to 1) the chance of any collision among n states is about n^2 / 2^64 (docs/explore.md).

/** The two 32-bit halves of the last fingerprint computed (no allocation per state). */
export let fpHi = 0;
export let fpLo = 0;

/** murmur3-style mixing over the state's words, two independent lanes. */
export function fingerprint(s: Int32Array): void {
  let h1 = 0x9747b28c | 0;
  let h2 = 0x3c6ef372 | 0;
  for (let i = 0; i < s.length; i++) {
    let k = Math.imul(s[i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = (Math.imul(h2 ^ s[i]!, 0x27d4eb2d) + i) | 0;
    h2 ^= h2 >>> 15;
  }
  fpHi = fmix(h1 ^ s.length);
  // Never 0: a zero fingerprint marks an empty table slot.
  fpLo = (fmix(h2 ^ Math.imul(s.length, 0x85ebca6b)) | 1) >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An open-addressing set of fingerprints with one 32-bit value per entry. Grows at 70% load;
 * entries do not keep their index across a growth, so callers keep values, not indices.
 */
export class FingerprintTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private val: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.val = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.val.byteLength;
  }

  /** Bytes the table will hold after `more` inserts (it doubles when it passes 70% load). */
  projectedBytes(more: number): number {
    return (this.size + more) * 10 > (this.mask + 1) * 7 ? this.bytes * 2 : this.bytes;
  }

  private slot(hi: number, lo: number): number {
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.mask;
    while (this.lo[i] !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & this.mask;
    return i;
  }

  /** The value stored for (hi, lo), or -1 if absent. */
  get(hi: number, lo: number): number {
    const i = this.slot(hi, lo);
    return this.lo[i] === 0 ? -1 : this.val[i]!;
  }

  set(hi: number, lo: number, value: number): void {
    let i = this.slot(hi, lo);
    if (this.lo[i] === 0) {
      // Grow at 70% load: linear probing stays short, and memory per entry stays low.
      if ((this.size + 1) * 10 > (this.mask + 1) * 7) {
        this.grow();
        i = this.slot(hi, lo);
      }
      this.hi[i] = hi;
      this.lo[i] = lo;
      this.size++;
    }
    this.val[i] = value;
  }

  private grow(): void {
    const { hi, lo, val } = this;
    const cap = (this.mask + 1) * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.val = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < lo.length; j++) {
      if (lo[j] === 0) continue;
      const i = this.slot(hi[j]!, lo[j]!);
      this.hi[i] = hi[j]!;
      this.lo[i] = lo[j]!;
      this.val[i] = val[j]!;
    }
  }
}
