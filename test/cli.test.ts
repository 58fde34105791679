// The command line as a user meets it: exit codes, messages without stack traces,
// byte-identical output, and the JSON contract (docs/output.md). Runs the built dist/cli.js.
import { COUNTER_NAMES } from '../src/contract/output.js';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWidth } from './width.js';
import { ERAS } from './registry.js';
import { catalogNames } from '../src/scenario/catalog.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const mmutt = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('mmutt CLI', () => {
  it('run --format json --era all: one mmutt/run@1 object per era, every counter present', () => {
    const r = mmutt('run', 'ksm-merge', '--era', 'all', '--format', 'json');
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.out);
    expect(docs).toHaveLength(ERAS.length);
    for (const d of docs) {
      expect(d.schema).toBe('mmutt/run@1');
      expect(d.mode).toBe('canonical');
      expect(d.scenario.name).toBe('ksm-merge');
      expect(d.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(d.era).sort()).toEqual(['commits', 'id', 'releases']);
      expect(Object.keys(d.outcomes[0].counters)).toEqual([...COUNTER_NAMES]);
      expect(d.outcomes[0].violations).toEqual([]);
    }
  });

  it('run --era X --format json prints one object; --kernel picks the era', () => {
    const one = JSON.parse(mmutt('run', 'ksm-merge', '--era', 'post-369ea8242c0f', '--format', 'json').out);
    expect(one.era.id).toBe('post-369ea8242c0f');
    const k = JSON.parse(mmutt('run', 'ksm-merge', '--kernel', 'v4.19', '--format', 'json').out);
    expect([k.era.id, k.era.release, k.era.in]).toEqual(['v4.19', 'v4.19', 'post-369ea8242c0f']);
    expect(JSON.parse(mmutt('run', 'ksm-merge', '--kernel', 'v3.2', '--format', 'json').out).era.in).toBe('pre-6bdb913f0a70');
  });

  it('keeps text output within 80 columns (a commit reference stands whole on its line)', () => {
    for (const args of [['matrix'], ['run', 'ksm-merge'], ['list'], ['diff', 'ksm-merge', 'pre-6bdb913f0a70', 'post-aa85986e7150'], ['run', 'ksm-merge', '--explore'], ['matrix', '--explore']]) {
      expectWidth(mmutt(...args).out, 80);
    }
  });

  it('diff names the first diverging step, opens with its tier, and exits 1 only when the result changed', () => {
    const d = mmutt('diff', 'ksm-merge', 'pre-6bdb913f0a70', 'post-6bdb913f0a70');
    expect(d.code).toBe(0);
    // The first line says what changed: a same verdict is not an unchanged result.
    expect(d.out).toMatch(/^Same verdict; changed: [^]*?kvm\.spte_zap,\s+kvm\.spte_change[^]*?\nmmutt \S+ \(history [0-9a-f]{12}\)\ndiff: /);
    expect(d.out).toContain('Traces diverge at step 8:');
    expect(d.out).toContain('8 ksmd kvm_mmu_notifier_invalidate_range_start');
    const changed = mmutt('diff', 'madv-free-then-guest-write', 'post-6bdb913f0a70', 'post-369ea8242c0f');
    expect(changed.code).toBe(1);
    expect(changed.out.split('\n')[0]).toMatch(/^!!! Result changed; changed: /);
    const same = mmutt('diff', 'ksm-merge', 'post-369ea8242c0f', 'post-369ea8242c0f');
    expect(same.code).toBe(0);
    expect(same.out).toContain('Traces: identical');
  });

  it('matrix DIR runs the .mmu files of a folder of your own, not the catalog', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmutt-mine-'));
    for (const n of ['ksm-merge', 'reclaim-then-guest-read']) copyFileSync(join(__dirname, '..', 'scenarios', `${n}.mmu`), join(dir, `${n}.mmu`));
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario\n');
    const r = mmutt('matrix', dir);
    expect(r.code, r.err).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^\S+(\s+[A-Z-]!?\*?){5}$/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['ksm-merge', 'reclaim-then-guest-read']);
    // pre-6bdb913f0a70's releases do not all give its result: `*`, and its bands are listed.
    expect(rows[0]).toMatch(/^ksm-merge\s+A\*\s+B\s+B\s+C\s+D$/);
    expect(r.out).toMatch(/^ {4}E1 by release: v2\.6\.32\.\.v2\.6\.35 A, /m);
    const empty = mkdtempSync(join(tmpdir(), 'mmutt-empty-'));
    expect(mmutt('matrix', empty).code).toBe(2);
  });

  it('matrix counts the scenarios it ran in words: 1 scenario, 2 scenarios', () => {
    const one = mkdtempSync(join(tmpdir(), 'mmutt-one-'));
    copyFileSync(join(__dirname, '..', 'scenarios', 'ksm-merge.mmu'), join(one, 'ksm-merge.mmu'));
    const two = mkdtempSync(join(tmpdir(), 'mmutt-two-'));
    for (const n of ['ksm-merge', 'age-guest-hot']) copyFileSync(join(__dirname, '..', 'scenarios', `${n}.mmu`), join(two, `${n}.mmu`));
    const eras = `${ERAS.length} eras`;
    expect(mmutt('matrix', one).out).toMatch(new RegExp(`^matrix: 1 scenario x ${eras}, canonical schedule$`, 'm'));
    expect(mmutt('matrix', two).out).toMatch(new RegExp(`^matrix: 2 scenarios x ${eras}, canonical schedule$`, 'm'));
    expect(mmutt('matrix', one, '--explore').out).toMatch(new RegExp(`^matrix --explore: 1 scenario x ${eras}, every interleaving$`, 'm'));
    expect(mmutt('matrix', one, '--releases').out).toMatch(/^matrix --releases: 1 scenario x \d+ releases\n\(\d+ distinct rule sets\), canonical schedule$/m);
  });

  it('diff --explore: the tier, both verdict lines, the outcomes and windows only one era has; exit 1 when the result changed', () => {
    const d = mmutt('diff', '--explore', 'madv-free-then-guest-write', 'post-6bdb913f0a70', 'post-369ea8242c0f');
    expect(d.code).toBe(1);
    expect(d.out.split('\n')[0]).toBe('!!! Result changed; changed: verdict, outcomes, path counts, windows,');
    expect(d.out.split('\n')[1]).toBe('  notifier.invalidate_range_start, notifier.invalidate_range_end,');
    expect(d.out).toMatch(/^A:\n {2}Observation madv-free-then-guest-write Sometimes \d+ \d+\n {2}\d+ outcomes, \d+ paths\n {2}harms: lost-write \(\d+ paths\)$/m);
    expect(d.out).toMatch(/^B:\n {2}Observation madv-free-then-guest-write Always \d+ 0\n {2}\d+ outcomes, \d+ paths\n {2}harms: none\n {2}windows: none$/m);
    expect(d.out).toMatch(/^Outcomes only in A \(paths\):\n(?: {2}.*\n| {6}.*\n)*? {2}\d+: vcpu1:r0=0x0; .*\n {6}.*harm: lost-write;$/m);
    expect(d.out).toMatch(/^Windows only in A:\n(?: {2}.*\n)* {2}spte gfn 0x100, opened by kswapd try_to_unmap_one$/m);
    expect(d.out).not.toContain('Windows only in B:');
    const same = mmutt('diff', '--explore', 'ksm-merge', 'post-369ea8242c0f', 'post-369ea8242c0f');
    expect(same.code).toBe(0);
    expect(same.out.split('\n')[0]).toBe('Exact output match');
    expect(same.out).toMatch(/^Outcomes: the same \d+ outcomes? in both, with the same path counts$/m);
    const json = JSON.parse(mmutt('diff', '--explore', 'madv-free-then-guest-write', 'post-6bdb913f0a70', 'post-369ea8242c0f', '--format', 'json').out);
    expect([json.mode, json.tier, json.verdicts.map((v: { verdict: string }) => v.verdict)]).toEqual(['explore', 'changed', ['Sometimes', 'Always']]);
  });

  it('diff --explore: least counters that differ are a changed result, named and shown (a reviewer found "Exact output match" here)', () => {
    const d = mmutt('diff', '--explore', 'exit-releases-guest', 'post-369ea8242c0f', 'rfc-2024-03-folio-dirty');
    expect(d.out.split('\n')[0]).toBe('Same verdict; changed: kvm.folio_mark_dirty');
    expect(d.out).toMatch(/^Outcomes in both with other least counters \(A \/ B\):\n {2}vcpu0:r0=0xcc;.*\n(?: {6}.*\n)* {4}kvm\.folio_mark_dirty 2 \/ 0$/m);
    const json = JSON.parse(mmutt('diff', '--explore', 'exit-releases-guest', 'post-369ea8242c0f', 'rfc-2024-03-folio-dirty', '--format', 'json').out);
    expect([json.tier, json.changed, json.outcomes.both[0].counters]).toEqual(['same-verdict', ['kvm.folio_mark_dirty'], { 'kvm.folio_mark_dirty': [2, 0] }]);
  });

  it('explored bands that print alike say what differs (least counters here)', () => {
    const out = mmutt('run', 'fault-races-invalidation', '--explore', '--era', 'pre-6bdb913f0a70').out;
    const blocks = out.slice(out.indexOf('Across the era')).split(/^ {2}[a-z]:$/m).slice(1);
    expect(blocks.length).toBeGreaterThan(1);
    const printed = blocks.map((b) => b.split('     as ')[0]);
    // Two blocks alike as summarised: the second says how it differs.
    const twin = printed.findIndex((b, i) => printed.indexOf(b) !== i);
    expect(twin).toBeGreaterThan(0);
    expect(blocks[twin]).toMatch(/^ {5}as a, but:\n {7}vcpu0:r0=0x0; .*least counters\n {9}kvm\.folio_mark_accessed 1 \(a: 0\)$/m);
  });

  it("a proposal cited or diffed beside its base: the base at the release the proposal applies to, and the band that holds it named (cite compared v4.13 with v6.9)", () => {
    const cite = mmutt('cite', 'madv-free-then-guest-write', '--era', 'post-369ea8242c0f', '--era', 'rfc-2024-03-folio-dirty').out.replace(/\s+/g, ' ');
    expect(cite).toContain('A = post-369ea8242c0f, v4.13..v6.9 (the result shown: v5.11..v6.9, the rules of v6.9, the release rfc-2024-03-folio-dirty applies to):');
    expect(cite).toMatch(/notifier\.clear_flush_young 2 2 /);
    const diff = mmutt('diff', 'madv-free-then-guest-write', 'post-369ea8242c0f', 'rfc-2024-03-folio-dirty').out.replace(/\s+/g, ' ');
    expect(diff).toContain('A = post-369ea8242c0f (v4.13..v6.9; compared: v5.11..v6.9, the rules of v6.9)');
    // The band compared is marked, run or explored.
    expect(cite).toContain('v5.11..v6.9 b (the result shown)');
    const explored = mmutt('cite', 'madv-free-then-guest-write', '--era', 'post-369ea8242c0f', '--era', 'rfc-2024-03-folio-dirty', '--explore').out;
    expect(explored).toMatch(/^ {2}v6\.8\.\.v6\.9 +[a-z] {2}\(the result shown\)$/m);
  });

  it('diff --explore of searches a limit stopped claims nothing past what they found (it said --reduce and listed least counters)', () => {
    const d = mmutt('diff', '--explore', join(__dirname, '..', 'bench', 'scenarios', 'three-thread-race.mmu'), 'v6.12', 'v6.13', '--max-states', '2000');
    expect(d.code).toBe(3);
    expect(d.out.split('\n')[0]).toBe('!!! Incomplete: a search was stopped');
    expect(d.out).not.toContain('--reduce');
    expect(d.out).not.toContain('least counters');
    expect(d.out).toMatch(/^Outcomes: the same \d+ outcomes in both so far \(a search was stopped: paths not counted\)$/m);
  });

  it('matrix --explore lists a harm found in any band of an era, and marks a stopped cell with one (T!)', () => {
    const full = mmutt('matrix', '--explore').out;
    // post-6bdb913f0a70 runs v3.7, where the driver's callback runs outside the PTL; from v3.19 it does not.
    expect(full).toContain('  ksm-merge-sleeping-driver in post-6bdb913f0a70, v3.19..v4.12: sleep-in-atomic');
    // Bands whose cells read alike say what tells them apart.
    expect(full).toMatch(/exit-releases-guest E1 by release: v2\.6\.32\.\.v2\.6\.35 A 1\/0, v2\.6\.36\.\.v3\.6 A 1\/0\s+\(other least counters\)/);
    const stopped = mmutt('matrix', '--explore', '--max-states', '500').out;
    expect(stopped).toMatch(/^ {2}madv-free-no-ad-bits in post-6bdb913f0a70, v4\.1[0-2]: lost-write$/m);
    expect(stopped).toMatch(/v4\.10 T! \(\d+ states\)/);
  });

  it('diff --help offers only the formats diff accepts', () => {
    const help = mmutt('diff', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--format +output format +\[choices: "text", "json"\]/);
    for (const format of ['markdown', 'html']) expect(mmutt('diff', 'ksm-merge', 'pre-6bdb913f0a70', 'post-aa85986e7150', '--format', format).code).toBe(2);
  });

  it('run --era all: each era without the legend, then the eras side by side, then the legend once', () => {
    for (const explore of [false, true]) {
      const r = mmutt('run', 'ksm-merge', '--era', 'all', ...(explore ? ['--explore'] : ['--no-trace']));
      expect(r.code).toBe(0);
      expect(r.out.match(/^scenario ksm-merge /gm)).toHaveLength(ERAS.length);
      expect(r.out.match(/^Simplifications /gm)).toHaveLength(1);
      const side = explore ? 'Side by side (every interleaving):' : 'Side by side:';
      const [eras, tail] = r.out.split(`\n${side}\n`) as [string, string];
      expect(tail, side).toBeDefined();
      expect(eras).not.toContain('Simplifications');
      // The summary names every era, and the legend follows it: nothing else after.
      const [summary, legend] = tail.split('\nSimplifications ') as [string, string];
      for (const e of ERAS) expect(summary).toContain(e.id);
      if (!explore) expect(summary).toMatch(new RegExp(`^ {30,}${ERAS.map((_, i) => `${String.fromCharCode(65 + i)}\\*?`).join(' +')}$`, 'm'));
      else expect(summary.match(/^ {4}Observation ksm-merge \w+ \d+ \d+$/gm)).toHaveLength(ERAS.length);
      expect(legend).not.toMatch(/^(mmutt|Side by side)/m);
    }
  });

  it('run --explore --format markdown: the text report as tables, every outcome with its paths per era, harms, windows (it printed one matrix cell)', () => {
    const r = mmutt('run', 'madv-free-then-guest-write', '--explore', '--era', 'all', '--format', 'markdown');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('matrix');
    expect(r.out).toMatch(/^## madv-free-then-guest-write \(explored\)$/m);
    // pre-6bdb913f0a70 has no MADV_FREE: it says so once, in the verdict's row.
    expect(r.out).toMatch(/^\| verdict \(P N\) \| not in this era: MADV_FREE arrived in v4\.5 .* \| Sometimes \d+ \d+ \| Always \d+ 0 \| Always \d+ 0 \| Always \d+ 0 \|$/m);
    expect(r.out).toMatch(/^\| `vcpu1:r0=0x0; .*harm: lost-write;` \| – \| \d+ paths \| – \| – \| – \|$/m);
    expect(r.out).toMatch(/^\| harms \| – \| \*\*lost-write\*\* \(\d+ paths\) \| none \| none \| none \|$/m);
    expect(r.out).toMatch(/^\| windows \| – \| spte gfn 0x100, opened by .* \| none \| none \| none \|$/m);
    expect(r.out).toMatch(/^\| search \| – \| complete \| complete \| complete \| complete \|$/m);
  });

  it('matrix --explore --format markdown: a verdict with its path counts per era, the harms in bold, the windows', () => {
    const r = mmutt('matrix', '--explore', '--format', 'markdown');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^# mmutt \S+ \(history [0-9a-f]{12}\) matrix --explore$/);
    expect(lines[2]).toBe(`| scenario | ${ERAS.map((e) => `\`${e.id}\``).join(' | ')} |`);
    expect(lines[3]).toBe(`| --- | ${ERAS.map(() => '---').join(' | ')} |`);
    const rows = lines.filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| scenario'));
    expect(rows.map((l) => l.split(' | ')[0]!.slice(2))).toEqual(catalogNames());
    for (const row of rows) expect(row.split(' | ')).toHaveLength(ERAS.length + 1);
    const madv = rows.find((l) => l.startsWith('| madv-free-then-guest-write |'))!.split(' | ');
    expect(madv[ERAS.findIndex((e) => e.id === 'post-6bdb913f0a70') + 1]).toMatch(/^Sometimes \d+\/\d+ \*\*lost-write\*\* \(\d+ windows\)( \*)?$/);
    expect(madv[ERAS.findIndex((e) => e.id === 'post-369ea8242c0f') + 1]).toMatch(/^Always \d+\/0( \*)?$/);
    expect(r.out).toContain("A verdict with its positive/negative path counts, as herd7's Observation line;");
  });

  it('list names every era with its releases and commits, and the catalog', () => {
    const r = mmutt('list');
    expect(r.code).toBe(0);
    expect(r.out).toContain('pre-6bdb913f0a70          v2.6.32..v3.6');
    expect(r.out).toContain('6bdb913f0a70 ("mm: wrap calls to set_pte_at_notify with');
    expect(r.out).toContain('ksm-merge');
  });

  it('check --judge holds the catalog to its expect and result lines, and counts what it judged', () => {
    const r = mmutt('check', '--judge', join(__dirname, '..', 'scenarios'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ksm-merge\.mmu: ok \(\d+ expectations and 5 results hold\)/);
    const judged = Number(new RegExp(`^judged (\\d+) in ${catalogNames().length} files: all hold$`, 'm').exec(r.out)![1]);
    expect(judged).toBeGreaterThan(200);
  });

  it('check --judge: a failed expect or result says what it saw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmutt-'));
    const f = join(dir, 'mf.mmu');
    const text = readFileSync(join(__dirname, '..', 'scenarios', 'madv-free-then-guest-write.mmu'), 'utf8')
      .replace('result post-369ea8242c0f: Always', 'result post-369ea8242c0f: Never')
      .replace('expect post-369ea8242c0f: vcpu1:r0 = 0xbb', 'expect post-369ea8242c0f: vcpu1:r0 = 0xcc');
    writeFileSync(f, text);
    const r = mmutt('check', '--judge', f);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/mf\.mmu:\d+:1: expect post-369ea8242c0f: vcpu1:r0 = 0xcc \/\\ lost-write = 0: FAILED \((?:in \S+ )?saw vcpu1:r0 = 0xbb, lost-write = 0[;)]/);
    expect(r.out).toMatch(/mf\.mmu:\d+:1: result post-369ea8242c0f: Never: FAILED \(saw Always \d+ 0[;)]/);
    expect(r.out).toMatch(/^judged 8 in 1 file: 2 FAILED$/m);
  });

  it('--explore: herd7-style verdict; a limit gives an explicit Timeout verdict and exit 3', () => {
    const ok = mmutt('run', 'fault-races-invalidation', '--era', 'post-369ea8242c0f', '--explore');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Observation fault-races-invalidation Sometimes \d+ \d+$/m);
    expect(ok.out).toMatch(/^Hash=[0-9a-f]{32}$/m);
    expect(ok.out).not.toMatch(/Time /); // timings only with --stats
    const cut = mmutt('run', 'ksm-merge', '--era', 'post-369ea8242c0f', '--explore', '--max-states', '500', '--format', 'json');
    expect(cut.code).toBe(3);
    const d = JSON.parse(cut.out);
    expect(d.mode).toBe('explore');
    expect(d.complete).toBe(false);
    expect(d.stopped).toBe('max-states');
  });

  it('--explore --reduce: no report shows a path count, and each says its verdict counts outcomes', () => {
    const json = JSON.parse(mmutt('run', 'madv-free-then-guest-write', '--era', 'post-6bdb913f0a70', '--explore', '--reduce', '--format', 'json').out);
    expect(json.reduced).toBe(true);
    expect(json.outcomes.length).toBe(5);
    expect(json.outcomes.every((o: object) => !('paths' in o))).toBe(true);
    expect([json.positive, json.negative]).toEqual([3, 2]);
    const text = mmutt('run', 'madv-free-then-guest-write', '--era', 'post-6bdb913f0a70', '--explore', '--reduce').out;
    expect(text).toMatch(/^Observation madv-free-then-guest-write Sometimes 3 2$/m);
    expect(text).toMatch(/^Reduced \(--reduce, persistent and sleep sets\)/m);
    expect(text).not.toMatch(/paths?:/);
    const diff = mmutt('diff', '--explore', '--reduce', 'madv-free-then-guest-write', 'post-6bdb913f0a70', 'post-369ea8242c0f');
    expect(diff.code).toBe(1);
    expect(diff.out).toMatch(/^Outcomes only in A:$/m);
    expect(diff.out).toMatch(/5 outcomes \(--reduce: the verdict counts outcomes, not paths\)/);
    const same = mmutt('diff', '--explore', '--reduce', 'ksm-merge', 'post-6bdb913f0a70', 'post-369ea8242c0f', '--format', 'json');
    const d = JSON.parse(same.out);
    expect(d.tier).toBe('same-outcome'); // not exact: no path counts to compare
    expect(d.outcomes.both.every((o: object) => !('paths' in o))).toBe(true);
    const cut = mmutt('run', 'ksm-merge', '--era', 'post-6bdb913f0a70', '--explore', '--reduce', '--max-states', '300');
    expect(cut.code).toBe(3);
    expect(cut.out).toMatch(/^Reduced \(--reduce, persistent and sleep sets\): the states are those of the/m); // a stopped search found what it found, no more
    const cite = mmutt('cite', 'ksm-merge', '--era', 'post-6bdb913f0a70', '--explore', '--reduce').out;
    expect(cite).toMatch(/the verdict counts outcomes, not paths/);
    expect(cite).toMatch(/--explore --reduce$/m);
  });

  it('every report that prints a ~ path count says in words that it is approximate', () => {
    // Four vCPUs reading six times each: 24!/(6!)^4 (about 2.3e12) interleavings of the
    // reads alone, and more with the faults, past 2^53 in every era; each era has its own count.
    const dir = mkdtempSync(join(tmpdir(), 'mmutt-many-'));
    const f = join(dir, 'many-paths.mmu');
    const threads = [0, 1, 2, 3].map((i) => `vcpu${i} { ${Array(6).fill(`r${i} = read(gfn 0x10${i})`).join('; ')} }`);
    writeFileSync(
      f,
      ['mmutt many-paths', '"Four vCPUs read their own page six times."', '{', '  proc qemu: vma 0x7f0000000000 +4 anon private rw',
        ...[0, 1, 2, 3].map((i) => `  mem qemu:0x7f000000${i}000 = 0xa${i + 1}`), '  vm slot0: gfn 0x100 +4 -> qemu:0x7f0000000000', '}',
        ...threads, 'observe vcpu0:r0, vcpu1:r1, vcpu2:r2, vcpu3:r3', 'exists (vcpu0:r0 = 0xa1)', 'result post-aa85986e7150: Never', ''].join('\n'),
    );
    const [a, b] = ['post-369ea8242c0f', 'post-aa85986e7150'];
    const run = mmutt('run', f, '--explore').out;
    const reports = {
      'run, one era': run.split('\nmmutt ')[0]!,
      'run --era all, side by side': run.split('Side by side (every interleaving):')[1]!,
      cite: mmutt('cite', f, '--era', a, '--era', b, '--explore').out,
      diff: mmutt('diff', '--explore', f, a, b).out,
      'matrix markdown': mmutt('matrix', dir, '--explore', '--format', 'markdown').out,
      'matrix html': mmutt('matrix', dir, '--explore', '--format', 'html').out,
      'check --judge': mmutt('check', '--judge', f).out,
    };
    for (const [name, out] of Object.entries(reports)) {
      expect(out, name).toMatch(/~\d\.\de\d+/);
      expect(out, name).toContain('Path counts shown with ~ passed 2^53 and are approximate.');
    }
    expect(reports.cite).toMatch(/^ {2}Observation many-paths Always ~\d\.\de\d+ 0$/m);
    expect(reports['check --judge']).toMatch(/: result post-aa85986e7150: Never: FAILED \(saw Always ~\d\.\de\d+ 0\)/);
  });

  it('a witness token replays to the same outcome, and its JSON says which schedule ran', () => {
    const x = JSON.parse(mmutt('run', 'madv-free-then-guest-write', '--era', 'post-6bdb913f0a70', '--explore', '--witness', '--format', 'json').out);
    const lost = x.outcomes.find((o: { violations: string[] }) => o.violations.includes('lost-write'));
    const r = JSON.parse(mmutt('run', 'madv-free-then-guest-write', '--era', 'post-6bdb913f0a70', '--replay', lost.witness, '--format', 'json').out);
    expect(r.outcomes[0].observations).toEqual(lost.observations);
    expect(r.outcomes[0].violations).toEqual(lost.violations);
    expect([r.mode, r.replay]).toEqual(['replay', { token: lost.witness }]);
    // The canonical run says so, and carries no token.
    const c = JSON.parse(mmutt('run', 'madv-free-then-guest-write', '--era', 'post-6bdb913f0a70', '--format', 'json').out);
    expect([c.mode, c.replay]).toEqual(['canonical', undefined]);
  });

  it('bad input: exit 2, file:line:col, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmutt-'));
    const bad = join(dir, 'bad.mmu');
    writeFileSync(bad, 'mmutt bad "x"\n{\n  proc a: vma 0x1000 +1\n}\nt { frob(1) }\n');
    const r = mmutt('run', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^mmutt: ${bad.replace(/[.]/g, '\\.')}:5:5: unknown operation \`frob\`: expected one of read, write, `));
    for (const args of [['run', 'nope'], ['run', 'ksm-merge', '--era', 'v9'], ['run', 'ksm-merge', '--kernel', 'v2.6.20'], ['frobnicate'], ['run', 'ksm-merge', '--format', 'xml']]) {
      const x = mmutt(...args);
      expect(x.code, args.join(' ')).toBe(2);
      expect(x.err, args.join(' ')).toMatch(/^mmutt: |Invalid values|Unknown argument/);
      expect(x.err).not.toMatch(/\n\s+at /);
    }
    // An exploration option without an exploration would be dropped without a word.
    for (const [args, msg] of [
      [['run', 'ksm-merge', '--witness'], '--witness: only with --explore'],
      [['matrix', '--reduce', '--max-states', '5'], '--reduce, --max-states: only with --explore'],
      [['check', 'scenarios', '--timeout', '3'], '--timeout: only with --judge'],
    ] as const) {
      const x = mmutt(...args);
      expect(x.code, args.join(' ')).toBe(2);
      expect(x.err).toBe(`mmutt: ${msg}\n`);
    }
    const binary = join(dir, 'bin.mmu');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    const b = mmutt('check', binary);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/bin\.mmu:1:1: unexpected control character U\+007F: expected text \(is this a binary file\?\)/);
  });
});
