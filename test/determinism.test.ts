// A result quoted on a list must be reproducible by anyone: the same inputs print the same
// bytes, run after run, for any --jobs, from any directory, with no timestamps or paths.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const mmutt = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 << 20 });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};
const repo = join(__dirname, '..');

const COMMANDS = [
  ['matrix'],
  ['matrix', '--format', 'json'],
  ['matrix', '--format', 'markdown'],
  ['matrix', '--explore'],
  ['matrix', '--explore', '--format', 'json'],
  ['run', 'ksm-merge', '--explore', '--witness', '--format', 'json'],
  ['cite', 'ksm-merge', '--era', 'pre-6bdb913f0a70', '--era', 'post-aa85986e7150'],
];

describe('determinism', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c] as const))('%s: the same bytes twice, from two directories', (_, args) => {
    const first = mmutt(repo, ...args);
    expect(mmutt(tmpdir(), ...args)).toBe(first);
  });

  it('matrix --explore: the same bytes for --jobs 1 and --jobs 2', () => {
    const one = mmutt(repo, 'matrix', '--explore', '--format', 'json', '--jobs', '1');
    expect(mmutt(repo, 'matrix', '--explore', '--format', 'json', '--jobs', '2')).toBe(one);
  });

  it('default output carries no timestamps, timings or machine paths', () => {
    for (const args of COMMANDS) {
      const out = mmutt(repo, ...args);
      // Dates of commits and mails are history, not timestamps: look for today and a time of day.
      expect(out).not.toContain(new Date().toISOString().slice(0, 10));
      expect(out).not.toMatch(/\b\d\d:\d\d:\d\d\b|\d+(\.\d+)?\s?ms\b|states\/s|\/(tmp|work|root|home)\//);
    }
  });
});
