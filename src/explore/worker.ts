// A worker thread for --jobs: explores one (scenario, era) at a time and posts back plain data.
import { parentPort } from 'node:worker_threads';
import { parseText } from '../catalog.js';
import { getEra } from '../eras.js';
import { exploreScenario } from '../runner.js';
import type { Job, JobResult } from './jobs.js';

parentPort!.on('message', (job: Job) => {
  try {
    const r = exploreScenario(parseText(job.file, job.text), getEra(job.era), job.limits, job.witnesses);
    const out: JobResult = { index: job.index, exploration: r.exploration, witnesses: r.witnesses };
    parentPort!.postMessage(out);
  } catch (e) {
    parentPort!.postMessage({ index: job.index, error: (e as Error).message });
  }
});
