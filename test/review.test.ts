// What a reviewer pastes into a thread: explain, cite, bisect, diff tiers, proposal overlays.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWidth } from './width.js';
import { catalogNames } from '../src/scenario/catalog.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const mmutt = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('for the review thread', () => {
  it('cite prints a block of at most 72 columns whose command prints it again, byte for byte', () => {
    const r = mmutt('cite', 'ksm-merge', '--era', 'pre-6bdb913f0a70', '--era', 'post-change-pte-removal');
    expect(r.code).toBe(0);
    expectWidth(r.out, 72);
    expect(r.out).toMatch(/^mmutt 0\.1\.0 \(history [0-9a-f]{12}\)\nscenario ksm-merge \(sha256 /);
    expect(r.out).toContain('828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")');
    expect(r.out).toContain('f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")');
    expect(r.out).toMatch(/kvm\.spte_change\s+2\s+0/);
    const cmd = r.out
      .split('Reproduce:\n')[1]!
      .replace(/ \\\n\s+/g, ' ')
      .split('\n')[0]!
      .trim()
      .replace(/^\$ mmutt /, '')
      .split(' ');
    expect(mmutt(...cmd).out).toBe(r.out);
    const inline = mmutt('cite', 'ksm-merge', '--era', 'post-aa85986e7150', '--inline');
    expect(inline.out).toContain('  mmutt ksm-merge\n');
  });

  it("bisect names the release where kvm.spte_change > 0 stops holding, and its commit", () => {
    const r = mmutt('bisect', 'ksm-merge', '--where', 'kvm.spte_change > 0');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/First flip:\nv3\.7 \(in era post-6bdb913f0a70\): holds -> does not hold/);
    expect(r.out).toContain('6bdb913f0a70 ("mm: wrap calls to set_pte_at_notify with');
    const bad = mmutt('bisect', 'ksm-merge', '--where', 'kvm.spte_change >');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^mmutt: --where:1:18: expected a number to compare with/);
  });

  it('explain shows what each step changed and cites the rule that fired', () => {
    const r = mmutt('explain', 'ksm-merge', '--era', 'pre-6bdb913f0a70');
    // v2.6.32 has no EPT A/D bits: the sPTE carries none.
    expect(r.out).toContain('spte gfn 0x100: pfn 0x11 W--h -> pfn 0x11 ----');
    expect(r.out).toContain('rule kvm.change_pte = "seq-bump-then-set-spte"');
    expect(r.out).toContain('source: arch/x86/kvm/mmu.c kvm_set_pte_rmapp (verified)');
    expectWidth(r.out, 80);
  });

  it('the RFC overlay changes when the folio is marked dirty: at sPTE creation, not at zap', () => {
    // The RFC was posted against v6.9: compare it with that release.
    const r = mmutt('diff', 'madv-free-then-guest-write', 'v6.9', 'rfc-2024-03-folio-dirty');
    expect(r.out).toMatch(/Traces diverge at step \d+:/);
    const [a, b] = r.out.split('  B rfc-2024-03-folio-dirty:');
    expect(a).toContain('folio 0x11 marked dirty by KVM'); // the zap marks it in the base era
    expect(b).not.toContain('marked dirty'); // the RFC's zap does not
    const explained = mmutt('explain', 'madv-free-then-guest-write', '--era', 'rfc-2024-03-folio-dirty').out;
    expect(explained).toMatch(/kvm_tdp_mmu_map[\s\S]*spte gfn 0x100 -> pfn 0x11 writable\n\s+folio 0x11 marked dirty by KVM/);
  });

  it('diff --all gives each scenario its tier and exits 1 when a result changed', () => {
    const same = mmutt('diff', '--all', 'post-369ea8242c0f', 'post-369ea8242c0f');
    expect(same.code).toBe(0);
    expect(same.out).toMatch(new RegExp(`^Exact output match: ${catalogNames().length}$`, 'm'));
    const changed = mmutt('diff', '--all', 'post-6bdb913f0a70', 'post-369ea8242c0f');
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(/^!!! Result changed\s+madv-free-then-guest-write: (?:.*\n {29})*.*violations/m);
  });

  it('an --era-file era explores in the worker threads like a built-in one', () => {
    const file = join(__dirname, 'fixtures', 'aging-flush.era.ts');
    const x = JSON.parse(mmutt('run', 'age-guest-hot', '--era', 'test-aging-flush', '--era-file', file, '--explore', '--format', 'json').out);
    expect(x.era.id).toBe('test-aging-flush');
    expect(x.complete).toBe(true);
    expect(x.outcomes.length).toBeGreaterThan(0);
  });

  it('--era-file: a module it imports by a relative path loads; a missing one is named whole; nothing is left in the temporary folder', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mmutt-tmp-'));
    const deep = join(tmp, 'a-folder-name-long-enough-that-a-cut-message-would-hide-it', 'and-one-more-level-of-it', 'eras');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'helper.mjs'), "export const flush = { value: true, why: 'kvm_mmu_notifier_clear_flush_young() flushes remote TLBs again.', cite: [{ file: 'virt/kvm/kvm_main.c', fn: 'kvm_mmu_notifier_clear_flush_young', status: 'recalled' }] };\n");
    writeFileSync(join(deep, 'aging.mjs'), "import { flush } from './helper.mjs';\nexport default ({ deriveEra, getEra }) => deriveEra(getEra('post-aa85986e7150'), { id: 'my-aging', title: 'aging flushes', commits: [], rules: { 'kvm.age.flush': flush } });\n");
    writeFileSync(join(deep, 'missing.mjs'), "import { x } from './not-here/helper.mjs';\nexport default () => x;\n");
    const own = join(tmp, 'own-tmp');
    mkdirSync(own);
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TMPDIR: own } });
    const ok = run('run', 'age-guest-hot', '--era', 'my-aging', '--era-file', join(deep, 'aging.mjs'));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const bad = run('run', 'age-guest-hot', '--era-file', join(deep, 'missing.mjs'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`mmutt: ${join(deep, 'missing.mjs')}:1:19: the era file does not compile: Could not resolve "./not-here/helper.mjs"\n`);
    // Run from another folder, a throw still points at the line of the file (the source map's paths are the module's own).
    writeFileSync(join(deep, 'throws.mjs'), "export default () => {\n  throw new Error('broken');\n};\n");
    const threw = spawnSync(process.execPath, [CLI, 'run', 'ksm-merge', '--era-file', join(deep, 'throws.mjs')], { encoding: 'utf8', cwd: own, env: { ...process.env, TMPDIR: own } });
    expect(threw.stderr).toBe(`mmutt: ${join(deep, 'throws.mjs')}:2:9: the era function threw: broken\n`);
    // A throw in a module it imports is that module's line.
    writeFileSync(join(deep, 'boom.mjs'), "export const boom = () => {\n  throw new Error('helper failure');\n};\n");
    writeFileSync(join(deep, 'calls.mjs'), "import { boom } from './boom.mjs';\nexport default () => boom();\n");
    const inHelper = spawnSync(process.execPath, [CLI, 'run', 'ksm-merge', '--era-file', join(deep, 'calls.mjs')], { encoding: 'utf8', cwd: own, env: { ...process.env, TMPDIR: own } });
    expect(inHelper.stderr).toBe(`mmutt: ${join(deep, 'boom.mjs')}:2:9: the era function threw: helper failure\n`);
    // In a folder whose name has a space, named from where mmutt runs: the helper's line, named
    // from there too (a reviewer's trial: no line at all, and the path absolute).
    const spaced = join(tmp, 'sp ace');
    mkdirSync(join(spaced, 'lib'), { recursive: true });
    writeFileSync(join(spaced, 'lib', 'boom.mjs'), "export const boom = () => {\n  throw new Error('helper failure');\n};\n");
    writeFileSync(join(spaced, 'calls.mjs'), "import { boom } from './lib/boom.mjs';\nexport default () => boom();\n");
    const fromSpaced = spawnSync(process.execPath, [CLI, 'run', 'ksm-merge', '--era-file', join('sp ace', 'calls.mjs')], { encoding: 'utf8', cwd: tmp, env: { ...process.env, TMPDIR: own } });
    expect(fromSpaced.stderr).toBe(`mmutt: ${join('sp ace', 'lib', 'boom.mjs')}:2:9: the era function threw: helper failure\n`);
    expect(readdirSync(own)).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('--era-file loads a TypeScript overlay; bad ones get a clear error', () => {
    const r = mmutt('diff', 'age-guest-hot', 'post-aa85986e7150', 'test-aging-flush', '--era-file', join(__dirname, 'fixtures', 'aging-flush.era.ts'));
    expect(r.err).toBe('');
    expect(r.out).toMatch(/kswapd1:r1\s+A 0x0\s+B 0x1/);
    // Relative: an error shortens a long path, and the clone may live anywhere.
    const bad = mmutt('run', 'ksm-merge', '--era-file', relative(process.cwd(), join(__dirname, 'fixtures', 'missing.mjs')));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^mmutt: cannot read era file .*missing\.mjs: no such file \(ENOENT\)\n$/);
  });
});
