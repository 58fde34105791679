// npm run bench: explorer throughput and memory on the benchmark scenarios and the largest
// catalog scenarios, the wall time of `mmutt matrix --explore`, and of `mmutt matrix
// --releases` (the whole catalog at every mainline release). Figures, not assertions:
// the machines are shared and noisy (docs/performance.md records a run).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, EraRegistry, exploreScenario, loadScenario } from '../dist/index.js';

const registry = await EraRegistry.discover();
const getEra = (id) => registry.get(id);
const ERAS = registry.released;

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const cases = [
  ['bench/scenarios/three-thread-race.mmu', 'post-aa85986e7150'],
  ['ksm-merge', 'post-369ea8242c0f'],
  ['fault-races-invalidation', 'pre-6bdb913f0a70'],
  ['madv-free-then-guest-write', 'post-6bdb913f0a70'],
];

const rows = [];
for (const [name, era] of cases) {
  const s = loadScenario(name.endsWith('.mmu') ? here(`../${name}`) : name);
  let best = null;
  for (let i = 0; i < 3; i++) {
    const x = exploreScenario(s, getEra(era), DEFAULT_LIMITS, false).exploration;
    if (!best || x.elapsedMs < best.elapsedMs) best = x;
  }
  rows.push({ scenario: s.name, era, states: best.states, ms: best.elapsedMs, bytes: best.bytes });
}
const rss = process.memoryUsage().rss;

/** Median wall time of a CLI command, over three runs. */
function wall(args) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    try {
      execFileSync(process.execPath, [here('../dist/cli.js'), ...args], { stdio: 'ignore' });
    } catch (e) {
      if (e.status !== 3) throw e; // exit 3: stopped at --max-states, as asked
    }
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
}
// --jobs: short explorations (the catalog) and long ones (five eras of the race, 1M states each).
const jobsRows = [
  ['matrix --explore (catalog x eras)', ['matrix', '--explore']],
  ['run three-thread-race --explore --era all, 1M states each', ['run', here('../bench/scenarios/three-thread-race.mmu'), '--explore', '--max-states', '1000000']],
].map(([what, args]) => ({ what, one: wall([...args, '--jobs', '1']), two: wall([...args, '--jobs', '2']) }));
console.log(`node ${process.version}, ${ERAS.length} eras`);
console.log('scenario                    era                       states   states/s  bytes/state');
for (const r of rows) {
  console.log(
    `${r.scenario.padEnd(27)} ${r.era.padEnd(24)} ${String(r.states).padStart(8)} ${String(Math.round(r.states / (r.ms / 1000))).padStart(10)} ${(r.bytes / r.states).toFixed(1).padStart(12)}`,
  );
}
console.log(`peak RSS of this process: ${(rss / 1048576).toFixed(0)} MiB`);
console.log(`${'wall time, median of 3'.padEnd(56)} --jobs 1 --jobs 2`);
for (const r of jobsRows) console.log(`${r.what.padEnd(56)} ${(r.one / 1000).toFixed(2).padStart(6)} s ${(r.two / 1000).toFixed(2).padStart(6)} s`);
console.log(`${`matrix --releases (catalog x ${registry.releases.length} releases), median of 3`.padEnd(56)} ${(wall(['matrix', '--releases']) / 1000).toFixed(2).padStart(6)} s`);
