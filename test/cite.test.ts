// What goes into a review mail reproduces anywhere and fits the mail: cite (also explored,
// also inlined), bisect and diff at 72 columns with commit references whole; a scenario or an
// era of the reader's own carried in the block; a catalog name that never silently shadows a
// file of the same name.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario, parseWhere } from '../src/scenario/catalog.js';
import { ERAS, getEra, registry } from './registry.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { bisectOutput } from '../src/report/bisect.js';
import { citeText } from '../src/report/cite.js';
import { diffExplored, diffRuns, diffText, exploreDiffText } from '../src/report/diff.js';
import { exploreScenario, runScenario } from '../src/runner/run.js';
import { bisectReleases } from '../src/runner/releases.js';
import { wrapScenario } from '../src/scenario/wrap.js';
import { expectWidth } from './width.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const mmutt = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The shell command (with its `\\` continuations) on the first `$ mmutt` line after `head`, as arguments. */
function commandAfter(block: string, head: RegExp): string[] {
  const from = block.slice(block.search(head));
  const m = /^\s+\$ mmutt ((?:.* \\\n)*.*)/m.exec(from)!;
  return m[1]!.replace(/ \\\n\s+/g, ' ').trim().split(' ');
}

/** The files a cite block asks the reader to save, and its Reproduce command. */
function unpack(block: string): { files: Record<string, string>; command: string[] } {
  const files: Record<string, string> = {};
  for (const m of block.matchAll(/\n(?:Scenario|Era file) \(save as ([^)]+)\):\n((?: {2}.*\n|\n)*?)(?=\n\S|$)/g)) {
    files[m[1]!] = `${m[2]!.replace(/\n+$/, '').split('\n').map((l) => l.slice(2)).join('\n')}\n`;
  }
  return { files, command: commandAfter(block, /^Reproduce/m) };
}

