// npm run bench [-- --rounds N] [-- --only 1,4] [-- --scale]: the explorer's figures, and SPIN's on the same
// state machine when spin and gcc are installed (bench/spin/: a Promela port of
// bench/scenarios/three-thread-race.mmu that stores exactly the same states). Figures, not
// assertions: the machines are shared and noisy, so SPIN and mmutt run in alternation and the
// ratio is taken per pair (docs/performance.md records a run).
//
//   1. three-thread-race: states/s, bytes/state and real peak RSS, mmutt against pan_hc4_64
//   2. time to verdict from the model text: `mmutt run --explore` against spin -a + gcc + pan
//   3. the largest catalog explorations; wall time of matrix --explore and matrix --releases
//   4. --reduce (persistent and sleep sets) against the full search, and SPIN's POR on the
//      export: states, transitions and time per scenario
//   5. growth: threads x operations -> states, time, memory
//   6. (--scale) one exploration of over 10^8 states (bench/scenarios/scale.mmu)
//   7. start-up: each command against `node -e 0`, paired, as a ratio (targets: --version and
//      --help 2x, run of a catalog scenario 3x, matrix 4x)
//   8. the time-travel page (npm run site): its bundle's size, and the time from loading it
//      to the first result drawn, in headless Chromium (target < 1 s), when Chromium is installed
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, Session, exploreScenario } from '../dist/index.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1] === undefined || process.argv[i + 1].startsWith('--') ? true : process.argv[i + 1];
};
const ROUNDS = Number(arg('rounds', 3));
const ONLY = arg('only', null);
/** Section n runs (all by default; --only takes a comma-separated list). */
const want = (n) => !ONLY || String(ONLY).split(',').map(Number).includes(n);
const RACE = here('scenarios/three-thread-race.mmu');
const RACE_ERA = 'post-aa85986e7150';
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

/** One exploration in its own process (bench/explore-one.mjs). */
function explore(file, era, max, reduce = false) {
  const out = execFileSync(process.execPath, [here('explore-one.mjs'), file, era, String(max ?? 200_000_000), ...(reduce ? ['reduce'] : [])], { maxBuffer: 1 << 20 });
  return JSON.parse(out.toString());
}

/** Wall time of a command, in ms; with GNU time also its peak RSS (KiB). */
function timed(cmd, args, opts = {}) {
  const t = performance.now();
  const r = GNU_TIME ? spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', cmd, ...args], { ...opts, encoding: 'utf8' }) : spawnSync(cmd, args, { ...opts, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 3) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const m = /MAXRSS (\d+)/.exec(r.stderr ?? '');
  return { ms, stdout: r.stdout, rssKiB: m ? Number(m[1]) : null };
}

const session = await Session.open([], () => {});
const registry = session.registry;
console.log(`node ${process.version}, ${registry.released.length} eras, ${registry.releases.length} releases, rounds ${ROUNDS}`);

const cli = here('../dist/cli.js');
const spin = (want(1) || want(2)) && has('spin') && has('gcc');
let pan = null;
let panDir = null;
if (spin) {
  panDir = mkdtempSync(join(tmpdir(), 'mmutt-bench-pan-'));
  execFileSync('bash', [here('spin/build.sh'), panDir, 'hc4_64'], { stdio: 'ignore' });
  pan = join(panDir, 'pan_hc4_64');
}
const dir = mkdtempSync(join(tmpdir(), 'mmutt-bench-'));
const { writeFileSync } = await import('node:fs');
/** pan's own report: states stored, search seconds. */
function runPan() {
  const r = timed(pan, ['-w23'], { cwd: panDir });
  const states = Number(/(\d+) states, stored/.exec(r.stdout)[1]);
  const secs = Number(/pan: elapsed time ([\d.e+-]+) seconds/.exec(r.stdout)[1]);
  const mem = Number(/([\d.]+)\s+total actual memory usage/.exec(r.stdout)[1]);
  return { states, secs, rssKiB: r.rssKiB ?? mem * 1024, memMb: mem };
}
/**
 * pan built from `mmutt export --promela` of a scenario at an era, in a fresh folder under
 * `under`: gcc -O2 -DSAFETY with `flags`, on pan.c patched for the 64-bit hash when `hash64`
 * (as spin/build.sh). Its states stored, search seconds and state vector bytes.
 */
