// A worker thread for exploreAll(): explores one (scenario, era) at a time, both received as
// data, or its part of one exploration split between workers, and posts back plain data,
// progress now and then, and stops when the shared flag says.
import { parentPort, workerData } from 'node:worker_threads';
import { explorePartOf, exploreScenario } from './run.js';
import type { Job, WorkerMessage } from './jobs.js';

const stop = (workerData as { stop: Int32Array }).stop;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

parentPort!.on('message', (job: Job) => {
  try {
    const progress = (states: number) => post({ index: job.index, progress: states });
    const limits = { ...job.limits, stop, progress };
    if (job.split) {
      const { part, rulesRead } = explorePartOf(job.scenario, job.era, limits, job.split.buffers, job.split.k);
      post({ index: job.index, part, rulesRead });
      return;
    }
    const r = exploreScenario(job.scenario, job.era, limits, job.witnesses);
    post({ index: job.index, exploration: r.exploration, witnesses: r.witnesses, rulesRead: r.run.rulesRead });
  } catch (e) {
    post({ index: job.index, error: (e as Error).message });
  }
});
