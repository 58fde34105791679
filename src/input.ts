// What a user hands mmutt: files (a scenario, an era module) and text quoted back in messages.
// Whatever it is (a directory, a FIFO, /dev/zero, a huge file, a 20 MB token), mmutt answers
// at once with one line and exit 2: it never blocks on it, reads it whole, or echoes it whole.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { UserError, quotePath } from './errors.js';

/**
 * The package's own folder: this module is src/input.ts in the sources (under vitest) or part of
 * a bundle in dist/, one level down either way. The catalog (scenarios/) and the era modules
 * (eras/ as sources, dist/eras/ built) are found from here.
 */
export const PACKAGE_ROOT = new URL('../', import.meta.url);
/** Running the bundle (dist/*.js, the CLI's dist/cli.cjs), or the TypeScript sources. */
export const BUILT = !import.meta.url.endsWith('.ts');

/** A scenario or an era file is small text; anything larger is a mistake. */
export const MAX_INPUT_BYTES = 1 << 20;

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a file could not be read, in words, with the system's code (`no such file (ENOENT)`). */
function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', ENOTDIR: 'a folder on its path is a file', ELOOP: 'too many symbolic links', ENAMETOOLONG: 'the name is too long' };
  return code ? (words[code] ? `${words[code]} (${code})` : code) : 'error';
}

/**
 * Read a regular file of at most MAX_INPUT_BYTES as UTF-8. The kind is checked before the file
 * is opened (opening a FIFO would block), and again on the open descriptor; at most one byte
 * past the limit is read, so a file that grows, or lies about its size, cannot run away.
 */
export function readInputFile(path: string, what: string): string {
  const shown = quotePath(path);
  const a = /^[aeiou]/.test(what) ? `an ${what}` : `a ${what}`;
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${shown}: ${errnoText(e)}`);
  }
  if (!st.isFile()) throw new UserError(`${shown} is ${kindOf(st)}: expected ${a} (a regular file)`);
  if (st.size > MAX_INPUT_BYTES) throw new UserError(`${shown} is ${st.size} bytes: ${a} is at most ${MAX_INPUT_BYTES} bytes (1 MiB)`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UserError(`cannot read ${what} ${shown}: ${errnoText(e)}`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UserError(`${shown} is not a regular file: expected ${a}`);
    return readBounded(fd, st.size, `${shown} is over ${MAX_INPUT_BYTES} bytes: ${a} is at most 1 MiB`);
  } finally {
    closeSync(fd);
  }
}

/** The standard input, as a file is read (at most 1 MiB): `what` says what it holds, for the message. */
export function readStandardInput(what: string): string {
  return readBounded(0, 4096, `the standard input is over ${MAX_INPUT_BYTES} bytes: ${what} is at most 1 MiB`);
}

/**
 * Everything left on a descriptor as UTF-8, at most MAX_INPUT_BYTES: the buffer starts with
 * room for what the file says it has and one byte more (to see it grow), and grows up to one
 * byte past the limit, so a small file does not cost a 1 MiB buffer and nothing runs away.
 */
function readBounded(fd: number, expected: number, tooBig: string): string {
  let buf = Buffer.allocUnsafe(Math.min(expected, MAX_INPUT_BYTES) + 1);
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      const more = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_INPUT_BYTES + 1));
      buf.copy(more, 0, 0, n);
      buf = more;
    }
    let got: number;
    try {
      got = readSync(fd, buf, n, buf.length - n, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // a non-blocking pipe with nothing yet
      if (code === 'EOF') break;
      throw new UserError(`cannot read ${fd === 0 ? 'the standard input' : 'the file'}: ${code ?? 'error'}`);
    }
    if (got === 0) break;
    n += got;
    if (n > MAX_INPUT_BYTES) throw new UserError(tooBig);
  }
  return buf.subarray(0, n).toString('utf8');
}

/** Is this path a directory? (false when it does not exist) */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The known name closest to a mistyped one (edit distance at most 3), for "did you mean". */
export function closest(name: string, known: readonly string[]): string | undefined {
  const dist = (a: string, b: string) => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length]!;
  };
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = dist(name.slice(0, 80), k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}