function panOnExport(file, era, { under, flags, hash64 = false, args }) {
  const d = mkdtempSync(join(under, 'export-'));
  writeFileSync(join(d, 'model.pml'), execFileSync(process.execPath, [cli, 'export', file, '--promela', '--era', era], { maxBuffer: 64 << 20 }));
  execFileSync('spin', ['-o2', '-a', 'model.pml'], { cwd: d, stdio: 'ignore' });
  if (hash64) writeFileSync(join(d, 'pan.c'), readFileSync(join(d, 'pan.c'), 'utf8').replace('if (ssize <= 32)\t/* 6.2.0 */', 'if (0)\t/* patched: always the 64-bit hash */'));
  const vector = /-DVECTORSZ=(\d+)/.exec(readFileSync(join(d, 'model.pml'), 'utf8'))[1];
  execFileSync('gcc', ['-O2', '-DSAFETY', ...flags, `-DVECTORSZ=${vector}`, '-o', 'pan', 'pan.c'], { cwd: d, stdio: 'ignore' });
  const out = execFileSync('./pan', args, { cwd: d, encoding: 'utf8', maxBuffer: 16 << 20 });
  return {
    states: Number(/(\d+) states, stored/.exec(out)[1]),
    secs: Number(/pan: elapsed time ([\d.e+-]+) seconds/.exec(out)?.[1] ?? NaN),
    vector: Number(/State-vector (\d+) byte/.exec(out)[1]),
  };
}
// ---- 1. three-thread-race against SPIN ----
if (want(1)) {
  const pairs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const m = explore(RACE, RACE_ERA);
    const p = spin ? runPan() : null;
    pairs.push({ m, p });
  }
  const m0 = pairs[0].m;
  const mSps = pairs.map(({ m }) => m.states / (m.ms / 1000));
  console.log(`\n1. three-thread-race, era ${RACE_ERA}: ${fmt(m0.states)} states, ${fmt(m0.transitions)} transitions${m0.complete ? '' : ' (INCOMPLETE)'}`);
  console.log('                          mmutt      pan_hc4_64');
  if (spin) {
    const p0 = pairs[0].p;
    if (p0.states !== m0.states) console.log(`  !! pan stored ${fmt(p0.states)} states, mmutt ${fmt(m0.states)}: the port is out of date (bench/spin/README.md)`);
    const pSps = pairs.map(({ p }) => p.states / p.secs);
    const ratio = pairs.map(({ m, p }) => m.states / (m.ms / 1000) / (p.states / p.secs));
    console.log(`states/s, median   ${fmt(median(mSps)).padStart(12)} ${fmt(median(pSps)).padStart(15)}`);
    console.log(`mmutt / pan_hc4_64, paired: median ${median(ratio).toFixed(2)} (rounds: ${ratio.map((r) => r.toFixed(2)).join(' ')})`);
    console.log(`bytes/state        ${(m0.bytes / m0.states).toFixed(1).padStart(12)} ${((p0.memMb * 1048576) / p0.states).toFixed(1).padStart(15)}   (mmutt: visited set + path counts; pan: its total)`);
    console.log(`peak RSS           ${mib(median(pairs.map(({ m }) => m.maxRssKiB))).padStart(12)} ${mib(median(pairs.map(({ p }) => p.rssKiB))).padStart(15)}`);
    // The generated model (mmutt export --promela) against the hand port: the same states.
    const x = panOnExport(RACE, RACE_ERA, { under: panDir, flags: ['-DNOREDUCE', '-DHC4'], hash64: true, args: ['-w23', '-m1000000'] });
    console.log(`export --promela   pan_hc4_64 on the generated model: ${fmt(x.states)} states${x.states === p0.states ? ', as the port' : ` !! the port stores ${fmt(p0.states)}`}, ${fmt(x.states / x.secs)} states/s (a ${x.vector}-byte vector of 32-bit slots; the port packs bytes)`);
  } else {
    console.log(`states/s, median   ${fmt(median(mSps)).padStart(12)}      (spin not installed)`);
    console.log(`bytes/state        ${(m0.bytes / m0.states).toFixed(1).padStart(12)}`);
    console.log(`peak RSS           ${mib(median(pairs.map(({ m }) => m.maxRssKiB))).padStart(12)}`);
  }

}

