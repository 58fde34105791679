// Whatever a user hands mmutt cannot hang, crash or flood it: a directory, a FIFO, a device or
// a huge file as the scenario; a 20 MB token; numeric options out of range; an --era-file with
// a typo, a bad value, no citation, a syntax error or a function that throws; SIGINT in the
// middle of an exploration. Each ends at once with one line on stderr and its exit code.
import { spawn, spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const RACE = join(__dirname, '..', 'bench', 'scenarios', 'three-thread-race.mmu');
const mmutt = (args: string[], cwd?: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, ...(cwd ? { cwd } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** One line on stderr, `mmutt: ...`, no stack trace, short. */
const oneLine = (err: string) => {
  expect(err).toMatch(/^mmutt: [^\n]+\n$/);
  expect(err.length).toBeLessThan(600);
  expect(err).not.toMatch(/\n\s+at /);
};
const dir = mkdtempSync(join(tmpdir(), 'mmutt-inputs-'));

describe('scenario files of every kind', () => {
  const fifo = join(dir, 'pipe.mmu');
  execFileSync('mkfifo', [fifo]);
  const big = join(dir, 'big.mmu');
  writeFileSync(big, `mmutt big "x"\n{ proc p: vma 0x1000 +1 }\n// ${'x'.repeat(1 << 20)}\n`);
  it.each([
    ['a directory', dir, /is a directory: expected a scenario file/],
    ['a FIFO (would block forever)', fifo, /is a FIFO: expected a scenario file/],
    ['/dev/zero (would grow without end)', '/dev/zero', /is a character device: expected a scenario file/],
    ['a file over 1 MiB', big, /is 104\d{4} bytes: a scenario file is at most 1048576 bytes \(1 MiB\)/],
    ['a file that does not exist', join(dir, 'nope.mmu'), /cannot read scenario file .*nope\.mmu: no such file \(ENOENT\)/],
  ])('%s: exit 2 at once, one line', (_, path, msg) => {
    const t0 = Date.now();
    // (`check` and `matrix` take a folder on purpose: it stands for the .mmu files in it.)
    for (const cmd of path === dir ? ['run', 'explain'] : ['run', 'check']) {
      const r = mmutt(cmd === 'explain' ? [cmd, path, '--era', 'post-aa85986e7150'] : [cmd, path]);
      expect(r.code).toBe(2);
      oneLine(r.err);
      expect(r.err).toMatch(msg);
    }
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe('messages quote at most ~80 characters of what they did not accept', () => {
  it.each([
    ['a 600,000-character name', `mmutt x "d" { proc ${'a'.repeat(600_000)}: vma 0x1000 +1 }\n`],
    ['a 900,000-character description, then a syntax error', `mmutt x "${'d '.repeat(450_000)}" junk\n`],
    ['an unknown operation', `mmutt x "d"\n{ proc p: vma 0x1000 +1 }\np { ${'frob'.repeat(15)}(1) }\n`],
  ])('%s', (_, text) => {
    const f = join(dir, 'long.mmu');
    writeFileSync(f, text);
    const r = mmutt(['run', f]);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(/long\.mmu:\d+:\d+: /);
    expect(r.err.length).toBeLessThan(400);
  });
  it('an unknown era, scenario or kernel named on the command line', () => {
    for (const args of [['run', 'ksm-merge', '--era', 'e'.repeat(5000)], ['run', 'x'.repeat(5000)], ['run', 'ksm-merge', '--kernel', 'v'.repeat(5000)]]) {
      const r = mmutt(args);
      expect(r.code).toBe(2);
      oneLine(r.err);
      expect(r.err).toMatch(/\(5000 characters\)/);
    }
  });
});

describe('numeric options are checked against their range', () => {
  it.each([
    [['--max-states', '-5'], /--max-states takes a whole number from 1 to 4000000000, not `-5`/],
    [['--max-states', 'abc'], /--max-states takes a whole number from 1 to 4000000000, not `abc`/],
    [['--max-states', '1.5'], /--max-states takes a whole number/],
    [['--timeout', '-1'], /--timeout takes a number from 0\.001 to 604800, not `-1`/],
    [['--timeout', 'NaN'], /--timeout takes a number/],
    [['--max-memory', '0'], /--max-memory takes a whole number from 1 to 1048576, not `0`/],
    [['--jobs', '0'], /--jobs takes a whole number from 1 to 64, not `0`/],
    [['--jobs', '1000'], /--jobs takes a whole number from 1 to 64, not `1000`/],
    [['--jobs', '1', '--jobs', '2'], /--jobs is given more than once/],
  ])('%j: exit 2 with the accepted range, not an unlimited run', (opts, msg) => {
    const r = mmutt(['run', 'ksm-merge', '--explore', ...opts]);
    expect(r.code).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(msg);
  });
});

describe('--era-file mistakes are reported against the file', () => {
  const era = (rules: string) => `export default ({ deriveEra, getEra }) =>
  deriveEra(getEra('post-aa85986e7150'), {
    id: 'my-era',
    title: 'a test overlay',
    commits: [],
    rules: {
${rules}
    },
  });
`;
  const cite = "cite: [{ file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_clear_flush_young', status: 'recalled' }]";
  it.each([
    ['an unknown rule name', 'typo.mjs', era(`      'kvm.age.flsh': { value: true, why: 'w', ${cite} },`), /typo\.mjs:7:7: unknown rule `kvm\.age\.flsh`: did you mean kvm\.age\.flush\?/],
    ['a value outside the rule type', 'value.mjs', era(`      'kvm.fault.retry': { value: 'sometimes', why: 'w', ${cite} },`), /value\.mjs:7:7: rule kvm\.fault\.retry: value "sometimes": expected one of 'in-progress-or-seq', 'in-range-or-seq', 'in-range-or-seq-before-gup', 'never'/],
    ['a missing citation', 'nocite.mjs', era(`      'kvm.age.flush': { value: true, why: 'w', cite: [] },`), /nocite\.mjs:7:7: rule kvm\.age\.flush: expected at least one citation/],
    ['a syntax error', 'syntax.mjs', era(`      'kvm.age.flush': { value: true why: 'w', ${cite} },`), /syntax\.mjs:7:38: the era file does not compile: Expected "}" but found "why"/],
    ['a syntax error in TypeScript', 'syntax.ts', `export default (api: any) => { const x: number = ; return x; };\n`, /syntax\.ts:1:50: the era file does not compile/],
    ['a function that throws', 'throws.mjs', `export default ({ getEra }) => {\n  getEra('post-aa85986e7150');\n  throw new Error('broken');\n};\n`, /throws\.mjs:3:9: the era function threw: broken/],
    ['an unknown base era', 'base.ts', `export default ({ deriveEra, getEra }: any) =>\n  deriveEra(getEra('post-nope'), { id: 'x', title: 'x', commits: [], rules: {} });\n`, /base\.ts:2:13: unknown era `post-nope`/],
    ['a bad commit reference', 'commit.mjs', era(`      'kvm.age.flush': { value: true, why: 'w', cite: [{ file: 'f', fn: 'g', status: 'verified', commit: 'abc' }] },`), /commit\.mjs:7:7: rule kvm\.age\.flush: a citation's `commit` is in the kernel form/],
  ])('%s', (_, name, text, msg) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    const r = mmutt(['run', 'ksm-merge', '--era-file', f]);
    expect(r.code, r.err).toBe(2);
    oneLine(r.err);
    expect(r.err).toMatch(msg);
  });
  it('an era file that is a directory or a FIFO', () => {
    const r = mmutt(['run', 'ksm-merge', '--era-file', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a directory: expected an era file/);
  });
});

describe('SIGINT during an exploration', () => {
  it('prints the partial statistics and an Interrupted verdict, and exits 130', async () => {
    const child = spawn(process.execPath, [CLI, 'run', RACE, '--era', 'post-aa85986e7150', '--explore'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(130);
    expect(err).toBe('');
    expect(out).toMatch(/^Observation three-thread-race Interrupted \d+ \d+$/m);
    expect(out).toMatch(/^Incomplete: interrupted \(SIGINT\) after \d+ states/m);
    expect(out).toMatch(/^States [1-9]\d* {2}Transitions \d+/m);
  });
});
