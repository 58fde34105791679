// One exploration in a process of its own, for bench/run.mjs: prints its figures as JSON, with
// the process's real peak RSS (getrusage's ru_maxrss, not a reading taken at the end).
// usage: node bench/explore-one.mjs SCENARIO ERA [MAX_STATES [reduce]]
import { DEFAULT_LIMITS, Session, exploreScenario } from '../dist/index.js';

const [scenario, era, max = '200000000', mode] = process.argv.slice(2);
const session = await Session.open([], () => {});
const limits = { ...DEFAULT_LIMITS, maxStates: Number(max), timeoutMs: 3_600_000, maxMemoryBytes: 24 * 2 ** 30, reduce: mode === 'reduce' };
const x = exploreScenario(session.scenario(scenario), session.era(era), limits, false).exploration;
console.log(
  JSON.stringify({
    states: x.states,
    transitions: x.transitions,
    complete: x.complete,
    ms: x.elapsedMs,
    bytes: x.bytes,
    maxRssKiB: process.resourceUsage().maxRSS,
  }),
);