// ---- 2. time to verdict ----
if (want(2)) {
  const verdictArgs = ['run', RACE, '--explore', '--era', RACE_ERA, '--max-states', '100000000'];
  const jobsList = [1, 2];
  const walls = Object.fromEntries(jobsList.map((j) => [j, []]));
  const spinWalls = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const j of jobsList) walls[j].push(timed(process.execPath, [cli, ...verdictArgs, '--jobs', String(j)]).ms);
    if (spin) spinWalls.push(timed('bash', [here('spin/verdict.sh'), 'hc4_64']).ms);
  }
  console.log('\n2. time to verdict on three-thread-race, from the model text, median wall time');
  for (const j of jobsList) {
    const w = median(walls[j]);
    const speedup = j > 1 ? `   ${(median(walls[1]) / w).toFixed(2)}x faster than --jobs 1` : '';
    console.log(`mmutt run --explore --jobs ${j}   ${(w / 1000).toFixed(2).padStart(6)} s${spin ? `   ${(w / median(spinWalls)).toFixed(2)}x SPIN` : ''}${speedup}`);
  }
  if (spin) console.log(`SPIN verdict.sh hc4_64          ${(median(spinWalls) / 1000).toFixed(2).padStart(6)} s   (spin -a, gcc -O2, pan -w23)`);
  else console.log('SPIN: spin not installed');

}

// ---- 3. the catalog ----
if (want(3)) {
  const cases = [
    ['ksm-merge', 'post-369ea8242c0f'],
    ['fault-races-invalidation', 'pre-6bdb913f0a70'],
    ['madv-free-then-guest-write', 'post-6bdb913f0a70'],
  ];
  console.log(`\n${'3. catalog explorations (best of 3)'.padEnd(48)}   states   states/s  bytes/state`);
  for (const [name, era] of cases) {
    let best = null;
    for (let i = 0; i < 3; i++) {
      const x = explore(name, era);
      if (!best || x.ms < best.ms) best = x;
    }
    console.log(`${`${name} @ ${era}`.padEnd(56)} ${String(best.states).padStart(8)} ${fmt(best.states / (best.ms / 1000)).padStart(10)} ${(best.bytes / best.states).toFixed(1).padStart(12)}`);
  }
  const wall = (args) => median([0, 1, 2].map(() => timed(process.execPath, [cli, ...args]).ms));
  console.log(`${'wall time, median of 3'.padEnd(56)} --jobs 1 --jobs 2`);
  for (const [what, args] of [
    ['matrix --explore (catalog x eras)', ['matrix', '--explore']],
    ['run three-thread-race --explore --era all, 1M states each', ['run', RACE, '--explore', '--max-states', '1000000']],
  ]) {
    console.log(`${what.padEnd(56)} ${(wall([...args, '--jobs', '1']) / 1000).toFixed(2).padStart(6)} s ${(wall([...args, '--jobs', '2']) / 1000).toFixed(2).padStart(6)} s`);
  }
  console.log(`${`matrix --releases (catalog x ${registry.releases.length} releases)`.padEnd(56)} ${(wall(['matrix', '--releases']) / 1000).toFixed(2).padStart(6)} s`);

}

// ---- 4. reduction ----
if (want(4)) {
  // --reduce: persistent sets from static footprints store fewer states, sleep sets skip
  // transitions besides (docs/explore.md). Beside it, SPIN's own partial-order reduction on the
  // model mmutt exports (pan without -DNOREDUCE). Each catalog scenario in the era where its full
  // search is largest, and the race.
  console.log('\n4. --reduce (persistent + sleep sets) against the full search, and SPIN\'s POR on the export: states, transitions, wall time (best of 3)');
  console.log(`${'scenario @ era'.padEnd(56)}    states  reduced  left  SPIN POR  left   transitions  reduced  left  full s  reduced s`);
  /** The era where the scenario's full search takes the most transitions (in this process: only the counts matter). */
  const largest = (name) => {
    let best = null;
    for (const era of registry.released) {
      const x = exploreScenario(session.scenario(name), era, DEFAULT_LIMITS, false).exploration;
      if (x && (!best || x.transitions > best.transitions)) best = { era: era.id, transitions: x.transitions };
    }
    return best.era;
  };
  const bestOf3 = (file, era, reduce) => [0, 1, 2].map(() => explore(file, era, undefined, reduce)).reduce((a, b) => (b.ms < a.ms ? b : a));
  const pct = (a, b) => `${((100 * a) / b).toFixed(0)}%`;
  for (const [file, era] of [...session.catalogNames().map((n) => [n, largest(n)]), [RACE, RACE_ERA]]) {
    const full = bestOf3(file, era, false);
    const red = bestOf3(file, era, true);
    const por = has('spin') && has('gcc') ? spinPor(file, era) : null;
    const name = file === RACE ? 'three-thread-race' : file;
    console.log(
      `${`${name} @ ${era}`.padEnd(56)} ${fmt(full.states).padStart(9)} ${fmt(red.states).padStart(8)} ${pct(red.states, full.states).padStart(5)} ${(por === null ? '-' : fmt(por)).padStart(9)} ${(por === null ? '' : pct(por, full.states)).padStart(5)} ${fmt(full.transitions).padStart(13)} ${fmt(red.transitions).padStart(8)} ${pct(red.transitions, full.transitions).padStart(5)} ${(full.ms / 1000).toFixed(2).padStart(7)} ${(red.ms / 1000).toFixed(2).padStart(10)}`,
    );
  }
}

