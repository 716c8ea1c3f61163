/**
 * A batch thread: the API built a second time, in a worker thread, on its own connections, so a
 * long batch (批量通过 of up to 1,000 tasks) uses a second core. It answers nothing but the chunks
 * of batches its process hands it (`batch-threads.ts`), through its own
 * `POST /api/tasks/batch-complete` with the caller's token: the same checks, the same engine
 * rules, and the database's version guards between it and its process, as between two API
 * processes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db.ts';
import type { BatchChunk, BatchThreadMessage } from './batch-threads.ts';

const port = parentPort!;
const { config } = workerData as { config: Config };
// the process' clock, which tests move: each chunk brings its time
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const database = await openDatabase(config);
const app = await buildApp({ config, database, clock });
await app.ready();

port.on('message', (message: BatchThreadMessage) => {
  if (message.type === 'close') {
    void app
      .close()
      .then(() => database.close())
      .finally(() => port.close());
    return;
  }
  void run(message);
});

async function run(chunk: BatchChunk) {
  offset = chunk.now - Date.now();
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks/batch-complete',
      headers: { authorization: chunk.authorization },
      payload: { taskIds: chunk.taskIds, action: chunk.action, opinion: chunk.opinion ?? null },
    });
    port.postMessage({ type: 'done', id: chunk.id, status: res.statusCode, body: res.json() });
  } catch (err) {
    port.postMessage({ type: 'done', id: chunk.id, status: 500, body: { message: (err as Error).message } });
  }
}

port.postMessage({ type: 'ready' });
