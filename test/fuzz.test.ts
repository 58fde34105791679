// Fuzzed inputs: whatever a mail or a user can hand it (scenario text, files of any kind and
// size, option values, era files), mmutt answers with a result or a clean one-line error
// (`file:line:col: what was expected` where there is a place), never a crash, a hang or a
// runaway.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario, parseText } from '../src/scenario/catalog.js';
import { ScenarioError } from '../src/errors.js';
import { ERAS } from './registry.js';
import { runScenario } from '../src/runner/run.js';

const corpus = catalogNames().map((n) => loadScenario(n).text);
const JUNK = ['{', '}', '(', ')', ';', ',', '=', ':', '->', '+', '~', '/\\', '\\/', 'gfn', 'vma', 'proc', 'mem', 'vm', 'touched', 'exists', 'forall',
  'expect', 'observe', 'after', 'child of', 'ksm_merge(', 'read(', 'write(', 'r0 =', '0x', '0x7fffffff', '99999999999999999999999', '-1', '"', '(*', '*)',
  '//', '\u0000', '\u00e9', '\u{1f600}', '\ufeff', '\r\n', '\t', 'vcpu9', 'MADV_FREE', 'post-6bdb913f0a70:', 'lost-write', 'kvm.fault'];

/** One edit of a catalog text: delete, insert junk, duplicate or swap lines, truncate. */
const mutated = fc
  .tuple(
    fc.nat({ max: corpus.length - 1 }),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), junk: fc.constantFrom(...JUNK) }),
        fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([i, edits]) => {
    let t = corpus[i]!;
    for (const e of edits) {
      const at = t.length ? e.at % t.length : 0;
      if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
      else if (e.kind === 'insert') t = `${t.slice(0, at)} ${e.junk} ${t.slice(at)}`;
      else if (e.kind === 'dup') {
        const lines = t.split('\n');
        const k = at % lines.length;
        lines.splice(k, 0, lines[k]!);
        t = lines.join('\n');
      } else t = t.slice(0, at);
    }
    return t;
  });

const random = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.constant(''),
  fc.nat({ max: 20000 }).map((n) => `mmutt deep "d"\n{ proc p: vma 0x1000 +1 }\nexists ${'('.repeat(n)}kvm.fault = 1${')'.repeat(n)}\n`),
  fc.nat({ max: 20000 }).map((n) => `mmutt neg "d"\n{ proc p: vma 0x1000 +1 }\nexists ${'~'.repeat(n)}kvm.fault = 1\n`),
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map((n) => `mmutt big "d"\n{ proc p: vma ${n} +${n} ; mem p:${n} = ${n} }\n`),
);

/** The property: a result, or a ScenarioError naming a place inside the text. */
function check(text: string): 'ok' | 'error' {
  const started = performance.now();
  let s;
  try {
    s = parseText('fuzz.mmu', text);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = /^fuzz\.mmu:(\d+):(\d+): \S/.exec((e as Error).message);
    expect(m, (e as Error).message).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(text.split('\n').length + 1);
    expect(performance.now() - started).toBeLessThan(2000);
    return 'error';
  }
  // A text that parses runs: in one era (chosen by its length), canonically, with the
  // engine's own checks after every step.
  const r = runScenario(s, ERAS[text.length % ERAS.length]!);
  expect(r.outcome !== null || r.unavailable !== undefined).toBe(true);
  expect(performance.now() - started).toBeLessThan(5000);
  return 'ok';
}

