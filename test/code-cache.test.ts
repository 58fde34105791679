// dist/cli.js runs the CLI's bundle (dist/cli.cjs) from V8's code cache in the user's cache
// folder (src/start.ts). A cache changes how fast a command starts, never what it prints: the
// same bytes with a cache, without one, with one made for another bundle or damaged, and with
// a cache folder that cannot be written. A cache is used only for the bundle it was made from.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';

const DIST = join(__dirname, '..', 'dist');
const CLI = join(DIST, 'cli.js');
const ARGS = ['run', 'ksm-merge', '--era', 'post-aa85986e7150'];
const home = mkdtempSync(join(tmpdir(), 'mmutt-code-cache-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const mmutt = (env: Record<string, string>, args = ARGS) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, MMUTT_NO_CODE_CACHE: '', ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
};
const uncached = mmutt({ MMUTT_NO_CODE_CACHE: '1' });
const digest = createHash('sha256').update(readFileSync(join(DIST, 'cli.cjs'))).digest();
const cacheIn = (folder: string) => join(folder, 'mmutt', `cli-${process.version}-${process.arch}.v8`);

describe('the code cache', () => {
  it('is made by the first command, under the SHA-256 of the bundle it was made from, and used by the next unchanged', () => {
    const folder = join(home, 'first');
    const file = cacheIn(folder);
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(existsSync(file)).toBe(true);
    const made = readFileSync(file);
    expect(made.subarray(0, 32).equals(digest)).toBe(true);
    expect(made.length).toBeGreaterThan(32 + 100_000);
    const when = statSync(file).mtimeMs;
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    // Accepted: not written again.
    expect(statSync(file).mtimeMs).toBe(when);
    expect(readFileSync(file).equals(made)).toBe(true);
    expect(readdirSync(join(folder, 'mmutt'))).toEqual([`cli-${process.version}-${process.arch}.v8`]);
  });

  it("is not used for another bundle's text (another digest), nor when V8 refuses it: the output is the same, and the cache is made again", () => {
    const folder = join(home, 'other');
    const file = cacheIn(folder);
    mmutt({ XDG_CACHE_HOME: folder });
    const good = readFileSync(file);
    // The code of this bundle under another bundle's digest.
    const other = Buffer.from(good);
    other[0] = other[0]! ^ 0xff;
    writeFileSync(file, other);
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(readFileSync(file).subarray(0, 32).equals(digest)).toBe(true);
    // This bundle's digest over bytes that are no code V8 made.
    writeFileSync(file, Buffer.concat([digest, Buffer.alloc(4096, 0x5a)]));
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(readFileSync(file).length).toBeGreaterThan(32 + 100_000);
  });

  it('a cache folder that cannot be written, a relative XDG_CACHE_HOME, or MMUTT_NO_CODE_CACHE=1: the command runs as without a cache, and writes nowhere else', () => {
    const notAFolder = join(home, 'a-file');
    writeFileSync(notAFolder, '');
    expect(mmutt({ XDG_CACHE_HOME: notAFolder })).toBe(uncached);
    // A relative XDG_CACHE_HOME is not a folder to write in (the XDG spec): HOME's .cache is.
    const cwd = join(home, 'cwd');
    mkdirSync(cwd);
    const r = spawnSync(process.execPath, [CLI, ...ARGS], { cwd, encoding: 'utf8', env: { ...process.env, MMUTT_NO_CODE_CACHE: '', XDG_CACHE_HOME: 'relative', HOME: join(home, 'home') } });
    expect(r.stdout).toBe(uncached);
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(home, 'home', '.cache', 'mmutt'))).toBe(true);
    const off = join(home, 'off');
    expect(mmutt({ XDG_CACHE_HOME: off, MMUTT_NO_CODE_CACHE: '1' })).toBe(uncached);
    expect(existsSync(off)).toBe(false);
  });

  it('--version is answered without the bundle, as the bundle answers it', () => {
    const folder = join(home, 'version');
    expect(mmutt({ XDG_CACHE_HOME: folder }, ['--version'])).toBe(`${VERSION}\n`);
    expect(existsSync(folder)).toBe(false);
    expect(mmutt({ XDG_CACHE_HOME: folder }, ['run', '--version'])).toBe(`${VERSION}\n`);
  });

  it('an era file is imported, esbuild too, through the entry (import() has no module to resolve from in a cached script)', () => {
    const folder = join(home, 'era-file');
    const args = ['run', 'age-guest-hot', '--era', 'test-aging-flush', '--era-file', join(__dirname, 'fixtures', 'aging-flush.era.ts'), '--no-trace'];
    const first = mmutt({ XDG_CACHE_HOME: folder }, args);
    expect(existsSync(cacheIn(folder))).toBe(true);
    expect(first).toMatch(/test-aging-flush/);
    expect(mmutt({ XDG_CACHE_HOME: folder }, args)).toBe(first);
    expect(mmutt({ MMUTT_NO_CODE_CACHE: '1' }, args)).toBe(first);
  });
});