describe('cite', () => {
  it('a scenario and an era of your own: no local path in the block, both carried, the command reproduces it byte for byte elsewhere', () => {
    const here = mkdtempSync(join(tmpdir(), 'mmutt-cite-a-'));
    mkdirSync(join(here, 'deep', 'er'), { recursive: true });
    copyFileSync(join(__dirname, '..', 'scenarios', 'madv-free-then-guest-write.mmu'), join(here, 'deep', 'er', 'mine.mmu'));
    copyFileSync(join(__dirname, 'fixtures', 'aging-flush.era.ts'), join(here, 'deep', 'er', 'flush.ts'));
    const args = ['cite', 'deep/er/mine.mmu', '--era', 'post-369ea8242c0f', '--era', 'test-aging-flush', '--era-file', 'deep/er/flush.ts', '--explore', '--max-states', '200000'];
    const a = mmutt(here, ...args);
    expect(a.code, a.err).toBe(0);
    expect(a.out).not.toMatch(/deep|mine|flush\.ts|\/tmp\//);
    expectWidth(a.out, 72);
    const { files, command } = unpack(a.out);
    expect(Object.keys(files).sort()).toEqual(['madv-free-then-guest-write.mmu', 'test-aging-flush.mjs']);
    expect(command).toEqual(['cite', 'madv-free-then-guest-write.mmu', '--era', 'post-369ea8242c0f', '--era', 'test-aging-flush', '--explore', '--max-states', '200000', '--era-file', 'test-aging-flush.mjs']);
    const there = mkdtempSync(join(tmpdir(), 'mmutt-cite-b-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(there, name), text);
    const b = mmutt(there, ...command);
    expect(b.err).toBe('');
    expect(b.out).toBe(a.out);
  });

  it('--explore: each era gives herd7\'s verdict line, harms, windows, and a replay command that shows the harm', () => {
    const r = mmutt(tmpdir(), 'cite', 'madv-free-then-guest-write', '--era', 'post-6bdb913f0a70', '--era', 'post-369ea8242c0f', '--explore');
    expect(r.code).toBe(0);
    expectWidth(r.out, 72);
    expect(r.out).toMatch(/^ {2}Observation madv-free-then-guest-write Sometimes \d+ \d+$/m);
    expect(r.out).toMatch(/^ {2}Observation madv-free-then-guest-write Always \d+ 0$/m);
    expect(r.out).toMatch(/^ {2}harms: lost-write \(\d+ paths\)$/m);
    expect(r.out).toMatch(/^ {2}window: spte gfn 0x100, opened by kswapd try_to_unmap_one$/m);
    const shown = mmutt(tmpdir(), ...commandAfter(r.out, /harm lost-write, replay:/));
    expect(shown.out).toMatch(/VIOLATION lost-write/);
    expect(shown.out).toMatch(/^Trace \(the schedule of replay token [0-9a-f]{8}:[\d.*]+\):$/m);
  });

  it("a verdict line too long for the mail keeps herd7's words on one line and its counts on the next; run keeps the one line", () => {
    const eras = ['post-6bdb913f0a70', 'post-369ea8242c0f'];
    const cite = mmutt(tmpdir(), 'cite', 'madv-free-guest-untouched', ...eras.flatMap((e) => ['--era', e]), '--explore');
    const diff = mmutt(tmpdir(), 'diff', '--explore', 'madv-free-guest-untouched', ...eras);
    for (const out of [cite.out, diff.out]) {
      expectWidth(out, 72);
      // Each era's own verdict line that does not fit is split, herd7's words first (the eras'
      // bands, further in, likewise).
      const split = out.match(/^( +)Observation madv-free-guest-untouched Sometimes\n\1  Positive: \d+ Negative: \d+$/gm) ?? [];
      expect(split.length).toBeGreaterThanOrEqual(1);
      expect(out.match(/^ +Observation madv-free-guest-untouched Sometimes$/gm)).toHaveLength(split.length);
    }
    for (const era of eras) {
      expect(mmutt(tmpdir(), 'run', 'madv-free-guest-untouched', '--era', era, '--explore').out).toMatch(/^Observation madv-free-guest-untouched Sometimes \d+ \d+$/m);
    }
  });

  it('a proposal names its base and its posting, and no release range', () => {
    const r = mmutt(tmpdir(), 'cite', 'madv-free-then-guest-write', '--era', 'post-369ea8242c0f', '--era', 'rfc-2024-03-folio-dirty');
    expect(r.out).toContain('B = rfc-2024-03-folio-dirty, proposal on post-369ea8242c0f, at v6.9:');
    expect(r.out).toMatch(/posted 19 Mar 2024: "\[RFC PATCH 0\/4\] KVM: x86\/mmu: Rework marking\n\s+folios dirty\/accessed"/);
    expect(r.out).toContain('Message-ID <20240320005024.3216282-1-seanjc@google.com>');
    expect(r.out).not.toMatch(/rfc-2024-03-folio-dirty, v\d/);
  });

  it('a catalog name never silently shadows ./NAME.mmu: a note says which one ran', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmutt-shadow-'));
    copyFileSync(join(__dirname, '..', 'scenarios', 'ksm-merge.mmu'), join(dir, 'ksm-merge.mmu'));
    copyFileSync(join(__dirname, '..', 'scenarios', 'ksm-merge.mmu'), join(dir, 'mine.mmu'));
    const a = mmutt(dir, 'run', 'ksm-merge', '--era', 'post-aa85986e7150');
    expect(a.err).toBe('mmutt: note: `ksm-merge` is the catalog scenario scenarios/ksm-merge.mmu; ./ksm-merge.mmu was not run (name the file to run it)\n');
    const b = mmutt(dir, 'run', 'mine', '--era', 'post-aa85986e7150');
    expect(b.code).toBe(0);
    expect(b.err).toBe('mmutt: note: `mine` is not in the catalog: running ./mine.mmu\n');
  });
});

describe('72 columns for what goes into a mail, over the whole catalog', () => {
  it.each(catalogNames())('%s: cite, cite --inline, cite --explore, bisect, diff, diff --explore', async (name) => {
    const s = loadScenario(name);
    const runs = ERAS.map((e) => runScenario(s, e));
    const scenarioText = wrapScenario(s.text, 70);
    expectWidth(citeText(runs, null, { inline: false, options: [], eraFiles: [], scenarioText }), 72);
    expectWidth(citeText(runs, null, { inline: true, options: [], eraFiles: [], scenarioText }), 72);
    expectWidth(citeText([runs[0]!, runs[runs.length - 1]!], null, { inline: true, options: [], eraFiles: [getEra('rfc-2024-03-folio-dirty')], scenarioText }), 72);
    const cond = parseWhere(s, 'kvm.fault > 1 \\/ notifier.invalidate_range_start > 0');
    expectWidth(bisectOutput(s, cond, await bisectReleases(s, cond, registry.timeline, ERAS, {}), 'text'), 72);
    for (let i = 1; i < ERAS.length; i++) expectWidth(diffText(diffRuns(runs[i - 1]!, runs[i]!)), 72);
    // Explored to the end, as the commands do by default: the longest path counts are those
    // of complete explorations (madv-free-guest-untouched passes 10^12).
    const explored = ERAS.map((e) => exploreScenario(s, e, DEFAULT_LIMITS, true));
    expectWidth(citeText(runs, explored, { inline: false, options: ['--explore'], eraFiles: [], scenarioText }), 72);
    for (let i = 1; i < ERAS.length; i++) expectWidth(exploreDiffText(diffExplored(explored[i - 1]!, explored[i]!)), 72);
  });
});
