#!/usr/bin/env node
// dist/cli.js: runs the command line (src/cli.ts, bundled as one CommonJS script in dist/cli.cjs
// by build/cli-bundle.mjs, the era modules in it) from V8's code cache. Node 20 compiles every
// ES module anew on each start (module.enableCompileCache() came in Node 22): compiling and
// linking the CLI's modules and the era modules was about 70 ms of a 260 ms `run`
// (docs/performance.md, start-up). The cache is the code V8 compiled in an earlier run, kept in
// the user's cache folder, one file per checkout and Node version. V8 checks only the source's
// length and its own flags, and not the cached bytes (damaged ones can crash it): the file
// carries the SHA-256 of the bundle it was made from and of its own bytes, and is used only
// when both match. Without a cache folder it can write, or with MMUTT_NO_CODE_CACHE=1, the
// bundle is compiled as any script is; the output is the same.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { guardOutput } from './exit.js';
import { VERSION } from './version.js';

const BUNDLE = fileURLToPath(new URL('./cli.cjs', import.meta.url));
/** Cache files of other checkouts or Node versions not used for this long are removed. */
const UNUSED_FOR = 30 * 24 * 3600 * 1000;

// `--version` needs nothing else, not even the bundle (yargs in it prints the same).
if (process.argv.length === 3 && process.argv[2] === '--version') {
  guardOutput();
  process.stdout.write(`${VERSION}\n`);
} else start(BUNDLE);

function start(file: string): void {
  const source = readFileSync(file);
  const digest = sha256(source);
  const folder = cacheFolder();
  // Two checkouts (a worktree, a fresh clone) keep a file each: they would replace each other's.
  const cacheFile = folder && join(folder, `cli-${process.version}-${process.arch}-${sha256(Buffer.from(file)).toString('hex').slice(0, 12)}.v8`);
  const kept = cacheFile ? readCache(cacheFile, digest) : undefined;
  // The bundle's text as CommonJS wraps a module's; its import() of an era file or esbuild
  // comes back here (era/load.ts, importModule): a script run from a code cache has no module
  // to resolve from.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData: kept?.code });
  (globalThis as { mmuttImport?: (s: string) => Promise<unknown> }).mmuttImport = (s) => import(s);
  // Made at exit, once the code the command ran has been compiled too, so the next start finds
  // it. The cache names the kinds of command whose code it holds: a command of another kind
  // (`run` after `--help`, `run` traced after `run --no-trace`) makes it again, once, with its
  // own code too (a function not in the cache is compiled when first called: slower).
  const kind = commandKind(process.argv.slice(2));
  const usable = kept !== undefined && !script.cachedDataRejected;
  if (cacheFile && (!usable || !kept.kinds.includes(kind))) {
    process.once('exit', () => {
      const code = script.createCachedData();
      if (!usable) writeCache(cacheFile, digest, [kind], code);
      else writeCache(cacheFile, digest, [...kept.kinds, kind], code.length >= kept.code.length ? code : kept.code);
    });
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
}

function sha256(b: Buffer): Buffer {
  return createHash('sha256').update(b).digest();
}

/**
 * $XDG_CACHE_HOME/mmutt, or ~/.cache/mmutt when the home folder exists. A relative
 * XDG_CACHE_HOME is ignored, as the XDG spec says, and so is a relative or empty HOME: either
 * would put a cache in whatever folder mmutt runs from.
 */
function cacheFolder(): string | null {
  if (process.env.MMUTT_NO_CODE_CACHE) return null;
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'mmutt');
  try {
    const home = homedir();
    return isAbsolute(home) && statSync(home).isDirectory() ? join(home, '.cache', 'mmutt') : null;
  } catch {
    return null; // no home folder
  }
}

/** A command's kind: its command word and the options it names, without their values. */
function commandKind(args: readonly string[]): string {
  const options = [...new Set(args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0]!))].sort();
  return [args.find((a) => !a.startsWith('-')) ?? '', ...options].join(' ');
}

interface Cache {
  /** The kinds of command (commandKind) whose code it holds. */
  kinds: string[];
  code: Buffer;
}

/**
 * The cache, if the file holds one made from this very bundle, whole: the bundle's SHA-256,
 * the SHA-256 of the rest, the length of the kinds' JSON (4 bytes), the kinds, the code.
 */
function readCache(path: string, digest: Buffer): Cache | undefined {
  try {
    const data = readFileSync(path);
    const rest = data.subarray(2 * digest.length);
    if (!data.subarray(0, digest.length).equals(digest) || !data.subarray(digest.length, 2 * digest.length).equals(sha256(rest))) return undefined;
    const n = rest.readUInt32LE(0);
    return { kinds: JSON.parse(rest.subarray(4, 4 + n).toString('utf8')) as string[], code: rest.subarray(4 + n) };
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a rename), so a command starting meanwhile reads the old file or the new one. */
function writeCache(path: string, digest: Buffer, kinds: readonly string[], code: Buffer): void {
  const tmp = `${path}.${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const names = Buffer.from(JSON.stringify(kinds));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(names.length);
    const rest = Buffer.concat([length, names, code]);
    writeFileSync(tmp, Buffer.concat([digest, sha256(rest), rest]), { mode: 0o600 });
    renameSync(tmp, path);
    forgetUnused(dirname(path), path);
  } catch {
    // A cache folder we cannot write: every start compiles, as it did before.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // No folder to have written it in.
    }
  }
}

/** Cache files of other checkouts or Node versions that no start has read for UNUSED_FOR. */
function forgetUnused(folder: string, own: string): void {
  for (const f of readdirSync(folder)) {
    const p = join(folder, f);
    if (p !== own && /^cli-.*\.v8$/.test(f) && Date.now() - statSync(p).atimeMs > UNUSED_FOR) rmSync(p, { force: true });
  }
}
