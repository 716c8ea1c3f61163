import { Timers } from 'bpmn-elements';

/**
 * bpmn-engine's timers, made durable: nothing is scheduled in memory. The engine registers its
 * timers here; the runtime stores them as rows and the sweeper fires them by calling back.
 * (Node's setTimeout cannot hold more than 24.8 days, and a restart would lose it anyway.)
 */
export interface LiveTimer {
  executionId: string;
  elementId: string;
  delayMs: number;
}

interface TimerRef {
  owner?: { id?: string; executionId?: string } | null;
  delay: number;
  callback: (...args: unknown[]) => void;
  args: unknown[];
}

export type DurableTimers = Timers & { executing: TimerRef[] };

export function createDurableTimers(): DurableTimers {
  return new Timers({
    setTimeout: (() => null) as unknown as typeof setTimeout,
    clearTimeout: (() => undefined) as unknown as typeof clearTimeout,
  }) as DurableTimers;
}

/**
 * bpmn-elements derives a duration timer's delay from the wall clock it reads twice, so "P30D"
 * can come out a millisecond off; durations are whole seconds, and so is the stored due time.
 */
function wholeSeconds(delay: number): number {
  const rounded = Math.round(delay / 1000) * 1000;
  return Math.abs(rounded - delay) <= 50 ? rounded : delay;
}

export function liveTimers(timers: DurableTimers): LiveTimer[] {
  const out: LiveTimer[] = [];
  for (const ref of timers.executing) {
    const executionId = ref.owner?.executionId;
    const elementId = ref.owner?.id;
    if (!executionId || !elementId) continue;
    out.push({ executionId, elementId, delayMs: wholeSeconds(Math.max(0, Number(ref.delay) || 0)) });
  }
  return out;
}

/** Fires the registered timer of one execution; false when the engine no longer waits on it. */
export function fireTimer(timers: DurableTimers, executionId: string): boolean {
  const ref = timers.executing.find((r) => r.owner?.executionId === executionId);
  if (!ref) return false;
  timers.clearTimeout(ref as never);
  ref.callback(...(ref.args ?? []));
  return true;
}
