// `mmutt export --promela` checked by SPIN itself, not assumed: for every catalog scenario under
// every rule set it meets (every mainline release, the named eras, the proposals; models that
// differ only in their words are checked once), pan stores exactly the states mmutt's explorer
// does and prints exactly its set of outcomes (observations, harms, condition, deadlock), and
// stops with an assertion exactly when an outcome has a harm. A trail pan writes replays in
// mmutt (run --trail) to the harm it found.
//
// pan is compiled with tcc when Debian's tcc is installed (30 times faster to compile than gcc
// for these models, and the C is the same), with -DCOLLAPSE (lossless: no state is lost to a
// hash collision); a few models are also built as bench/spin/build.sh builds its `hc4_64`
// (gcc -O2, hash compaction with pan's 64-bit hash) to show that route gives the same count.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type ExploredOutcome } from '../src/contract/output.js';
import type { Era } from '../src/contract/era.js';
import type { Scenario } from '../src/contract/scenario.js';
import { VIOLATION_BIT } from '../src/engine/state.js';
import { inWords } from '../src/era/vocabulary.js';
import { exploreScenario, exportPromela } from '../src/runner/run.js';
import { Session } from '../src/runner/session.js';

const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const SPIN = onPath('spin');
const TCC = onPath('tcc');
const GCC = onPath('gcc');
const have = SPIN && (TCC || GCC);
const why = have ? '' : ` (skipped: ${SPIN ? 'no C compiler' : 'spin is not installed'}; apt-get install spin tcc)`;
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const ASKED = { version: 'test', scenario: 'SCENARIO', era: '--era ERA' };
const work = mkdtempSync(join(tmpdir(), 'mmutt-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run a command in a folder: its output, or a failure naming what ran. */
function sh(cwd: string, cmd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const p = spawn(cmd, args, { cwd });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`${cmd} ${args.join(' ')} in ${cwd}: exit ${code}\n${out.slice(0, 2000)}`))));
  });
}

/** pan's verdict on a model: states stored, the outcome lines of the final states, errors. */
async function pan(dir: string, text: string, build: 'tcc-collapse' | 'gcc-hc4-64', stopAtHarm = false) {
  writeFileSync(join(dir, 'model.pml'), text);
  await sh(dir, 'spin', ['-o2', '-a', 'model.pml']);
  const vector = /-DVECTORSZ=(\d+)/.exec(text)![1]!;
  if (build === 'tcc-collapse') await sh(dir, TCC ? 'tcc' : 'gcc', [...(TCC ? [] : ['-O0']), '-DSAFETY', '-DNOREDUCE', '-DCOLLAPSE', '-DPRINTF', `-DVECTORSZ=${vector}`, '-o', 'pan', 'pan.c']);
  else {
    // As bench/spin/build.sh: pan.c patched to hash to 64 bits at any -w.
    const c = readFileSync(join(dir, 'pan.c'), 'utf8').replace('if (ssize <= 32)\t/* 6.2.0 */', 'if (0)\t/* patched: always the 64-bit hash */');
    if (!c.includes('patched: always the 64-bit hash')) throw new Error('the patch of pan.c for 64-bit hash compaction did not apply');
    writeFileSync(join(dir, 'pan64.c'), c);
    await sh(dir, 'gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-DHC4', '-DPRINTF', `-DVECTORSZ=${vector}`, '-o', 'pan', 'pan64.c']);
  }
  // -c0: go on past a harm (the end check's assertions), counting them as errors; the states are the same.
  const out = await sh(dir, './pan', [stopAtHarm ? '-c1' : '-c0', '-m1000000', '-w18']);
  return {
    states: Number(/(\d+) states, stored/.exec(out)?.[1] ?? -1),
    errors: Number(/errors: (\d+)/.exec(out)?.[1] ?? -1),
    depthTooSmall: out.includes('max search depth too small'),
    outcomes: [...new Set(out.split('\n').filter((l) => l.startsWith('mmutt outcome: ')))].sort(),
  };
}

/** An outcome of the explorer as the export's end check prints it. */
function line(o: ExploredOutcome, era: Era): string {
  const obs = Object.entries(o.observations).map(([label, v]) => `${inWords(era.words, label)}=${v}`);
  const harms = o.violations.reduce((b, v) => b | VIOLATION_BIT[v], 0);
  return `mmutt outcome: ${[...obs, `harms=${harms}`, ...(o.condition === undefined ? [] : [`condition=${o.condition ? 1 : 0}`]), `deadlock=${o.deadlock ? 1 : 0}`].join(' ')}`;
}

