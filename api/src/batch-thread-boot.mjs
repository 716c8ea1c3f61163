// The entry of a batch thread: the API's TypeScript sources need tsx's loader in the thread too.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
