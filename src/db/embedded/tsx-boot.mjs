// Starts the embedded database's thread from TypeScript sources (development, tests): registers tsx's loader in
// this thread, then imports the entry named in workerData. Compiled builds start worker.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