/** States pan stores with SPIN's partial-order reduction (its default: no -DNOREDUCE) on the model `mmutt export --promela` writes. */
function spinPor(file, era) {
  return panOnExport(file, era, { under: dir, flags: ['-DCOLLAPSE'], args: ['-c0', '-m1000000', '-w24'] }).states;
}

// ---- 5. growth ----
// The race cut or extended: the first K operations of each of T threads (a third vCPU as the
// fourth thread). A cell that would pass the cap is stopped there and shown as "> cap".
const CAP = Number(arg('growth-cap', 10_000_000));
const ops = {
  vcpu0: ['r0 = read(gfn 0x100)', 'write(gfn 0x101, 0x11)', 'r1 = read(gfn 0x101)'],
  vcpu1: ['r2 = read(gfn 0x101)', 'write(gfn 0x100, 0x21)', 'r3 = read(gfn 0x100)'],
  qemu: ['madvise(0x7f0000000000, 2, MADV_DONTNEED)', 'write(0x7f0000000000, 0x31)', 'r4 = read(0x7f0000001000)'],
  vcpu2: ['r5 = read(gfn 0x100)', 'write(gfn 0x100, 0x41)', 'r6 = read(gfn 0x101)'],
};
const threadsOf = (t) => ['vcpu0', 'vcpu1', 'qemu', 'vcpu2'].slice(0, t);
/** The race's first k operations of each of t threads, as a scenario file. */
const growthFile = (t, k) => {
  const body = threadsOf(t).map((th) => `${th} { ${ops[th].slice(0, k).join('; ')} }`).join('\n');
  const file = join(dir, `g${t}x${k}.mmu`);
  writeFileSync(file, `mmutt growth-${t}x${k}\n"growth ${t} threads x ${k} ops"\n{\n  proc qemu: vma 0x7f0000000000 +2 anon private rw\n  mem qemu:0x7f0000000000 = 0xaa ; mem qemu:0x7f0000001000 = 0xbb\n  vm slot0: gfn 0x100 +2 -> qemu:0x7f0000000000\n  touched: vcpu0 read gfn 0x100, vcpu1 read gfn 0x101\n}\n${body}\n`);
  return file;
};
if (want(5)) {
  console.log(`\n5. growth: threads x operations (three-thread-race cut or extended; cap ${fmt(CAP)} states)`);
  console.log('threads ops        states  transitions   seconds  bytes/state  peak RSS');
  for (const t of [2, 3, 4]) {
    for (const k of [1, 2, 3]) {
      const x = explore(growthFile(t, k), RACE_ERA, CAP);
      const states = x.complete ? fmt(x.states) : `> ${fmt(CAP)}`;
      console.log(`${String(t).padStart(7)} ${String(k).padStart(3)} ${states.padStart(13)} ${(x.complete ? fmt(x.transitions) : '').padStart(12)} ${(x.ms / 1000).toFixed(2).padStart(9)} ${(x.bytes / x.states).toFixed(1).padStart(12)} ${mib(x.maxRssKiB).padStart(9)}`);
    }
  }
}

