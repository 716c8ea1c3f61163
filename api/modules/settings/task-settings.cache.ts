import type { Knex } from 'knex';

/**
 * Operator-set due dates (期限设置) kept in memory for the engine, which asks for them while it
 * opens tasks. Reloaded after every change in this process and every 30 s for the others.
 */
export function createTaskSettingsCache(db: Knex, refreshMs = 30_000) {
  let dueDates = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  const key = (processKey: string, elementId: string) => `${processKey}\u0000${elementId}`;

  async function reload() {
    const rows = await db('task_settings').select('process_key', 'element_id', 'due_date').whereNotNull('due_date');
    dueDates = new Map(rows.map((r: Record<string, unknown>) => [key(String(r.process_key), String(r.element_id)), String(r.due_date)]));
  }

  return {
    reload,
    start() {
      timer ??= setInterval(() => void reload().catch(() => undefined), refreshMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    dueDate(processKey: string, elementId: string): string | undefined {
      return dueDates.get(key(processKey, elementId));
    },
  };
}

export type TaskSettingsCache = ReturnType<typeof createTaskSettingsCache>;
