// Explorations run in worker threads, N at a time (--jobs N), so that the main thread stays
// free: it prints progress and answers SIGINT by raising a shared stop flag, which every
// exploration reads as it goes and stops at ("Interrupted"). A worker receives the parsed
// scenario and the era as data (an --era-file era too) and posts back plain data. Results are
// put back in job order, so the output is the same for every N (docs/explore.md). A single
// exploration is split between the N workers (explore/shared.ts); where a split cannot give
// the answer one search gives, it is searched again on one thread.
import { Worker } from 'node:worker_threads';
import type { Era, RuleName } from '../contract/era.js';
import { runMeta, withLabels } from './run.js';
import { settled } from '../era/features.js';
import { explorationInWords } from '../era/vocabulary.js';
import { eraSpans, toBands } from './bands.js';
import type { Scenario } from '../contract/scenario.js';
import { foundKey, type Limits, type Exploration, type ExploreBand, type ExploreRun, type Witness } from '../contract/output.js';
import { merge, type SearchResult } from '../explore/explore.js';
import { ABORT, CTRL, sharedBuffers, type SharedBuffers } from '../explore/shared.js';

export interface Job {
  index: number;
  scenario: Scenario;
  era: Era;
  limits: Omit<Limits, 'progress' | 'stop'>;
  witnesses: boolean;
  /** This worker's part of a split exploration. */
  split?: { buffers: SharedBuffers; k: number };
}

export type WorkerMessage =
  | { index: number; exploration: Exploration | null; witnesses: Witness[]; rulesRead: RuleName[] }
  | { index: number; part: SearchResult; rulesRead: RuleName[] }
  | { index: number; error: string }
  | { index: number; progress: number };

/** What the caller watches and steers while explorations run. */
export interface Control {
  /** A shared flag: set element 0 to 1 and every running exploration stops (Interrupted). */
  stop: Int32Array;
  /** States explored so far across all jobs, and runs finished. */
  /** `again`: the split stopped where only one search gives the answer (a limit, a cycle): this is that search. */
  progress?: (states: number, done: number, total: number, again?: boolean) => void;
}

export const newStopFlag = () => new Int32Array(new SharedArrayBuffer(4));

/** When one worker is not enough (see exploreAll). */
const LONG_JOB_MS = 300;
const LONG_RUN_MS = 1500;

/** An exploration that never ran because the user interrupted before it started. */
const notRun = (): Exploration => ({ complete: false, stopped: 'interrupted', states: 0, transitions: 0, cycles: 0, outcomes: [], windows: [], approximate: false, bytes: 0, elapsedMs: 0, workers: 0 });

/** Two releases whose explorations a reader cannot tell apart share a band. */
const found = (r: ExploreRun) => foundKey(r.run.unavailable, r.exploration);

/**
 * Explore (scenario, era) pairs. A named era's releases that meet other rules or features
 * than the release it runs are explored too (one exploration per distinct span, runner/bands.ts),
 * and the run says where its releases split (`bands`).
 */
export async function exploreAll(pairs: { scenario: Scenario; era: Era }[], limits: Limits, witnesses: boolean, jobs: number, control: Control): Promise<ExploreRun[]> {
  const spans = pairs.map((p) => eraSpans(p.scenario, p.era));
  const extra: { scenario: Scenario; era: Era; witnesses: boolean; owner: number; key: string }[] = [];
  spans.forEach((ss, i) => {
    const meta = ss && runMeta(pairs[i]!.scenario, pairs[i]!.era);
    if (!ss || !meta || meta.unavailable) return;
    const main = ss.find((sp) => sp.era.release === meta.era.release)?.key;
    const keys = new Set(main === undefined ? [] : [main]);
    for (const sp of ss) {
      if (keys.has(sp.key)) continue;
      keys.add(sp.key);
      extra.push({ scenario: pairs[i]!.scenario, era: sp.era, witnesses: false, owner: i, key: sp.key });
    }
  });
  const all = await exploreFlat([...pairs, ...extra], limits, witnesses, jobs, control);
  return pairs.map((_, i) => {
    const run = all[i]!;
    const ss = spans[i];
    // No bands where the era cannot run the scenario at all: there is no result to qualify.
    if (!ss || run.run.unavailable) return run;
    const results = new Map<string, ExploreRun>();
    extra.forEach((x, k) => x.owner === i && results.set(x.key, all[pairs.length + k]!));
    for (const sp of ss) if (!results.has(sp.key)) results.set(sp.key, run);
    const bands = toBands(ss, results, (a, b) => found(a) === found(b), run.run.era.release);
    if (bands.length < 2) return run;
    return { ...run, bands: bands.map(({ first, last, release, result }): ExploreBand => ({ first, last, release, ...(result.run.unavailable ? { unavailable: result.run.unavailable } : {}), exploration: result.exploration })) };
  });
}

