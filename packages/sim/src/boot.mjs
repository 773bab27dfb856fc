// Starts a worker from TypeScript sources (tests, benchmarks): tsx first, then the worker module.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
