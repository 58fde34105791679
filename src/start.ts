#!/usr/bin/env node
// dist/cli.js: runs the command line (src/cli.ts, bundled as one classic script in dist/cli.cjs
// by build/cli-bundle.mjs, the era modules in it) from V8's code cache. Node 20 compiles every
// ES module anew on each start (module.enableCompileCache() came in Node 22): compiling and
// linking the CLI's modules and the era modules was about 70 ms of a 260 ms `run`
// (docs/performance.md, start-up). The cache is the code V8 compiled in an earlier run, kept in
// the user's cache folder under the bundle's SHA-256 and the Node version: V8 itself checks only
// the source's length and its own flags, so a cache is used only for the very text it was made
// from. Without a cache folder it can write, or with MMUTT_NO_CODE_CACHE=1, the bundle is
// compiled as any script is; the output is the same.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { VERSION } from './version.js';

// `--version` needs nothing else, not even the bundle (yargs in it prints the same).
if (process.argv.length === 3 && process.argv[2] === '--version') process.stdout.write(`${VERSION}\n`);
else start(fileURLToPath(new URL('./cli.cjs', import.meta.url)));

function start(file: string): void {
  const source = readFileSync(file);
  const digest = createHash('sha256').update(source).digest();
  const folder = cacheFolder();
  const cacheFile = folder && join(folder, `cli-${process.version}-${process.arch}.v8`);
  const kept = cacheFile ? readCache(cacheFile, digest) : undefined;
  // The bundle is a function, as CommonJS wraps a module's code; its import() of an era file or
  // esbuild comes back here (era/load.ts, importModule): a script run from a code cache has no
  // module to resolve from.
  const script = new Script(source.toString('utf8'), { filename: file, cachedData: kept });
  (globalThis as { mmuttImport?: (s: string) => Promise<unknown> }).mmuttImport = (s) => import(s);
  if (cacheFile && (kept === undefined || script.cachedDataRejected)) {
    // Made at exit, once the code the command ran has been compiled too: the next start finds it.
    process.once('exit', () => writeCache(cacheFile, digest, script.createCachedData()));
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
}

/** $XDG_CACHE_HOME/mmutt, or ~/.cache/mmutt: a relative XDG_CACHE_HOME is ignored, as the XDG spec says (it would put a cache in whatever folder mmutt runs from). */
function cacheFolder(): string | null {
  if (process.env.MMUTT_NO_CODE_CACHE) return null;
  const xdg = process.env.XDG_CACHE_HOME;
  try {
    return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'mmutt');
  } catch {
    return null; // no home folder
  }
}

/** The cached code, if the file holds the code of this very bundle (its SHA-256 first). */
function readCache(path: string, digest: Buffer): Buffer | undefined {
  try {
    const data = readFileSync(path);
    return data.subarray(0, digest.length).equals(digest) ? data.subarray(digest.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a rename), so a command starting meanwhile reads the old file or the new one. */
function writeCache(path: string, digest: Buffer, code: Buffer): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}`;
    writeFileSync(tmp, Buffer.concat([digest, code]), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A cache folder we cannot write: every start compiles, as it did before.
  }
}
