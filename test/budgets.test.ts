// Budgets end an exploration cleanly: an explicit incomplete result, exit code 3, and the
// budget kept to within 10%.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const RACE = join(__dirname, '..', 'bench', 'scenarios', 'three-thread-race.mmu');
const explore = (...limits: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'run', RACE, '--era', 'post-aa85986e7150', '--explore', '--stats', '--format', 'json', ...limits], { encoding: 'utf8' });
  return { code: r.status, doc: JSON.parse(r.stdout) };
};

describe('exploration budgets', () => {
  it('--max-states 50000 stops within 10%, incomplete, exit 3', () => {
    const { code, doc } = explore('--max-states', '50000');
    expect(code).toBe(3);
    expect(doc.complete).toBe(false);
    expect(doc.stopped).toBe('max-states');
    expect(doc.stats.states).toBeGreaterThanOrEqual(50_000);
    expect(doc.stats.states).toBeLessThanOrEqual(55_000);
    expect(doc.verdict).toBe('Timeout');
  });

  it('--timeout 2 stops within 10% of two seconds, incomplete, exit 3', () => {
    const { code, doc } = explore('--timeout', '2');
    expect(code).toBe(3);
    expect(doc.stopped).toBe('timeout');
    expect(doc.stats.ms).toBeGreaterThanOrEqual(2000);
    expect(doc.stats.ms).toBeLessThanOrEqual(2200);
  });

  it('--max-memory 16 keeps the visited set and path counts under 16 MiB (+10%), incomplete, exit 3', () => {
    const { code, doc } = explore('--max-memory', '16');
    expect(code).toBe(3);
    expect(doc.stopped).toBe('memory');
    expect(doc.stats.bytes).toBeLessThanOrEqual(16 * 1048576 * 1.1);
  });

  it('the text report says so, with the verdict scripts grep for', () => {
    const r = spawnSync(process.execPath, [CLI, 'run', RACE, '--era', 'post-aa85986e7150', '--explore', '--max-states', '3000'], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    // P and N count the outcomes found (paths are counted only for finished states): never 0 0
    // beside outcomes that satisfy the condition or not.
    const [, p, n] = /^Observation three-thread-race Timeout (\d+) (\d+)$/m.exec(r.stdout)!.map(Number);
    const found = Number(/^Outcomes (\d+) \(so far/m.exec(r.stdout)![1]);
    expect(p! + n!).toBe(found);
    expect(found).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^Windows: none so far$/m);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/Incomplete: stopped by --max-states after \d+ states; the outcomes above were found, others may exist; Positive and Negative count them, not paths/);
  });

  it('--help says that --era-file is the one way to run code, and scenario files never are', () => {
    const r = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' });
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('This runs its code: scenario files never are');
  });
});
