import type { Knex } from 'knex';
import { ForbiddenError, NotFoundError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { createPushesRepository } from './pushes.repository.ts';

export interface PushInput {
  recipientKind: 'unit' | 'person';
  recipientIds: number[];
  title: string;
  content: string;
}

/** The caller's unit when they may send messages (消息推送); 403 otherwise. */
export function senderUnit(actor: RequestActor): { unitId: number; unitPath: string } {
  if (!actor.roles.includes('message.send') || actor.unitId == null || !actor.unitPath) throw new ForbiddenError('没有“消息推送”权限');
  return { unitId: actor.unitId, unitPath: actor.unitPath };
}

/**
 * 消息推送 (manual §1.2.11): to units below the sender's, or to applicants of the sender's own unit.
 * A recipient outside that scope answers 404 like one that does not exist, naming none of them,
 * and nothing is sent.
 */
export async function sendPush(trx: Knex.Transaction, actor: RequestActor, input: PushInput, at: Date): Promise<{ id: number; recipientCount: number }> {
  const { unitId, unitPath } = senderUnit(actor);
  const pushes = createPushesRepository(trx);
  const ids = [...new Set(input.recipientIds)];
  const found = input.recipientKind === 'unit' ? await pushes.unitsBelow(ids, unitId, unitPath, trx) : await pushes.applicantsOf(ids, unitId, trx);
  if (found.length !== ids.length) throw new NotFoundError(input.recipientKind === 'unit' ? '接收单位不存在' : '接收人员不存在');
  const id = await pushes.insert(
    { sender_unit_id: unitId, sender_user_id: actor.userId, recipient_kind: input.recipientKind, title: input.title, content: input.content, recipient_count: ids.length, created_at: at },
    trx,
  );
  const recipients =
    input.recipientKind === 'unit'
      ? ids.map((u) => ({ unitId: u, userId: null, permission: null }))
      : // an applicant sees only what names them and 申报职称 (messagesOf)
        ids.map((u) => ({ unitId, userId: u, permission: 'dossier.apply' }));
  await pushes.addressTo(id, recipients, { title: input.title, body: input.content }, at, trx);
  return { id, recipientCount: ids.length };
}