/** Each catalog scenario's models under every rule set, once per model that differs in more than words. */
async function models(): Promise<{ scenario: Scenario; era: Era; text: string }[]> {
  const S = await Session.open([], () => undefined);
  const eras = [...S.eras, ...S.registry.proposals.map((p) => S.era(p.id)), ...S.registry.releases.map((r) => S.era(r))];
  const out: { scenario: Scenario; era: Era; text: string }[] = [];
  const seen = new Set<string>();
  for (const scenario of S.catalog())
    for (const era of eras) {
      let text: string;
      try {
        text = exportPromela(scenario, era, ASKED);
      } catch (e) {
        if (/cannot run at/.test((e as Error).message)) continue;
        throw e;
      }
      // Words (comments, the outcome line's labels, `page_` or `folio_`) change no state.
      const key = `${scenario.name}\n${text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/printf\("[^"]*"/, 'printf(').replace(/\b(page|folio)_/g, 'frame_')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ scenario, era, text });
    }
  return out;
}

describe('export --promela, checked by SPIN', () => {
  it.skipIf(!have)(`every catalog scenario under every rule set: pan stores the explorer's states and reaches its outcomes and harms${why}`, async () => {
    const all = await models();
    // 22 scenarios, each under several rule sets.
    expect(all.length).toBeGreaterThan(200);
    const wrong: string[] = [];
    let next = 0;
    let states = 0;
    const worker = async (w: number) => {
      const dir = mkdtempSync(join(work, `w${w}-`));
      while (next < all.length) {
        const { scenario, era, text } = all[next++]!;
        const x = exploreScenario(scenario, era, DEFAULT_LIMITS, false).exploration!;
        const want = [...new Set(x.outcomes.map((o) => line(o, era)))].sort();
        const harmed = x.outcomes.some((o) => o.violations.length > 0);
        const got = await pan(dir, text, 'tcc-collapse');
        states += x.states;
        const at = `${scenario.name} at ${era.id}`;
        if (got.depthTooSmall) wrong.push(`${at}: pan's search depth is too small`);
        if (got.states !== x.states) wrong.push(`${at}: pan stores ${got.states} states, mmutt ${x.states}`);
        if (JSON.stringify(got.outcomes) !== JSON.stringify(want)) wrong.push(`${at}: outcomes differ\n  pan:   ${got.outcomes.join('\n         ')}\n  mmutt: ${want.join('\n         ')}`);
        if (got.errors > 0 !== harmed) wrong.push(`${at}: pan finds ${got.errors} harmed final states, mmutt ${harmed ? 'a harm' : 'no harm'}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, (_, w) => worker(w)));
    expect(wrong).toEqual([]);
    expect(states).toBeGreaterThan(400_000);
  }, 900_000);

  it.skipIf(!have || !GCC)(`built as bench/spin/build.sh builds hc4_64 (gcc -O2, 64-bit hash compaction), the same counts${why}`, async () => {
    const S = await Session.open([], () => undefined);
    for (const [name, release] of [
      ['ksm-merge', 'v5.9'],
      ['fault-races-invalidation', 'v6.13'],
      ['madv-free-no-ad-bits', 'v4.5'],
    ] as const) {
      const scenario = S.scenario(name);
      const era = S.era(release);
      const x = exploreScenario(scenario, era, DEFAULT_LIMITS, false).exploration!;
      const got = await pan(mkdtempSync(join(work, 'hc-')), exportPromela(scenario, era, ASKED), 'gcc-hc4-64');
      expect({ name, states: got.states, outcomes: got.outcomes.length }).toEqual({ name, states: x.states, outcomes: new Set(x.outcomes.map((o) => line(o, era))).size });
    }
  }, 300_000);

  it.skipIf(!have)(`a harm pan finds comes back as mmutt's trace: run --trail${why}`, async () => {
    const dir = mkdtempSync(join(work, 'trail-'));
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
    const model = cli('export', 'madv-free-no-ad-bits', '--promela', '--kernel', 'v4.12');
    expect(model.status).toBe(0);
    const got = await pan(dir, model.stdout, 'tcc-collapse', true);
    expect(got.errors).toBe(1);
    expect(existsSync(join(dir, 'model.pml.trail'))).toBe(true);
    const run = cli('run', 'madv-free-no-ad-bits', '--kernel', 'v4.12', '--trail', 'model.pml.trail');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/Trace \(the schedule of replay token [0-9a-f]{8}:[0-9.*]+\)/);
    expect(run.stdout).toMatch(/^Violations: lost-write$/m);
    // The token replays alone.
    const token = /replay token ([0-9a-f]{8}:[0-9.*]+)/.exec(run.stdout)![1]!;
    expect(cli('run', 'madv-free-no-ad-bits', '--kernel', 'v4.12', '--replay', token).stdout).toBe(run.stdout);
    // The model beside the trail names its scenario and release: a trail of another is refused.
    const other = cli('run', 'ksm-merge', '--kernel', 'v4.12', '--trail', 'model.pml.trail');
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/^mmutt: model\.pml\.trail is a trail of madv-free-no-ad-bits \(scenario sha256 [0-9a-f]{12}, says model\.pml\), not of ksm-merge/);
    const release = cli('run', 'madv-free-no-ad-bits', '--kernel', 'v4.11', '--trail', 'model.pml.trail');
    expect(release.status).toBe(2);
    expect(release.stderr).toMatch(/is a trail of the model exported at v4\.12 .*give --kernel v4\.12/);
    // Without the model beside it, the trail still replays, and a note says what was not checked.
    const alone = mkdtempSync(join(work, 'alone-'));
    writeFileSync(join(alone, 'x.trail'), readFileSync(join(dir, 'model.pml.trail')));
    const r = spawnSync(process.execPath, [CLI, 'run', 'madv-free-no-ad-bits', '--kernel', 'v4.12', '--trail', 'x.trail'], { encoding: 'utf8', cwd: alone });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^mmutt: note: no model x beside the trail: not checked that the trail is of madv-free-no-ad-bits at v4\.12/);
    // A trail cut before its final state would be finished by the canonical schedule: refused.
    const lines = readFileSync(join(dir, 'model.pml.trail'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'cut.pml.trail'), `${lines.slice(0, 6).join('\n')}\n`);
    writeFileSync(join(dir, 'cut.pml'), model.stdout);
    const cut = cli('run', 'madv-free-no-ad-bits', '--kernel', 'v4.12', '--trail', 'cut.pml.trail');
    expect(cut.status).toBe(2);
    expect(cut.stderr).toMatch(/^mmutt: cut\.pml\.trail:\d+:1: the trail stops before a final state/);
    // A multi-core pan's trail starts mid-search: refused, saying how to get one that replays.
    writeFileSync(join(dir, 'model.pml.cpu1_trail'), readFileSync(join(dir, 'model.pml.trail')));
    expect(cli('run', 'madv-free-no-ad-bits', '--kernel', 'v4.12', '--trail', 'model.pml.cpu1_trail').stderr).toMatch(/is a trail of multi-core pan/);
  }, 120_000);

  it('a step longer than SPIN takes in one d_step is refused at export, naming the step (exit 2), not written as a model spin rejects', () => {
    const r = spawnSync(process.execPath, [CLI, 'export', join(__dirname, 'fixtures', 'zap-40-guest-pages.mmu'), '--promela', '--kernel', 'v6.13'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mmutt: cannot export zap-40-guest-pages at v6\.13: qemu's step 1 \(kvm_mmu_notifier_invalidate_range_start\) is too long for SPIN: about 2067 statements in one d_step/);
  });

  it.skipIf(!have)(`threads named like the model's own names (S_..., folio_..., outcome) are renamed: spin accepts the model${why}`, async () => {
    const dir = mkdtempSync(join(work, 'names-'));
    const names = ['S_kvm_mmu_lock', 'folio_flags', 'outcome'];
    writeFileSync(
      join(dir, 'names.mmu'),
      `mmutt names\n"threads named like the model's identifiers"\n{\n  proc qemu: vma 0x7f0000000000 +1 anon private rw\n  mem qemu:0x7f0000000000 = 0xaa\n  vm slot0: gfn 0x100 +1 -> qemu:0x7f0000000000\n}\n${names.map((n) => `${n} { age(qemu:0x7f0000000000) }`).join('\n')}\nvcpu0 { r0 = read(gfn 0x100) }\n`,
    );
    const model = spawnSync(process.execPath, [CLI, 'export', 'names.mmu', '--promela', '--kernel', 'v6.13'], { encoding: 'utf8', cwd: dir });
    expect(model.stderr).toBe('');
    const got = await pan(dir, model.stdout, 'tcc-collapse');
    const x = spawnSync(process.execPath, [CLI, 'run', 'names.mmu', '--kernel', 'v6.13', '--explore', '--stats', '--no-trace'], { encoding: 'utf8', cwd: dir });
    expect(got.states).toBe(Number(/^States (\d+)/m.exec(x.stdout)![1]));
  }, 60_000);

  it('a trail that is not one: file:line:col and exit 2', () => {
    const dir = mkdtempSync(join(work, 'bad-'));
    writeFileSync(join(dir, 'x.trail'), '-4:-4:-4\n1:0:11\nnonsense\n');
    const r = spawnSync(process.execPath, [CLI, 'run', 'ksm-merge', '--kernel', 'v6.13', '--trail', 'x.trail'], { encoding: 'utf8', cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mmutt: x\.trail:3:1: expected a line of a SPIN trail, DEPTH:PROCESS:TRANSITION/);
    writeFileSync(join(dir, 'y.trail'), '1:0:11\n2:7:3\n');
    const r2 = spawnSync(process.execPath, [CLI, 'run', 'ksm-merge', '--kernel', 'v6.13', '--trail', 'y.trail'], { encoding: 'utf8', cwd: dir });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/y\.trail:2:3: process 7 is not in the model of ksm-merge: its export has processes 0 to 3/);
  });
});
