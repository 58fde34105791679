// One exploration split between workers (--jobs N on a single exploration, docs/explore.md)
// gives the same bytes as one search: states, transitions, outcomes with their path counts
// (also past 2^53, where the order of a sum of doubles would show), counters, windows. A split
// that cannot give that answer (a limit reached) searches again on one thread.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogNames } from '../src/scenario/catalog.js';
import { MAX_SHARED_BYTES, SharedVectors, SharedVisited, sharedBuffers } from '../src/explore/shared.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const RACE = join(__dirname, 'fixtures', 'race-split.mmu');
const mmutt = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('an exploration split between workers', () => {
  it('race-split (399,243 states, path counts past 2^53): the same JSON for --jobs 1, 2 and 3, and the split happened', () => {
    const args = ['run', RACE, '--explore', '--era', 'post-aa85986e7150', '--format', 'json'];
    const one = mmutt(...args, '--jobs', '1');
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('"approximate": true');
    for (const jobs of ['2', '3']) {
      const r = mmutt(...args, '--jobs', jobs);
      // Say why a run printed nothing (a spawn that failed, a signal), not only that it did.
      expect({ jobs, status: r.status, signal: r.signal, error: r.error?.message, stderr: r.stderr }).toEqual({ jobs, status: 0, signal: null, error: undefined, stderr: '' });
      expect(r.stdout).toBe(one.stdout);
    }
    const stats = mmutt('run', RACE, '--explore', '--era', 'post-aa85986e7150', '--stats', '--jobs', '2');
    expect(stats.stdout).toMatch(/Workers 2/);
  });

  it('race-split at v2.6.32 and v5.4, text with windows and harms: --jobs 2 prints what --jobs 1 prints', () => {
    for (const era of ['pre-6bdb913f0a70', 'v5.4']) {
      const args = ['run', RACE, '--explore', '--era', era];
      const one = mmutt(...args, '--jobs', '1');
      expect(one.status, one.stderr).toBe(0);
      expect(mmutt(...args, '--jobs', '2').stdout, era).toBe(one.stdout);
    }
  });

  it('a split stopped at --max-states is searched again on one thread: the same partial answer, exit 3', () => {
    const args = ['run', RACE, '--explore', '--era', 'post-aa85986e7150', '--max-states', '20000', '--format', 'json'];
    const one = mmutt(...args, '--jobs', '1');
    const two = mmutt(...args, '--jobs', '2');
    expect(one.status).toBe(3);
    expect(two.status).toBe(3);
    expect(two.stdout).toBe(one.stdout);
  });

  it('a --max-memory past what a shared buffer may hold (4 GiB on Node 20): the table in segments and the vectors in chunks, the same answer', () => {
    const args = ['run', RACE, '--explore', '--era', 'post-aa85986e7150', '--format', 'json'];
    const r = mmutt(...args, '--jobs', '2', '--max-memory', '20000');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toBe(mmutt(...args, '--jobs', '1').stdout);
    expect(mmutt(...args.slice(0, -2), '--jobs', '2', '--max-memory', '20000', '--stats').stdout).toMatch(/Workers 2/);
    const buffers = sharedBuffers(20_000 * 1048576);
    expect(MAX_SHARED_BYTES).toBeGreaterThanOrEqual(2 ** 31);
    // 20,000 MiB in buffers of at most MAX_SHARED_BYTES: 5 of them, as 8 table segments, 4 vector chunks.
    expect(buffers.table.map((b) => b.maxByteLength)).toEqual(new Array(Math.ceil((20_000 * 1048576) / MAX_SHARED_BYTES) <= 8 ? 8 : 16).fill(MAX_SHARED_BYTES));
    expect(buffers.data.length).toBe(4);
  });

  it('every catalog scenario in its newest era: --jobs 2 gives the bytes of --jobs 1', () => {
    for (const name of catalogNames()) {
      const args = ['run', name, '--explore', '--era', 'post-aa85986e7150', '--format', 'json'];
      const one = mmutt(...args, '--jobs', '1');
      expect(mmutt(...args, '--jobs', '2').stdout, name).toBe(one.stdout);
    }
  });

  // Each worker views the growable buffers through fixed-length arrays (fast on Node 20's V8),
  // made again when the buffers have grown: what another worker stored past this worker's
  // views must still be read. Two searchers in one thread stand for two workers.
  it("a worker reads the vectors and finds the states another stored after the buffers grew past its views, over segments and chunks", () => {
    // 64 MiB in buffers of 8 MiB: 8 table segments, 4 chunks of 2^20 doubles.
    const buffers = sharedBuffers(64 << 20, 8 << 20);
    expect([buffers.table.length, buffers.data.length, buffers.chunkBits]).toEqual([8, 4, 20]);
    const a = new SharedVectors(buffers);
    const b = new SharedVectors(buffers);
    const acc = new Float64Array(64);
    const ids = new Int32Array(64).map((_, i) => i);
    const stored: [number, number][] = [];
    // Distinct vectors of 20 pairs each, until they fill two chunks and part of a third.
    for (let n = 1; buffers.data[2]!.byteLength < 1 << 20; n++) {
      for (let i = 0; i < 20; i++) acc[i] = n * 100 + i;
      stored.push([a.store(acc, 0, ids, 0, 20), n]);
    }
    expect(buffers.at.byteLength).toBeGreaterThan(1 << 14);
    for (const [v, n] of stored) expect(b.read(v)[19], `vector ${v}`).toEqual([19, n * 100 + 19]);

    const one = new SharedVisited(buffers, () => undefined);
    const other = new SharedVisited(buffers, () => undefined);
    // The other stops searching (the table grows without it at the barrier), then looks up.
    other.leave();
    const first = buffers.table[0]!.byteLength;
    // States spread over the segments by the top bits of hi.
    const hi = (i: number) => Math.imul(i, 0x9e3779b1);
    for (let i = 1; i <= 2_000_000; i++) expect(one.getOrInsert(hi(i), i * 104729)).toBe(-1);
    expect(buffers.table.every((b) => b.byteLength > 4 * first)).toBe(true);
    for (let i = 1; i <= 2_000_000; i += 997) expect(other.getOrInsert(hi(i), i * 104729), `state ${i}`).toBe(0);
    expect(other.getOrInsert(5, 5)).toBe(-1);
  });
});