async function exploreFlat(pairs: { scenario: Scenario; era: Era; witnesses?: boolean }[], limits: Limits, witnesses: boolean, jobs: number, control: Control): Promise<ExploreRun[]> {
  const { progress: _p, stop: _s, ...plain } = limits; // functions and the flag do not cross as job data
  const results: (WorkerMessage | undefined)[] = new Array(pairs.length);
  // The era as it runs the scenario is settled here, and the scenario as it runs there (its
  // EPT A/D bits); the worker gets the rules and words without the history they came from.
  const metas = pairs.map((p) => runMeta(p.scenario, p.era));
  const queue = pairs.flatMap((p, index): Job[] => (metas[index]!.unavailable ? [] : [{ index, scenario: settled(p.scenario, metas[index]!.era).scenario, era: { ...metas[index]!.era, timeline: undefined }, limits: plain, witnesses: p.witnesses ?? witnesses }]));
  // One exploration and more than one worker: split it, unless it asks for witnesses,
  // self-checks or reduction (those run on one thread).
  const only = queue[0];
  let split: WorkerMessage | undefined;
  const splittable = jobs > 1 && queue.length === 1 && only !== undefined && !witnesses && !plain.sanity && !plain.reduce;
  if (splittable) {
    split = (await exploreSplit(only, jobs, control, 1)) ?? undefined;
    if (split) results[only.index] = split;
  }
  if (!split) {
    // After a split that gave up, the progress line says the search starts again.
    const progress = control.progress;
    await runQueue(queue, jobs, splittable && progress ? { ...control, progress: (a, b, c) => progress(a, b, c, true) } : control, results);
  }
  return pairs.map((_, i) => {
    const r = results[i];
    if (r && 'error' in r) throw new Error(r.error);
    const run = metas[i]!;
    if (!r) return { run, exploration: run.unavailable ? null : notRun(), witnesses: [] };
    const m = r as Extract<WorkerMessage, { exploration: unknown }>;
    // A split exploration comes back in the engine's words; a worker's own in the release's.
    const exploration = m.exploration && r === split ? explorationInWords(run.era.words, m.exploration) : m.exploration;
    const ran = { ...run, rulesRead: m.rulesRead };
    withLabels(ran, Object.keys(exploration?.outcomes[0]?.observations ?? {}));
    return { run: ran, exploration, witnesses: m.witnesses };
  });
}

/**
 * The jobs on a pool of workers, each worker's answers into `results` by job index. Each
 * worker compiles and warms up the explorer anew, which costs more than a small exploration
 * (the catalog's take milliseconds): one worker starts at once, the others only when the work
 * proves long, a job running for more than LONG_JOB_MS or the whole run for more than
 * LONG_RUN_MS with jobs still queued. So `--jobs N` speeds up long runs and does not slow
 * down short ones (docs/performance.md).
 */
async function runQueue(queue: Job[], jobs: number, control: Control, results: (WorkerMessage | undefined)[]): Promise<void> {
  const states = new Array<number>(results.length).fill(0);
  const total = queue.length;
  let done = 0;
  const want = Math.max(1, Math.min(jobs, queue.length));
  const running: Promise<void>[] = [];
  let failed: unknown;
  const start = () =>
    running.push(
      new Promise<void>((resolve) => {
        const w = new Worker(new URL('./explore-worker.js', import.meta.url), { workerData: { stop: control.stop } });
        const next = () => {
          const job = Atomics.load(control.stop, 0) || failed ? undefined : queue.shift();
          if (!job) {
            void w.terminate().then(() => resolve());
            return;
          }
          jobStarted = performance.now();
          w.postMessage(job);
        };
        w.on('message', (m: WorkerMessage) => {
          if ('progress' in m) {
            states[m.index] = m.progress;
            control.progress?.(states.reduce((a, b) => a + b, 0), done, total);
            return;
          }
          results[m.index] = m;
          if ('exploration' in m) states[m.index] = m.exploration?.states ?? 0;
          done++;
          control.progress?.(states.reduce((a, b) => a + b, 0), done, total);
          next();
        });
        w.on('error', (e) => {
          failed = e;
          resolve();
        });
        next();
      }),
    );
  const t0 = performance.now();
  let jobStarted = t0;
  if (queue.length) start();
  const ramp = setInterval(() => {
    const now = performance.now();
    if (!queue.length || (now - jobStarted < LONG_JOB_MS && now - t0 < LONG_RUN_MS)) return;
    for (let k = running.length; k < want && queue.length; k++) start();
    clearInterval(ramp);
  }, 50);
  // Wait for every worker, also those the ramp starts while the first ones run.
  for (let k = 0; k < running.length; k++) await running[k];
  clearInterval(ramp);
  if (failed) throw failed;
}

/**
 * One exploration split between n workers. Every worker starts at once and searches from the
 * root as soon as it has compiled the scenario; the first back at the root ends the search.
 * Null when the split cannot give the answer of one search (a cycle, a limit, a path count
 * past 2^53): the caller explores on one thread.
 */
async function exploreSplit(job: Job, n: number, control: Control, total: number): Promise<WorkerMessage | null> {
  const buffers = sharedBuffers(job.limits.maxMemoryBytes);
  const parts: SearchResult[] = [];
  const states = new Array<number>(n).fill(0);
  let rulesRead: RuleName[] = [];
  let error: string | undefined;
  await Promise.all(
    Array.from(
      { length: n },
      (_, k) =>
        new Promise<void>((resolve) => {
          const w = new Worker(new URL('./explore-worker.js', import.meta.url), { workerData: { stop: control.stop } });
          w.on('message', (m: WorkerMessage) => {
            if ('progress' in m) {
              states[k] = m.progress;
              control.progress?.(states.reduce((a, b) => a + b, 0), 0, total);
              return;
            }
            if ('error' in m) {
              error ??= m.error;
              // The others would search on without the one that failed: stop them.
              Atomics.store(new Int32Array(buffers.ctrl), CTRL.ABORT, ABORT.interrupted);
            }
            else if ('part' in m) {
              parts[k] = m.part;
              rulesRead = m.rulesRead;
            }
            void w.terminate().then(() => resolve());
          });
          w.on('error', (e) => {
            error ??= e.message;
            resolve();
          });
          w.postMessage({ ...job, split: { buffers, k } } satisfies Job);
        }),
    ),
  );
  if (error) return { index: job.index, error };
  const exploration = merge(parts.filter((p) => p));
  if (!exploration) return null;
  return { index: job.index, exploration, witnesses: [], rulesRead };
}
