import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audit } from '../../src/audit.ts';
import { ForbiddenError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { unitInScope } from '../../src/scope.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { createStaffRepository } from '../staff/staff.repository.ts';
import { createReviewLevelsRepository } from './review-levels.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** 事项类型: the matters a unit may review with several posts. */
export const MATTER_TYPES: Record<string, string> = {
  dossier_review: '申报材料审核',
  committee_filing: '评委会备案审核',
  expert_pool: '专家库审核',
  activity_publication: '评审活动发布审核',
  result_confirmation: '评审结果确认',
  history_data: '历史职称数据审核',
  talent_review: '专技人才审核',
  title_recognition: '职称确认审核',
};

const post = z.object({
  name: z.string().trim().min(1, '岗位名称不能为空').max(30, '岗位名称最多 30 个字符'),
  userIds: z.array(z.number().int()).min(1, '每个岗位至少需要一名审核人员').max(50),
});
const levelsSchema = z.object({
  unitId: z.number().int(),
  matterType: z.string(),
  posts: z.array(post.extend({ levelNo: z.number() })),
});

/** 多岗审核配置: the ordered review posts of a unit for one matter type. */
const reviewLevelsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const levels = createReviewLevelsRepository(app.db);
  const accounts = createStaffRepository(app.db);

  /** A unit's own 多岗审核配置, or a subordinate's for whoever manages subordinate units. */
  async function levelsScope(actor: RequestActor, unitId: number) {
    const own = actor.unitId === unitId;
    if (own && !actor.roles.includes('review_levels.manage')) throw new ForbiddenError('没有“多岗审核配置”权限');
    if (!own && !actor.roles.includes('unit.subordinates')) throw new ForbiddenError('只能配置本单位的多岗审核');
    await unitInScope(app.db, actor, unitId, own ? 'own' : 'below');
  }

  /** The matter types a deployed flow (its latest version) hands to a call of the multi-post review. */
  async function matterTypesInUse(): Promise<Set<string>> {
    const latest = new Map<string, Awaited<ReturnType<typeof app.engine.repo.listDefinitions>>[number]>();
    for (const d of await app.engine.repo.listDefinitions()) if ((latest.get(d.key)?.version ?? 0) < d.version) latest.set(d.key, d);
    const used = new Set<string>();
    for (const d of latest.values()) {
      for (const call of d.meta.callActivities) {
        // a literal in the call's FEEL inputs: matterType: "dossier_review"
        for (const m of (call.inputs ?? '').matchAll(/matterType\s*:\s*"([a-z_]+)"/g)) used.add(m[1]!);
      }
    }
    return used;
  }

  app.get('/api/review-levels/matter-types', {
    schema: {
      tags: ['运行配置'],
      summary: '可配置多岗审核的事项；inUse：已部署的流程使用了它（否则配置暂不生效）',
      response: { 200: z.array(z.object({ id: z.string(), name: z.string(), inUse: z.boolean() })), ...errors },
    },
    handler: async () => {
      const used = await matterTypesInUse();
      return Object.entries(MATTER_TYPES).map(([id, name]) => ({ id, name, inUse: used.has(id) }));
    },
  });

  app.get('/api/review-levels', {
    schema: {
      tags: ['运行配置'],
      summary: '某单位某事项的审核岗位（从低到高）',
      querystring: z.object({ unitId: z.coerce.number().int(), matterType: z.string() }),
      response: { 200: levelsSchema, ...errors },
    },
    handler: async (request) => {
      const { unitId, matterType } = request.query;
      await levelsScope(request.actor, unitId);
      if (!MATTER_TYPES[matterType]) throw new ValidationError(`事项类型“${matterType}”不存在`, [{ field: 'matterType', message: '不在可选范围内' }]);
      return { unitId, matterType, posts: await levels.posts(unitId, matterType) };
    },
  });

  app.put('/api/review-levels', {
    schema: {
      tags: ['运行配置'],
      summary: '保存某单位某事项的审核岗位（按顺序从低到高；空列表表示不分岗）',
      body: z.object({ unitId: z.number().int(), matterType: z.string(), posts: z.array(post).max(10, '最多 10 个岗位') }),
      response: { 200: levelsSchema, ...errors },
    },
    handler: async (request) => {
      const { unitId, matterType, posts } = request.body;
      await levelsScope(request.actor, unitId);
      if (!MATTER_TYPES[matterType]) throw new ValidationError(`事项类型“${matterType}”不存在`, [{ field: 'matterType', message: '不在可选范围内' }]);
      const names = posts.map((p) => p.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) throw new ValidationError(`岗位名称“${dup}”重复`, [{ field: 'posts', message: `岗位名称“${dup}”重复` }]);
      const userIds = [...new Set(posts.flatMap((p) => p.userIds))];
      if (userIds.length) {
        const staff = await accounts.accounts(userIds);
        for (const id of userIds) {
          const user = staff.find((s) => s.id === id);
          if (!user) throw new ValidationError(`人员 ${id} 不存在`, [{ field: 'posts', message: `人员 ${id} 不存在` }]);
          if (user.unitId !== unitId) throw new ValidationError(`“${user.displayName}”不是本单位工作人员`, [{ field: 'posts', message: `“${user.displayName}”不是本单位工作人员` }]);
          // an applicant on a post would review dossiers, their own among them
          if (user.roles.includes('applicant')) throw new ValidationError(`“${user.displayName}”是申报人，不能担任审核岗位`, [{ field: 'posts', message: `“${user.displayName}”是申报人` }]);
          if (user.status !== 'active') throw new ValidationError(`“${user.displayName}”的账号已停用`, [{ field: 'posts', message: `“${user.displayName}”已停用` }]);
        }
      }
      await app.db.transaction(async (trx) => {
        const before = await levels.posts(unitId, matterType, trx);
        await levels.replace(unitId, matterType, posts, trx);
        const summary = (list: Array<{ name: string; userIds: number[] }>) => list.map((p) => ({ name: p.name, userIds: p.userIds }));
        await audit(trx, request.actor, { action: 'review_levels.update', targetType: 'review_levels', targetId: `${unitId}:${matterType}`, unitId, data: { before: { posts: summary(before) }, after: { posts: summary(posts) } } }, app.engine.clock.now());
      });
      return { unitId, matterType, posts: posts.map((p, i) => ({ ...p, levelNo: i + 1 })) };
    },
  });
};

export default reviewLevelsRoutes;