describe('fuzzed scenario text', () => {
  const tally = { ok: 0, error: 0 };
  it('7,000 mutated catalog scenarios: a result or a clean file:line:col error', () => {
    fc.assert(fc.property(mutated, (t) => void tally[check(t)]++), { numRuns: 7000, seed: 20261124 });
    expect(tally.ok + tally.error).toBe(7000);
    expect(tally.ok).toBeGreaterThan(100); // the mutations do produce runnable scenarios
  });
  it('3,000 random texts (unicode, binary, empty, deep nesting, huge numbers): a clean error', () => {
    fc.assert(fc.property(random, (t) => void check(t)), { numRuns: 3000, seed: 20261124 });
  });
  it('through the CLI: exit 2, one line on stderr, no stack trace (40 fuzzed files)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmutt-fuzz-'));
    const cli = join(__dirname, '..', 'dist', 'cli.js');
    const samples = fc.sample(fc.oneof(mutated, random), { numRuns: 200, seed: 7 });
    let bad = 0;
    for (const [i, t] of samples.entries()) {
      let parses = true;
      try {
        parseText('x.mmu', t);
      } catch {
        parses = false;
      }
      if (parses || bad >= 40) continue;
      bad++;
      const f = join(dir, `f${i}.mmu`);
      writeFileSync(f, t);
      const r = spawnSync(process.execPath, [cli, 'check', f], { encoding: 'utf8', timeout: 10_000 });
      expect(r.status, t).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^mmutt: ${f.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: [^\\n]+\\n$`));
    }
    expect(bad).toBe(40);
  });
});

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
/** The contract for any input: exit 0, 2 or 3 (never 70, never a timeout), and an error is one line. */
function answers(r: ReturnType<typeof cli>, what: string): number {
  expect(r.error, what).toBeUndefined();
  expect([0, 2, 3], `${what}: ${r.stderr}`).toContain(r.status);
  if (r.status === 2) expect(r.stderr, what).toMatch(/^mmutt: [^\n]{1,600}\n$/);
  return r.status!;
}

describe('fuzzed files, options and era files, through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmutt-fuzz-files-'));
  it('24 files of every kind and size around the 1 MiB limit: a result or one line, at once', () => {
    execFileSync('mkfifo', [join(dir, 'fifo.mmu')]);
    symlinkSync('/dev/zero', join(dir, 'zero.mmu'));
    symlinkSync(join(dir, 'loop.mmu'), join(dir, 'loop.mmu'));
    const ok = readFileSync(join(__dirname, '..', 'scenarios', 'ksm-merge.mmu'), 'utf8');
    const sized = (n: number) => `${ok}\n//${'x'.repeat(Math.max(0, n - ok.length - 4))}\n`;
    const files: [string, string | null][] = [
      ['fifo.mmu', null], ['zero.mmu', null], ['loop.mmu', null], ['.', null], ['/dev/null', null], ['/proc/self/status', null],
      ['empty.mmu', ''], ['nul.mmu', '\0'.repeat(5000)], ['bom.mmu', `\ufeff${ok}`], ['crlf.mmu', ok.replace(/\n/g, '\r\n')],
      ['under.mmu', sized((1 << 20) - 10)], ['exact.mmu', sized(1 << 20)], ['over.mmu', sized((1 << 20) + 1)], ['far.mmu', sized(3 << 20)],
    ];
    for (const b of fc.sample(fc.uint8Array({ minLength: 1, maxLength: 4096 }), { numRuns: 10, seed: 11 }).entries()) files.push([`bin${b[0]}.mmu`, Buffer.from(b[1]).toString('latin1')]);
    const seen = new Set<number>();
    for (const [name, text] of files) {
      const path = name.startsWith('/') ? name : join(dir, name);
      if (text !== null) writeFileSync(path, text, 'latin1');
      seen.add(answers(cli(['run', path, '--era', 'post-aa85986e7150', '--no-trace']), name));
    }
    expect(files.length).toBe(24);
    expect(seen).toEqual(new Set([0, 2])); // the file under the limit runs; the rest are refused
  });

  it('30 random values of the numeric options: exit 0/3, or 2 naming the option and its range', () => {
    const value = fc.oneof(fc.integer({ min: -1e12, max: 1e12 }).map(String), fc.double({ noNaN: false }).map(String), fc.string({ maxLength: 12 }), fc.constantFrom('', '0', '1', '2', '1e3', '0x10', '-0', 'Infinity', ' 5', '64', '65'));
    const opt = fc.constantFrom('--max-states', '--timeout', '--max-memory', '--jobs');
    let refused = 0;
    for (const [o, v] of fc.sample(fc.tuple(opt, value), { numRuns: 30, seed: 5 })) {
      const r = cli(['run', 'fault-races-invalidation', '--era', 'post-aa85986e7150', '--explore', `${o}=${v}`]);
      if (answers(r, `${o}=${v}`) === 2) {
        refused++;
        expect(r.stderr).toMatch(new RegExp(`${o}( takes .* from \\S+ to \\S+, not | is given)|Not enough arguments`));
      }
    }
    expect(refused).toBeGreaterThan(5);
  });

  it('30 mutated era files: they load, or are refused in one line against the file', () => {
    const base = readFileSync(join(__dirname, 'fixtures', 'aging-flush.era.ts'), 'utf8');
    const edits = fc.array(
      fc.oneof(
        fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }) }),
        fc.record({ at: fc.nat(), put: fc.constantFrom('{', '}', ',', "'", 'x', 'throw 1;', 'null', '"kvm.nope"', '42', 'undefined', '[]') }),
      ),
      { minLength: 1, maxLength: 3 },
    );
    let loaded = 0;
    for (const [i, es] of fc.sample(edits, { numRuns: 30, seed: 3 }).entries()) {
      let t = base;
      for (const e of es) {
        const at = e.at % t.length;
        t = 'del' in e ? t.slice(0, at) + t.slice(at + e.del) : t.slice(0, at) + e.put + t.slice(at);
      }
      const f = join(dir, `era${i}.ts`);
      writeFileSync(f, t);
      const r = cli(['run', 'age-guest-hot', '--era', 'test-aging-flush', '--era-file', f, '--no-trace']);
      if (answers(r, t) === 0) loaded++;
      // Refused against the file, or the era loaded under another id than the one asked for.
      else expect(r.stderr).toMatch(new RegExp(`era${i}\\.ts|unknown era \`test-aging-flush\``));
    }
    expect(loaded).toBeLessThan(30);
  });
});
