import type { Knex } from 'knex';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { createAnnouncementsRepository, type AnnouncementRecord, type AnnouncementType } from './announcements.repository.ts';

export interface AnnouncementInput {
  type: AnnouncementType;
  title: string;
  content: string;
  attachmentIds: string[];
}

export type BatchAction = 'publish' | 'revoke' | 'delete';

/** The caller's unit when they manage announcements; 403 otherwise. */
export function managerUnit(actor: RequestActor): number {
  if (!actor.roles.includes('announcement.manage') || actor.unitId == null) throw new ForbiddenError('没有“通知公告管理”权限');
  return actor.unitId;
}

/**
 * 通知公告管理: a unit's staff holding announcement.manage manage their own unit's announcements.
 * Scope before state: another unit's announcement answers 404 like one that does not exist,
 * before any state is looked at. Publishing is plain (no approval flow).
 */
export function createAnnouncementsService(db: Knex) {
  const repo = createAnnouncementsRepository(db);

  async function owned(actor: RequestActor, id: number, trx?: Knex.Transaction): Promise<AnnouncementRecord> {
    const unitId = managerUnit(actor);
    const found = await repo.get(id, trx);
    if (!found || found.unitId !== unitId) throw new NotFoundError('公告不存在');
    return found;
  }

  async function attachments(trx: Knex.Transaction, actor: RequestActor, ids: string[], announcementId: number | null): Promise<string[]> {
    const unique = [...new Set(ids)];
    const ok = new Set(await repo.attachable(unique, actor.userId, announcementId, trx));
    const missing = unique.findIndex((id) => !ok.has(id));
    if (missing >= 0) throw new ValidationError('附件不存在或不是本人上传的文件', [{ field: 'attachmentIds', message: '附件：不存在或不是本人上传的文件' }]);
    return unique;
  }

  async function act(trx: Knex.Transaction, actor: RequestActor, id: number, action: BatchAction, at: Date): Promise<void> {
    const found = await owned(actor, id, trx);
    if (action === 'delete') {
      if (!(await repo.removeDraft(id, trx))) throw new ConflictError(`“${found.title}”不是草稿，不能删除（已发布或已撤回的公告保留）`);
    } else if (action === 'publish') {
      if (!(await repo.transition(id, ['draft', 'revoked'], 'published', at, trx))) throw new ConflictError(`“${found.title}”已发布`);
    } else if (!(await repo.transition(id, ['published'], 'revoked', at, trx))) {
      throw new ConflictError(`“${found.title}”未发布，不能撤回`);
    }
  }

  return {
    owned,
    async create(actor: RequestActor, input: AnnouncementInput, at: Date): Promise<AnnouncementRecord> {
      const unitId = managerUnit(actor);
      return db.transaction(async (trx) => {
        const files = await attachments(trx, actor, input.attachmentIds, null);
        const id = await repo.insert({ unitId, type: input.type, title: input.title, content: input.content, createdBy: actor.userId, at }, trx);
        await repo.setAttachments(id, files, trx);
        return (await repo.get(id, trx))!;
      });
    },
    async update(actor: RequestActor, id: number, input: AnnouncementInput & { version: number }, at: Date): Promise<AnnouncementRecord> {
      return db.transaction(async (trx) => {
        await owned(actor, id, trx);
        const files = await attachments(trx, actor, input.attachmentIds, id);
        await repo.update(id, input.version, { type: input.type, title: input.title, content: input.content, at }, trx);
        await repo.setAttachments(id, files, trx);
        return (await repo.get(id, trx))!;
      });
    },
    /** One action on one announcement: 409 when its state does not allow it. */
    async act(actor: RequestActor, id: number, action: BatchAction, at: Date): Promise<void> {
      await db.transaction((trx) => act(trx, actor, id, action, at));
    },
    /** The action on each announcement by itself; what failed is named, the rest is done. */
    async batch(actor: RequestActor, ids: number[], action: BatchAction, at: Date): Promise<Array<{ id: number; ok: boolean; status: number; message: string | null }>> {
      managerUnit(actor);
      const results = [];
      for (const id of [...new Set(ids)]) {
        try {
          await db.transaction((trx) => act(trx, actor, id, action, at));
          results.push({ id, ok: true, status: 200, message: null });
        } catch (err) {
          const status = err instanceof NotFoundError ? 404 : err instanceof ConflictError ? 409 : err instanceof ForbiddenError ? 403 : 500;
          if (status === 500) throw err;
          results.push({ id, ok: false, status, message: (err as Error).message });
        }
      }
      return results;
    },
  };
}

export type AnnouncementsService = ReturnType<typeof createAnnouncementsService>;
