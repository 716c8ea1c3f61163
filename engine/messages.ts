import { parseDuration } from '@0dep/piso';
import type { Knex } from 'knex';
import { evaluateFeel, isFeel, resolveValue } from './expressions.ts';
import type { LiveInstance, ThrownMessage } from './live-instance.ts';
import type { MessageElementMeta } from './types.ts';

/**
 * Messages between flows. A throw writes a `process_messages` row in the step that throws it; a
 * catch that begins waiting writes a `message_subscriptions` row in its step. Delivery is a step
 * of the receiver (engine.deliverMessages) that claims both rows, signals the catch and marks the
 * message delivered, all under the receiver's version guard: exactly once, whichever process runs it.
 */

/** How long a thrown message waits for a receiver when its element does not say (`zcps:timeToLive`). */
export const DEFAULT_MESSAGE_TTL = 'P30D';

export interface NewMessageRow {
  name: string;
  correlation_key: string | null;
  payload: Record<string, unknown>;
  status: 'pending';
  source_instance_id: string | null;
  source_element_id: string | null;
  created_at: Date;
  expires_at: Date;
}

export interface SubscriptionRow {
  instance_id: string;
  root_instance_id: string;
  element_id: string;
  execution_id: string;
  message_name: string;
  correlation_key: string | null;
  created_at: Date;
}

/** What a module posts from code (`engine.publishMessage`). */
export interface PublishInput {
  name: string;
  correlationKey?: string | null;
  payload?: Record<string, unknown>;
  /** ISO 8601 duration; `P30D` when absent */
  timeToLive?: string;
}

export interface MessageRecord {
  id: number;
  name: string;
  correlationKey: string | null;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'expired';
  sourceInstanceId: string | null;
  sourceElementId: string | null;
  sourceProcessKey: string | null;
  targetInstanceId: string | null;
  targetElementId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  expiresAt: Date;
  deliveredAt: Date | null;
}

export interface WaitingMessage {
  instanceId: string;
  elementId: string;
  elementName: string | null;
  name: string;
  correlationKey: string | null;
  since: Date;
}

function keyOf(value: unknown): string | null {
  if (value == null || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`关联键必须是文本或数字，得到 ${JSON.stringify(value)}`);
}

export function expiresAt(from: Date, timeToLive: string): Date {
  try {
    return parseDuration(timeToLive.trim().toUpperCase()).getExpireAt(from);
  } catch {
    throw new Error(`消息保留期限“${timeToLive}”不是 ISO 8601 时长（如 P30D）`);
  }
}

/** The subscription of a catch that begins waiting: its key is `zcps:correlationKey`, or the instance's business key. */
export function subscriptionRow(live: LiveInstance, meta: MessageElementMeta, executionId: string, now: Date): SubscriptionRow {
  const key = meta.correlationKey ? keyOf(resolveValue(meta.correlationKey, live.variables())) : live.businessKey;
  if (key == null) throw new Error(`消息“${meta.messageName}”的接收没有关联键：zcps:correlationKey 计算结果为空，实例也没有业务键`);
  return {
    instance_id: live.id,
    root_instance_id: live.rootId,
    element_id: meta.id,
    execution_id: executionId,
    message_name: meta.messageName,
    correlation_key: key,
    created_at: now,
  };
}

/** The row of a thrown message: key, payload and time to live evaluated now (with the loop item of a send task's iteration). */
export function messageRow(live: LiveInstance, meta: MessageElementMeta, thrown: ThrownMessage, now: Date): NewMessageRow {
  const context: Record<string, unknown> = { ...live.variables() };
  if (meta.loopVariable && thrown.content[meta.loopVariable] !== undefined) {
    context[meta.loopVariable] = thrown.content[meta.loopVariable];
    context.loopCounter = thrown.content.index;
  }
  const correlationKey = meta.correlationKey ? keyOf(resolveValue(meta.correlationKey, context)) : null;
  let payload: Record<string, unknown> = {};
  if (meta.payload) {
    const value = isFeel(meta.payload) ? evaluateFeel(meta.payload, context) : null;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`消息“${meta.messageName}”的内容（zcps:payload）必须计算为 FEEL 上下文`);
    payload = value as Record<string, unknown>;
  }
  const ttl = meta.timeToLive ? String(resolveValue(meta.timeToLive, context) ?? DEFAULT_MESSAGE_TTL) : DEFAULT_MESSAGE_TTL;
  return {
    name: meta.messageName,
    correlation_key: correlationKey,
    payload,
    status: 'pending',
    source_instance_id: live.id,
    source_element_id: meta.id,
    created_at: now,
    expires_at: expiresAt(now, ttl),
  };
}

