// Path-count vectors: for each finished state, how many maximal paths from it reach each
// outcome. The search adds its successors' vectors into a dense accumulator (indexed by
// outcome); a finished state's vector is stored sparse, [n, id1, count1, ...], once for all
// the states that have it (the visited set holds its number): a search of millions of states
// finds a few tens of thousands of distinct vectors.
import { zHi, zLo } from './fingerprint.js';

export function grownTo(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/**
 * The vectors, and an index that finds an equal one already stored. Where they are stored is
 * the subclass's: in the explorer's own arrays (LocalVectors), or in memory that the workers
 * of one split exploration share (explore/shared.ts). The index is each searcher's own.
 */
export abstract class VectorPool {
  /** Store a vector of n pairs: its number, with room for it where locate() will find it. */
  protected abstract allocate(n: number): number;
  /** Where vector v starts in `d`, which the call sets to the array that holds it. */
  protected abstract locate(v: number): number;
  protected d: Float64Array = new Float64Array(0);
  abstract get bytes(): number;
  abstract projectedBytes(more: number): number;

  /**
   * Vectors this searcher stored, found by a 64-bit hash of their content (as states are by
   * their fingerprints: docs/explore.md): an open-addressed index of local numbers + 1, at most
   * a quarter full; each local number's hash and vector number.
   */
  private index = new Int32Array(1 << 14);
  private hash1 = new Int32Array(1 << 12);
  private hash2 = new Int32Array(1 << 12);
  private num = new Int32Array(1 << 12);
  private indexed = 0;
  /** The vector of one path to outcome k, by k: the common tail of a search, without hashing. */
  private single: number[] = [];

  /** The number of the vector in acc[base + id] for the n outcome ids at ids[from..], ascending. */
  store(acc: Float64Array, base: number, ids: Int32Array, from: number, n: number): number {
    if (n === 1 && acc[base + ids[from]!] === 1) {
      const k = ids[from]!;
      const v = this.single[k];
      if (v !== undefined) return v;
      return (this.single[k] = this.write(acc, base, ids, from, n));
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
      if (this.hash1[e - 1] === h1 && this.hash2[e - 1] === h2) return this.num[e - 1]!;
      i = (i + 1) & mask;
    }
    const v = this.write(acc, base, ids, from, n);
    const j = this.indexed++;
    if (j === this.num.length) {
      this.hash1 = grownTo(this.hash1, j * 2);
      this.hash2 = grownTo(this.hash2, j * 2);
      this.num = grownTo(this.num, j * 2);
    }
    this.hash1[j] = h1;
    this.hash2[j] = h2;
    this.num[j] = v;
    this.index[i] = j + 1;
    if (this.indexed * 4 > this.index.length) this.reindex();
    return v;
  }

  private reindex(): void {
    this.index = new Int32Array(this.index.length * 2);
    const mask = this.index.length - 1;
    for (let j = 0; j < this.indexed; j++) {
      const h2 = this.hash2[j]!;
      let i = (h2 ^ (h2 >>> 13)) & mask;
      while (this.index[i] !== 0) i = (i + 1) & mask;
      this.index[i] = j + 1;
    }
  }

  private write(acc: Float64Array, base: number, ids: Int32Array, from: number, n: number): number {
    const v = this.allocate(n);
    const at = this.locate(v);
    const data = this.d;
    data[at] = n;
    for (let k = 0; k < n; k++) {
      const id = ids[from + k]!;
      data[at + 1 + 2 * k] = id;
      data[at + 2 + 2 * k] = acc[base + id]!;
    }
    return v;
  }

  /** Bytes of the index (each searcher's own). */
  protected get indexBytes(): number {
    return this.index.byteLength + this.hash1.byteLength * 3;
  }

  /** Add vector v into a sum. */
  addInto(add: (id: number, c: number) => void, v: number): void {
    const at = this.locate(v);
    const data = this.d;
    const n = data[at]!;
    for (let k = 0; k < n; k++) add(data[at + 1 + 2 * k]!, data[at + 2 + 2 * k]!);
  }

  /** Vector v as [outcome id, count] pairs. */
  read(v: number): [number, number][] {
    const at = this.locate(v);
    const data = this.d;
    const out: [number, number][] = [];
    for (let k = 0; k < data[at]!; k++) out.push([data[at + 1 + 2 * k]!, data[at + 2 + 2 * k]!]);
    return out;
  }
}

/** Vectors in the explorer's own growable arrays. */
export class LocalVectors extends VectorPool {
  /** The vectors, end to end; `at[v]` is where vector v starts. */
  private data = new Float64Array(1 << 16);
  private at = new Int32Array(1 << 12);
  private used = 0;
  private count = 0;

  protected allocate(n: number): number {
    const need = 1 + 2 * n;
    if (this.used + need > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.used + need));
      next.set(this.data);
      this.data = next;
    }
    if (this.count === this.at.length) this.at = grownTo(this.at, this.count * 2);
    this.at[this.count] = this.used;
    this.used += need;
    return this.count++;
  }

  protected locate(v: number): number {
    this.d = this.data;
    return this.at[v]!;
  }

  get bytes(): number {
    return this.data.byteLength + this.at.byteLength + this.indexBytes;
  }

  projectedBytes(more: number): number {
    const pool = this.used + 64 * more > this.data.length ? this.data.byteLength * 2 : this.data.byteLength;
    return pool + 2 * (this.at.byteLength + this.indexBytes);
  }
}
