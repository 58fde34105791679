// dist/cli.js runs the CLI's bundle (dist/cli.cjs) from V8's code cache in the user's cache
// folder (src/start.ts). A cache changes how fast a command starts, never what it prints: the
// same bytes with a cache, without one, with one made for another bundle, damaged, or in a
// cache folder that cannot be written. A cache is used only for the bundle it was made from,
// and only whole (V8 does not check the cached bytes: damaged ones crashed it).
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

const spawnCli = (env: Record<string, string | undefined>, args = ARGS, cwd?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { ...process.env, MMUTT_NO_CODE_CACHE: '', ...env } });
const mmutt = (env: Record<string, string | undefined>, args = ARGS, cwd?: string) => {
  const r = spawnCli(env, args, cwd);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
};
const uncached = mmutt({ MMUTT_NO_CODE_CACHE: '1' });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();
const digest = sha256(readFileSync(join(DIST, 'cli.cjs')));
/** The one cache file under a cache folder. */
const cacheIn = (folder: string) => {
  const files = readdirSync(join(folder, 'mmutt'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(new RegExp(`^cli-${process.version.replace(/\./g, '\\.')}-${process.arch}-[0-9a-f]{12}\\.v8$`));
  return join(folder, 'mmutt', files[0]!);
};
/** A cache file as start.ts reads it: the bundle's SHA-256, the code's, the code. */
const isWhole = (data: Buffer) => data.subarray(0, 32).equals(digest) && data.subarray(32, 64).equals(sha256(data.subarray(64))) && data.length > 64 + 100_000;

describe('the code cache', () => {
  it('is made by the first command, under the SHA-256 of the bundle it was made from and of its own bytes, and used by the next unchanged', () => {
    const folder = join(home, 'first');
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    const file = cacheIn(folder);
    const made = readFileSync(file);
    expect(isWhole(made)).toBe(true);
    const when = statSync(file).mtimeMs;
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    // Accepted: not written again.
    expect(statSync(file).mtimeMs).toBe(when);
    expect(readFileSync(file).equals(made)).toBe(true);
  });

  it('made by a command of one kind (--help, run --no-trace), it is made again, once, by a command of another kind, with its code too', () => {
    const folder = join(home, 'grows');
    mmutt({ XDG_CACHE_HOME: folder }, ['--help']);
    const small = readFileSync(cacheIn(folder)).length;
    expect(mmutt({ XDG_CACHE_HOME: folder }, [...ARGS, '--no-trace'])).toBe(mmutt({ MMUTT_NO_CODE_CACHE: '1' }, [...ARGS, '--no-trace']));
    const untraced = readFileSync(cacheIn(folder)).length;
    expect(untraced).toBeGreaterThan(small);
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    const traced = readFileSync(cacheIn(folder));
    expect(traced.length).toBeGreaterThan(untraced);
    // Every kind met once: the next of either is not written again.
    mmutt({ XDG_CACHE_HOME: folder }, [...ARGS, '--no-trace']);
    mmutt({ XDG_CACHE_HOME: folder });
    expect(readFileSync(cacheIn(folder)).equals(traced)).toBe(true);
    expect(isWhole(traced)).toBe(true);
  });

  it("is not used for another bundle's text, damaged, or when V8 refuses it: the output is the same, and the cache is made again", () => {
    const folder = join(home, 'other');
    mmutt({ XDG_CACHE_HOME: folder });
    const file = cacheIn(folder);
    const good = readFileSync(file);
    // The code of this bundle under another bundle's digest.
    const other = Buffer.from(good);
    other[0] = other[0]! ^ 0xff;
    writeFileSync(file, other);
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(isWhole(readFileSync(file))).toBe(true);
    // Damaged code under both digests as they were: V8 would take it, and crashed (SIGSEGV) on it.
    const damaged = Buffer.from(good);
    for (let k = 5000; k < damaged.length; k += 997) damaged[k] = damaged[k]! ^ 0xff;
    writeFileSync(file, damaged);
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(isWhole(readFileSync(file))).toBe(true);
    // Bytes that are no code V8 made, under the right digests and kinds: V8 refuses them.
    const kinds = Buffer.from(JSON.stringify(['run --era']));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(kinds.length);
    const junk = Buffer.concat([length, kinds, Buffer.alloc(4096, 0x5a)]);
    writeFileSync(file, Buffer.concat([digest, sha256(junk), junk]));
    expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(isWhole(readFileSync(file))).toBe(true);
  });

  it('a cache folder that cannot be written, a relative XDG_CACHE_HOME or HOME, or MMUTT_NO_CODE_CACHE=1: the command runs as without a cache, and writes nowhere else', () => {
    const notAFolder = join(home, 'a-file');
    writeFileSync(notAFolder, '');
    expect(mmutt({ XDG_CACHE_HOME: notAFolder })).toBe(uncached);
    // A relative XDG_CACHE_HOME is not a folder to write in (the XDG spec): HOME's .cache is.
    const cwd = join(home, 'cwd');
    mkdirSync(cwd);
    mkdirSync(join(home, 'home'));
    expect(mmutt({ XDG_CACHE_HOME: 'relative', HOME: join(home, 'home') }, ARGS, cwd)).toBe(uncached);
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(home, 'home', '.cache', 'mmutt'))).toBe(true);
    // Nor a relative or empty HOME, nor one that does not exist (mmutt makes no home folder).
    for (const HOME of ['relhome', '', join(home, 'no-such-home')]) expect(mmutt({ XDG_CACHE_HOME: undefined, HOME }, ARGS, cwd)).toBe(uncached);
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(home, 'no-such-home'))).toBe(false);
    const off = join(home, 'off');
    expect(mmutt({ XDG_CACHE_HOME: off, MMUTT_NO_CODE_CACHE: '1' })).toBe(uncached);
    expect(existsSync(off)).toBe(false);
  });

  it('a cache that cannot be put in place leaves no half-written file behind', () => {
    const folder = join(home, 'blocked');
    mmutt({ XDG_CACHE_HOME: folder });
    const file = cacheIn(folder);
    rmSync(file);
    // A folder where the file would go: the rename fails, every time.
    mkdirSync(file);
    for (let i = 0; i < 2; i++) expect(mmutt({ XDG_CACHE_HOME: folder })).toBe(uncached);
    expect(readdirSync(join(folder, 'mmutt'))).toEqual([file.split('/').pop()]);
  });

  it('--version is answered without the bundle, as the bundle answers it; the bundle runs by itself too', () => {
    const folder = join(home, 'version');
    expect(mmutt({ XDG_CACHE_HOME: folder }, ['--version'])).toBe(`${VERSION}\n`);
    expect(existsSync(folder)).toBe(false);
    expect(mmutt({ XDG_CACHE_HOME: folder }, ['run', '--version'])).toBe(`${VERSION}\n`);
    const direct = spawnSync(process.execPath, [join(DIST, 'cli.cjs'), ...ARGS], { encoding: 'utf8' });
    expect([direct.status, direct.stderr, direct.stdout]).toEqual([0, '', uncached]);
  });

  it('an era file is imported, esbuild too, through the entry (import() has no module to resolve from in a cached script)', () => {
    const folder = join(home, 'era-file');
    const args = ['run', 'age-guest-hot', '--era', 'test-aging-flush', '--era-file', join(__dirname, 'fixtures', 'aging-flush.era.ts'), '--no-trace'];
    const first = mmutt({ XDG_CACHE_HOME: folder }, args);
    expect(isWhole(readFileSync(cacheIn(folder)))).toBe(true);
    expect(first).toMatch(/test-aging-flush/);
    expect(mmutt({ XDG_CACHE_HOME: folder }, args)).toBe(first);
    expect(mmutt({ MMUTT_NO_CODE_CACHE: '1' }, args)).toBe(first);
  });
});