// ---- 6. scale ----
if (arg('scale', false)) {
  // bench/scenarios/scale.mmu: past 10^8 states, and done in minutes (4 threads x 2
  // operations passes 3.7 x 10^8 states and runs for over half an hour).
  console.log('\n6. scale: bench/scenarios/scale.mmu, to the end, within 24 GiB');
  const x = explore(here('scenarios/scale.mmu'), RACE_ERA, 2_000_000_000);
  console.log(`one thread:        ${fmt(x.states)} states, ${fmt(x.transitions)} transitions, ${(x.ms / 1000).toFixed(0)} s, ${(x.bytes / x.states).toFixed(1)} bytes/state, peak RSS ${mib(x.maxRssKiB)}${x.complete ? '' : ' (INCOMPLETE)'}`);
  // The same exploration split between two workers (the CLI's --jobs 2), its table and
  // vectors in several shared buffers past 4 GiB (docs/explore.md); v6.13 is the era's release.
  const split = timed(process.execPath, [cli, 'run', here('scenarios/scale.mmu'), '--explore', '--kernel', 'v6.13', '--jobs', '2', '--stats', '--max-memory', '22000', '--timeout', '5400', '--max-states', '2000000000']);
  const st = /States (\d+)\s+Transitions (\d+)/.exec(split.stdout);
  const tm = /Time ([\d.]+)s\s+Memory ([\d.]+) MiB/.exec(split.stdout);
  const whole = st && tm && /Workers 2/.test(split.stdout) && !/Incomplete/.test(split.stdout);
  console.log(`--jobs 2 (split):  ${st ? `${fmt(Number(st[1]))} states, ${fmt(Number(st[2]))} transitions` : 'no figures'}, ${(split.ms / 1000).toFixed(0)} s wall, ${tm ? `${(Number(tm[2]) * 1048576 / Number(st[1])).toFixed(1)} bytes/state, ` : ''}peak RSS ${split.rssKiB ? mib(split.rssKiB) : '?'}${whole ? '' : ' (INCOMPLETE or not split)'}`);
}
// ---- 7. start-up ----
// What a person notices: the time from the command to its last byte, against bare node on
// the same machine at the same moment. Each round runs bare node and the command back to
// back; the figure is the median of the per-round ratios, so a busy machine moves both.
if (want(7)) {
  const N = Math.max(11, ROUNDS * 4);
  console.log(`\n7. start-up against \`node -e 0\` (median of ${N} paired ratios; target)`);
  const once = (args) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}`);
    return performance.now() - t;
  };
  for (const [what, args, target] of [
    ['--version', ['--version'], 2],
    ['--help', ['--help'], 2],
    ['run ksm-merge (every era, trace)', ['run', 'ksm-merge'], 3],
    ['run ksm-merge --era post-aa85986e7150', ['run', 'ksm-merge', '--era', 'post-aa85986e7150'], 3],
    ['matrix (catalog x eras)', ['matrix'], 4],
  ]) {
    once([cli, ...args]); // warm the file cache
    const bare = [];
    const cmd = [];
    for (let i = 0; i < N; i++) {
      bare.push(once(['-e', '0']));
      cmd.push(once([cli, ...args]));
    }
    const ratio = median(cmd.map((c, i) => c / bare[i]));
    console.log(`${what.padEnd(40)} ${median(cmd).toFixed(0).padStart(5)} ms  node ${median(bare).toFixed(0).padStart(3)} ms  ${ratio.toFixed(2)}x  (target ${target}x${ratio <= target ? '' : ', NOT MET'})`);
  }
}

// ---- 8. the time-travel page ----
if (want(8)) {
  console.log('\n8. the time-travel page (npm run site)');
  const site = mkdtempSync(join(tmpdir(), 'mmutt-bench-site-'));
  execFileSync(process.execPath, [here('../build/site.mjs'), site], { stdio: 'ignore' });
  console.log(`bundle: index.html ${(readFileSync(join(site, 'index.html')).length / 1024).toFixed(0)} KiB, its script inline`);
  if (existsSync('/usr/bin/chromium')) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const times = [];
    for (let i = 0; i < Math.max(5, ROUNDS); i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const t = performance.now();
      await page.goto(`file://${join(site, 'index.html')}#scenario=ksm-merge`);
      await page.waitForSelector('.lane-col svg');
      times.push(performance.now() - t);
      await page.close();
    }
    await browser.close();
    const m = median(times);
    console.log(`load to the first result (ksm-merge: release axis and the newest release's trace): median ${m.toFixed(0)} ms of ${times.length} (target < 1000 ms${m < 1000 ? '' : ', NOT MET'})`);
  } else console.log('load to the first result: not measured (/usr/bin/chromium is not installed)');
  rmSync(site, { recursive: true, force: true });
}

rmSync(dir, { recursive: true, force: true });
if (panDir) rmSync(panDir, { recursive: true, force: true });
