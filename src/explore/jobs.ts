// --jobs N: explorations of different (scenario, era) pairs in worker threads. Results are put
// back in job order, so the output is the same for every N. One exploration always runs on
// one thread (docs/explore.md).
import { Worker } from 'node:worker_threads';
import type { Era } from '../era.js';
import { UserError } from '../errors.js';
import type { ExploreRun } from '../report/explore.js';
import { exploreScenario, runMeta } from '../runner.js';
import type { Scenario } from '../scenario/types.js';
import type { Exploration, Limits } from './explore.js';
import type { Witness } from './witness.js';

export interface Job {
  index: number;
  file: string;
  text: string;
  era: string;
  limits: Limits;
  witnesses: boolean;
}

export interface JobResult {
  index: number;
  exploration?: Exploration | null;
  witnesses?: Witness[];
  error?: string;
}

export async function exploreAll(pairs: { scenario: Scenario; era: Era }[], limits: Limits, witnesses: boolean, jobs: number): Promise<ExploreRun[]> {
  if (!Number.isInteger(jobs) || jobs < 1) throw new UserError(`--jobs takes a whole number of at least 1, not ${jobs}`);
  if (jobs === 1 || pairs.length < 2) return pairs.map((p) => exploreScenario(p.scenario, p.era, limits, witnesses));
  const results: JobResult[] = new Array(pairs.length);
  const { progress: _progress, ...plain } = limits; // a function cannot cross to a worker
  const queue = pairs.map((p, index): Job => ({ index, file: p.scenario.file, text: p.scenario.text, era: p.era.id, limits: plain, witnesses }));
  const workers = Array.from({ length: Math.min(jobs, pairs.length) }, () => new Worker(new URL('./explore-worker.js', import.meta.url)));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const next = () => {
            const job = queue.shift();
            if (!job) {
              void w.terminate().then(() => resolve());
              return;
            }
            w.postMessage(job);
          };
          w.on('message', (r: JobResult) => {
            results[r.index] = r;
            next();
          });
          w.on('error', reject);
          next();
        }),
    ),
  );
  return pairs.map((p, i) => {
    const r = results[i]!;
    if (r.error) throw new Error(r.error);
    return { run: runMeta(p.scenario, p.era), exploration: r.exploration ?? null, witnesses: r.witnesses ?? [] };
  });
}
