/** Worker thread of the batch engine: receives jobs, returns results (maps transferred, not copied). */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob, type BatchConfig, type Job } from './batch.js';

const cfg = workerData as BatchConfig;
const cache = new Map();
parentPort?.on('message', (job: Job) => {
  void runJob(cfg, job, cache).then((r) => {
    const transfer = Object.values(r.maps ?? {}).map((m) => m.data.buffer as ArrayBuffer);
    parentPort?.postMessage(r, transfer);
  });
});
