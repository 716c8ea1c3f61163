import type { Knex } from 'knex';

/** The single-post step a 多岗审核 call stands in for: `unit_review_posts` → `unit_review` (see docs/organisations.md). */
export const levelOf = (callElementId: string): string | null => (callElementId.endsWith('_posts') ? callElementId.slice(0, -'_posts'.length) : null);

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
    /**
     * A calling step's due date for the tasks of the sub-flow it calls: its own, else — for a
     * level reviewed through 多岗审核 posts (`unit_review_posts`) — the level's single-post step's
     * (`unit_review`), so that changing 申报单位审核 reaches the posts too.
     */
    callDueDate(processKey: string, elementId: string): string | undefined {
      const level = levelOf(elementId);
      return dueDates.get(key(processKey, elementId)) ?? (level ? dueDates.get(key(processKey, level)) : undefined);
    },
  };
}

export type TaskSettingsCache = ReturnType<typeof createTaskSettingsCache>;
