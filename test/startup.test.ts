// The bundle loads only what a command uses. Its yargs measures text with build/ascii-width.mjs
// instead of string-width (which builds an Intl.Segmenter on load): that is exact only for
// ASCII, so every help text must be ASCII.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(__dirname, '..', 'dist');
const CLI = join(DIST, 'cli.js');
const COMMANDS = ['list', 'run', 'diff', 'explain', 'cite', 'reproduce', 'bisect', 'matrix', 'check'];

describe('start-up', () => {
  it.each([[], ...COMMANDS.map((c) => [c])])('mmutt %s --help is ASCII (the bundle measures its width as ASCII)', (...cmd) => {
    const r = spawnSync(process.execPath, [CLI, ...cmd, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect([...r.stdout].filter((c) => c.charCodeAt(0) > 0x7e || (c.charCodeAt(0) < 0x20 && c !== '\n'))).toEqual([]);
  });

  it('the bundle builds no Intl.Segmenter and keeps yargs out of cli.js (loaded by the commands that parse)', () => {
    const files = readdirSync(DIST).filter((f) => f.endsWith('.js'));
    expect(files.filter((f) => readFileSync(join(DIST, f), 'utf8').includes('new Intl.Segmenter'))).toEqual([]);
    expect(readFileSync(CLI, 'utf8')).not.toMatch(/yargs-parser|YargsInstance/);
  });

  it('a command ends once its output has gone out: a reader that starts late still gets every byte, then the exit code', async () => {
    const args = [CLI, 'matrix', '--format', 'json'];
    const whole = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
    // 400 kB: more than a pipe holds, so the last writes wait for the reader.
    expect(whole.length).toBeGreaterThan(200_000);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 1500));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole);
  });
});
