// The visited set: every fingerprint inserted is found with its value, through many growths
// (each a one-pass rehash that relies on Robin Hood order, with clusters that wrap around the
// end of the table), and none that was not inserted is found.
import { describe, expect, it } from 'vitest';
import { FingerprintTable, storedLo } from '../src/explore/fingerprint.js';

/** A deterministic stream of 32-bit words (xorshift). */
function words(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe.each([16, 32] as const)('FingerprintTable with %i-bit values', (bits) => {
  const max = bits === 16 ? 0xffff : 0xffffffff;
  it('finds every entry, with its latest value, after growing from 4 slots to over 100,000 entries', () => {
    const next = words(bits);
    const table = new FingerprintTable(4, bits);
    const ref = new Map<string, number>();
    const keys: [number, number][] = [];
    for (let n = 0; n < 120_000; n++) {
      // Low halves from a narrow range in part: many equal homes, long clusters, wrap-around.
      const hi = next();
      const lo = storedLo(n % 3 === 0 ? next() & 0xffe00fff : next());
      const v = next() % max;
      expect(table.getOrInsert(hi, lo, v)).toBe(-1);
      ref.set(`${hi}:${lo}`, v);
      keys.push([hi, lo]);
      if (n % 7 === 0) {
        const [h2, l2] = keys[next() % keys.length]!;
        const v2 = next() % max;
        table.set(h2, l2, v2);
        ref.set(`${h2}:${l2}`, v2);
      }
    }
    expect(table.size).toBe(ref.size);
    for (const [hi, lo] of keys) {
      expect(table.get(hi, lo)).toBe(ref.get(`${hi}:${lo}`));
      expect(table.getOrInsert(hi, lo, 1)).toBe(ref.get(`${hi}:${lo}`));
    }
    for (let n = 0; n < 20_000; n++) {
      const hi = next();
      const lo = storedLo(next());
      if (!ref.has(`${hi}:${lo}`)) expect(table.get(hi, lo)).toBe(-1);
    }
  });
  it('holds at most 12 bytes an entry with 16-bit values, 14 with 32-bit, just before a growth', () => {
    const next = words(7);
    const table = new FingerprintTable(1 << 10, bits);
    for (let n = 0; n < 200_000; n++) table.getOrInsert(next(), storedLo(next()), 1);
    // Growth is by 40% at 90% load: the table is 64% to 90% full.
    expect(table.bytes / table.size).toBeLessThanOrEqual((bits === 16 ? 10 : 12) / 0.64);
  });
});
