// Fuzzed scenario text: whatever a mail can carry, mmutt answers with a result or a clean
// `file:line:col: what was expected` error, never a crash, a hang or a runaway.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario, parseText } from '../src/catalog.js';
import { ScenarioError } from '../src/errors.js';
import { ERAS } from '../src/eras.js';
import { runScenario } from '../src/runner.js';

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
