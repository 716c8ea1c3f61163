import { Worker } from 'node:worker_threads';
import type { Clock } from '../../engine/types.ts';
import type { Config } from './config.ts';

/** A chunk of a batch handed to a thread. */
export interface BatchChunk {
  type: 'chunk';
  id: number;
  taskIds: string[];
  authorization: string;
  action: string;
  opinion?: string | null;
  /** the process' clock (ms) */
  now: number;
}

export type BatchThreadMessage = BatchChunk | { type: 'close' };

export interface BatchItemResult {
  taskId: string;
  ok: boolean;
  status: number;
  error?: string;
  message?: string;
}

/** Hands chunks of a batch to the batch threads; `run` answers null when no thread can take one. */
export interface BatchThreads {
  /** whether a thread is up (a batch starts its hand-offs only then) */
  available(): boolean;
  run(taskIds: string[], authorization: string, input: { action: string; opinion?: string | null }): Promise<BatchItemResult[] | null>;
  close(): Promise<void>;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  busy: number;
}

/**
 * Starts `count` batch threads (`batch-thread.ts`) with the process' configuration, each on its
 * own connections (`BATCH_CONCURRENCY` + 1) and a small instance cache: a batch does not keep the
 * cases it hands on. A thread that fails is dropped and its chunk answered null, so the process
 * does the chunk itself.
 */
export function startBatchThreads(count: number, config: Config, clock: Clock, log: { warn(obj: unknown, msg?: string): void }): BatchThreads {
  const threads: Thread[] = [];
  const pending = new Map<number, { thread: Thread; resolve: (r: BatchItemResult[] | null) => void }>();
  let nextId = 1;
  let closed = false;
  const threadConfig: Config = {
    ...config,
    WORKERS: 1,
    SCHEDULER: false,
    BATCH_THREADS: 0,
    ENGINE_CACHE_SIZE: 50,
    DB_POOL_MAX: config.BATCH_CONCURRENCY + 1,
    LOG_LEVEL: config.LOG_LEVEL === 'silent' ? 'silent' : 'warn',
  };

  const drop = (thread: Thread, err?: unknown) => {
    const index = threads.indexOf(thread);
    if (index >= 0) threads.splice(index, 1);
    for (const [id, p] of pending) {
      if (p.thread !== thread) continue;
      pending.delete(id);
      p.resolve(null);
    }
    if (err && !closed) log.warn({ err }, '批量办理线程已停止，批量办理改由本进程完成');
  };

  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./batch-thread-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./batch-thread.ts', import.meta.url).href, config: threadConfig },
    });
    const thread: Thread = { worker, ready: false, busy: 0 };
    threads.push(thread);
    worker.on('message', (message: { type: string; id?: number; status?: number; body?: { results?: BatchItemResult[] } }) => {
      if (message.type === 'ready') {
        thread.ready = true;
        return;
      }
      const p = pending.get(message.id ?? -1);
      if (!p) return;
      pending.delete(message.id!);
      thread.busy--;
      p.resolve(message.status === 200 && message.body?.results ? message.body.results : null);
    });
    worker.on('error', (err) => drop(thread, err));
    worker.on('exit', () => drop(thread));
  }

  return {
    available: () => threads.some((t) => t.ready),
    run(taskIds, authorization, input) {
      const ready = threads.filter((t) => t.ready).sort((a, b) => a.busy - b.busy)[0];
      if (!ready || closed) return Promise.resolve(null);
      const id = nextId++;
      ready.busy++;
      return new Promise((resolve) => {
        pending.set(id, { thread: ready, resolve });
        const chunk: BatchChunk = { type: 'chunk', id, taskIds, authorization, action: input.action, opinion: input.opinion ?? null, now: clock.now().getTime() };
        ready.worker.postMessage(chunk);
      });
    },
    async close() {
      closed = true;
      await Promise.all(
        threads.map(
          (t) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => void t.worker.terminate().then(() => resolve()), 5000);
              t.worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              t.worker.postMessage({ type: 'close' } satisfies BatchThreadMessage);
            }),
        ),
      );
    },
  };
}
