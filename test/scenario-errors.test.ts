// Bad scenario text gets file:line:col and what was expected, never a crash.
import { describe, expect, it } from 'vitest';
import { ERAS } from './registry.js';
import { ScenarioError } from '../src/errors.js';
import { parseText } from '../src/scenario/catalog.js';

/** The punctuation a scenario has, as the lexer's message lists it. */
const PUNCTS = String.raw`/\ \/ -> != <= >= { } ( ) : ; , = < > + ~ . @`;

const GOOD = `mmutt t "d"
{
  proc qemu: vma 0x1000 +2 anon private rw mergeable
  proc other: vma 0x400000 +1 anon private rw mergeable
  mem qemu:0x1000 = 0xaa ; mem other:0x400000 = 0xaa
  vm slot0: gfn 0x100 +2 -> qemu:0x1000
  touched: vcpu0 read gfn 0x100
}
ksmd { ksm_merge(other:0x400000, qemu:0x1000) }
vcpu0 { r0 = read(gfn 0x100) }
observe vcpu0:r0
`;

function errorOf(text: string): string {
  try {
    parseText('t.mmu', text, ERAS.map((e) => e.id));
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario errors name file:line:col and what was expected', () => {
  it('accepts the base text', () => {
    expect(parseText('t.mmu', GOOD).name).toBe('t');
  });
  it('a character outside the BMP: its column counts characters, and it is named whole', () => {
    // "🎉" is one character, two UTF-16 units: the error's column and name say the character.
    expect(errorOf(GOOD.replace('mmutt t "d"', 'mmutt t "🎉🎉"').replace('observe vcpu0:r0', 'observe 🎉'))).toBe(`t.mmu:11:9: unexpected character U+1F389: expected a name, a number, a "string" or one of ${PUNCTS}`);
    expect(errorOf('mmutt t "🎉" { § }')).toBe(`t.mmu:1:15: unexpected character U+00A7: expected a name, a number, a "string" or one of ${PUNCTS}`);
  });
  it('empty file', () => {
    expect(errorOf('')).toBe('t.mmu:1:1: empty scenario: expected `mmutt <name>` on the first line');
  });
  it('truncated file', () => {
    expect(errorOf(GOOD.slice(0, GOOD.indexOf('vm slot0')))).toBe('t.mmu:6:3: unexpected end of file: expected `}` to close the initial state');
  });
  it('unknown operation', () => {
    expect(errorOf(GOOD.replace('r0 = read(gfn 0x100)', 'frobnicate(gfn 0x100)'))).toBe(
      't.mmu:10:9: unknown operation `frobnicate`: expected one of read, write, swap_in, ksm_merge, fork, exit, reclaim, migrate, writeback, madvise, munmap, mprotect, numa_hint, oom_reap, age, idle_age, test_young',
    );
  });
  it('bad number', () => {
    expect(errorOf(GOOD.replace('mem qemu:0x1000 = 0xaa', 'mem qemu:0x1000 = 0xzz'))).toBe(
      't.mmu:5:21: bad number `0x...`: expected a decimal or 0x-prefixed hex number',
    );
  });
  it('number out of range', () => {
    expect(errorOf(GOOD.replace('= 0xaa ;', '= 0xffffffffffffffffff ;'))).toBe('t.mmu:5:21: number 0xffffffffffffffffff is out of range: expected a value below 2^48');
  });
  it('undefined process', () => {
    expect(errorOf(GOOD.replace('ksm_merge(other:0x400000', 'ksm_merge(nobody:0x400000'))).toBe(
      't.mmu:9:18: undefined process `nobody`: expected one of qemu, other',
    );
  });
  it('gfn outside every memslot', () => {
    expect(errorOf(GOOD.replace('r0 = read(gfn 0x100)', 'r0 = read(gfn 0x900)'))).toBe('t.mmu:10:9: gfn 0x900 is outside every memslot');
  });
  it('duplicate thread', () => {
    expect(errorOf(GOOD.replace('observe', 'vcpu0 { r1 = read(gfn 0x101) }\nobserve'))).toBe('t.mmu:11:1: thread `vcpu0` is declared twice');
  });
  it('unknown era in expect', () => {
    expect(errorOf(`${GOOD}expect v9-era: kvm.fault = 1\n`)).toBe(
      't.mmu:12:8: unknown era `v9-era` in expect: expected one of pre-6bdb913f0a70, post-6bdb913f0a70, post-369ea8242c0f, post-change-pte-removal, post-aa85986e7150',
    );
  });
  it('guest access in a host thread', () => {
    expect(errorOf(GOOD.replace('ksmd { ksm_merge(other:0x400000, qemu:0x1000) }', 'other { write(gfn 0x100, 1) }'))).toBe(
      't.mmu:9:9: `gfn` accesses are guest accesses: expected them in a vCPU thread, not in `other`',
    );
  });
  it('merge of a page outside a mergeable vma', () => {
    expect(errorOf(GOOD.replace('proc other: vma 0x400000 +1 anon private rw mergeable', 'proc other: vma 0x400000 +1 anon private rw'))).toBe(
      't.mmu:9:18: other:0x400000 is not in a `mergeable` vma (madvise(MADV_MERGEABLE))',
    );
  });
  it('unterminated comment and stray characters', () => {
    expect(errorOf(`${GOOD}(* never closed`)).toBe('t.mmu:12:1: unterminated comment: expected `*)` before the end of the file');
    expect(errorOf(GOOD.replace('observe', '\u0001'))).toBe('t.mmu:11:1: unexpected control character U+0001: expected text (is this a binary file?)');
  });
  it('a mistyped closing keyword is named as one, not read as a thread; a byte order mark is not text', () => {
    expect(errorOf(GOOD.replace('observe', 'obsrve'))).toBe('t.mmu:11:1: unknown keyword `obsrve`: did you mean `observe`? (a thread is `NAME { ... }`)');
    // A mistyped quantifier, after the observe line or in its place, with or without its `~`.
    expect(errorOf(`${GOOD}exsits (vcpu0:r0 = 1)\n`)).toBe('t.mmu:12:1: unknown keyword `exsits`: did you mean `exists`?');
    expect(errorOf(`${GOOD}~exsits (vcpu0:r0 = 1)\n`)).toBe('t.mmu:12:2: unknown keyword `exsits`: did you mean `exists`?');
    expect(errorOf(GOOD.replace(/observe .*/, 'forral (vcpu0:r0 = 1)'))).toBe('t.mmu:11:1: unknown keyword `forral`: did you mean `forall`? (a thread is `NAME { ... }`)');
    expect(parseText('t.mmu', `\uFEFF${GOOD}`, ERAS.map((e) => e.id)).sha256).toBe(parseText('t.mmu', GOOD, ERAS.map((e) => e.id)).sha256);
    expect(errorOf(`\uFEFF${GOOD.replace('observe', '\u0001')}`)).toBe('t.mmu:11:1: unexpected control character U+0001: expected text (is this a binary file?)');
  });
  it('operations in the wrong kind of thread, or on the wrong memory', () => {
    const op = (line: string) => errorOf(GOOD.replace('ksmd { ksm_merge(other:0x400000, qemu:0x1000) }', line));
    expect(op('qemu { reclaim(qemu:0x1000) }')).toBe('t.mmu:9:8: reclaim is done by a kernel thread: expected it in one (for example `kswapd { ... }`), not in `qemu`');
    expect(op('kswapd { madvise(qemu:0x1000, 1, MADV_FREE) }')).toBe(
      't.mmu:9:18: madvise is done by a process on itself: expected it in a thread of a process (`kswapd` is a kernel thread)',
    );
    expect(op('qemu { munmap(0x1000, 1) }')).toBe('t.mmu:9:15: only whole vmas are modelled here: expected qemu:0x1000 and 2 pages');
    expect(op('qemu { madvise(0x1000, 1, MADV_COLD) }')).toBe('t.mmu:9:27: expected one of MADV_FREE, MADV_DONTNEED, found `MADV_COLD`');
    expect(op('qemu { fork(other) }')).toBe('t.mmu:9:8: fork needs a child declared as `proc other: child of qemu`');
    expect(op('flusher { writeback(qemu:0x1000) }')).toBe('t.mmu:9:21: writeback writes page-cache pages: expected an address in a `file` vma');
    expect(op('kswapd { age(0x1000) }')).toBe('t.mmu:9:14: a kernel thread names the process: expected `proc:address`');
    expect(op('qemu { r0 = madvise(0x1000, 1, MADV_FREE) }')).toBe('t.mmu:9:8: madvise gives no value: expected `madvise(...)` without `r0 =`');
  });
  it('a thread of a `child of` process that no thread forks', () => {
    const text = GOOD.replace('  touched:', '  proc kid: child of qemu\n  touched:').replace('observe', 'kid { r1 = read(0x1000) }\nobserve');
    expect(errorOf(text)).toBe('t.mmu:12:1: thread `kid` runs in `kid`, a fork child that no thread forks: expected `fork(kid)` in a thread of `qemu`');
    expect(parseText('t.mmu', text.replace('ksmd { ksm_merge(other:0x400000, qemu:0x1000) }', 'qemu { fork(kid) }')).name).toBe('t');
  });
  it('vma attributes that contradict each other', () => {
    expect(errorOf(GOOD.replace('proc qemu: vma 0x1000 +2 anon private rw mergeable', 'proc qemu: vma 0x1000 +2 anon file'))).toBe('t.mmu:3:33: a vma is `anon` or `file`, not both');
    expect(errorOf(GOOD.replace('proc qemu: vma 0x1000 +2 anon private rw mergeable', 'proc qemu: vma 0x1000 +2 file shared rw mergeable'))).toBe(
      't.mmu:3:43: KSM merges private anonymous memory only: `mergeable` needs `anon private`',
    );
  });
  it('register never set', () => {
    expect(errorOf(GOOD.replace('observe vcpu0:r0', 'observe vcpu0:r7'))).toBe('t.mmu:11:9: thread `vcpu0` never sets register `r7`');
  });
});
