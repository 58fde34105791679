// A worker thread for exploreAll(): explores one (scenario, era) at a time, both received as
// data, and posts back plain data, progress now and then, and stops when the shared flag says.
import { parentPort, workerData } from 'node:worker_threads';
import { exploreScenario } from './run.js';
import type { Job, WorkerMessage } from './jobs.js';

const stop = (workerData as { stop: Int32Array }).stop;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

parentPort!.on('message', (job: Job) => {
  try {
    const progress = (states: number) => post({ index: job.index, progress: states });
    const r = exploreScenario(job.scenario, job.era, { ...job.limits, stop, progress }, job.witnesses);
    post({ index: job.index, exploration: r.exploration, witnesses: r.witnesses, rulesRead: r.run.rulesRead });
  } catch (e) {
    post({ index: job.index, error: (e as Error).message });
  }
});