export interface DeliveryCandidate {
  messageId: number;
  subscriptionId: number;
  instanceId: string;
  rootInstanceId: string;
}

/** Pending messages with the oldest subscription waiting for each (by name and key). */
export async function deliveryCandidates(db: Knex, now: Date, limit: number): Promise<DeliveryCandidate[]> {
  const result = await db.raw(
    `select m.id as message_id, s.id as subscription_id, s.instance_id, s.root_instance_id
       from process_messages m
       join lateral (select s.id, s.instance_id, s.root_instance_id from message_subscriptions s
                      where s.message_name = m.name and s.correlation_key is not distinct from m.correlation_key
                      order by s.id limit 1) s on true
      where m.status = 'pending' and m.expires_at > ?
      order by m.id
      limit ?`,
    [now, limit],
  );
  return (result.rows as Array<Record<string, unknown>>).map((r) => ({
    messageId: Number(r.message_id),
    subscriptionId: Number(r.subscription_id),
    instanceId: String(r.instance_id),
    rootInstanceId: String(r.root_instance_id),
  }));
}

/** The flows a message starts: message start events of each flow's latest version, by message name. */
export async function messageStarts(db: Knex): Promise<Map<string, { processKey: string; elementId: string }>> {
  const rows = (await db.raw(
    `select distinct on (key) key, meta from process_definitions order by key, version desc`,
  )) as { rows: Array<{ key: string; meta: { messages?: MessageElementMeta[] } }> };
  const starts = new Map<string, { processKey: string; elementId: string }>();
  for (const row of rows.rows) {
    for (const m of row.meta?.messages ?? []) if (m.kind === 'start' && !starts.has(m.messageName)) starts.set(m.messageName, { processKey: row.key, elementId: m.id });
  }
  return starts;
}

/** Pending messages nobody waits for whose name starts a flow. */
export async function startCandidates(db: Knex, now: Date, names: string[], limit: number): Promise<Array<{ messageId: number; name: string }>> {
  if (!names.length) return [];
  const result = await db.raw(
    `select m.id, m.name from process_messages m
      where m.status = 'pending' and m.expires_at > ? and m.name = any(?::text[])
        and not exists (select 1 from message_subscriptions s where s.message_name = m.name and s.correlation_key is not distinct from m.correlation_key)
      order by m.id limit ?`,
    [now, names, limit],
  );
  return (result.rows as Array<{ id: string; name: string }>).map((r) => ({ messageId: Number(r.id), name: r.name }));
}

export function mapMessage(r: Record<string, unknown>): MessageRecord {
  return {
    id: Number(r.id),
    name: String(r.name),
    correlationKey: (r.correlation_key as string | null) ?? null,
    payload: (r.payload as Record<string, unknown> | null) ?? {},
    status: r.status as MessageRecord['status'],
    sourceInstanceId: (r.source_instance_id as string | null) ?? null,
    sourceElementId: (r.source_element_id as string | null) ?? null,
    sourceProcessKey: (r.source_process_key as string | null) ?? null,
    targetInstanceId: (r.target_instance_id as string | null) ?? null,
    targetElementId: (r.target_element_id as string | null) ?? null,
    attempts: Number(r.attempts ?? 0),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    expiresAt: new Date(r.expires_at as string),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at as string) : null,
  };
}
