import { z } from 'zod';
import type { Knex } from 'knex';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { field } from '../../../forms/index.ts';
import { checkIdNumber, idNumberSchema, phoneSchema } from '../../../forms/validators.ts';
import { audit } from '../../src/audit.ts';
import { auditPiiView, maskIdNumber, maskPhone, piiQuerySchema, piiValueSchema } from '../../src/pii.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { filterId, listQuerySchema, pageOf, sendPage, sortOf } from '../../src/list-query.ts';
import { generateInitialPassword, hashPassword } from '../../src/passwords.ts';
import { errorResponses } from '../../src/schemas.ts';
import { inScope } from '../../src/scope.ts';
import { createAccount } from '../staff/accounts.service.ts';
import { APPLICANT_LOGIN_NAME } from '../staff/users.pii.ts';
import { createAuthRepository } from '../auth/auth.repository.ts';
import { unlockLogin } from '../auth/auth.login.ts';
import { createStaffRepository } from '../staff/staff.repository.ts';
import { createUnitsRepository } from '../units/units.repository.ts';
import { createApplicantsRepository, type ApplicantRecord } from './applicants.repository.ts';
import { localBureau } from '../dossiers/dossiers.freelance.ts';

const applicantSchema = z.object({
  id: z.number(),
  /** the system login name (`sq` + id); applicants sign in with their ID number */
  username: z.string(),
  /** what the console shows as the account: `身份证号登录（5101**********231X）`, or a chosen login name */
  login: z.string(),
  displayName: z.string(),
  idNumber: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.string().nullable(),
  phone: z.string().nullable(),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  status: z.string(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  /** set while the account is locked after failed logins */
  loginLockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

const personFields = {
  displayName: field(z.string().trim().min(2, '至少 2 个字符').max(30), { title: '姓名' }),
  idNumber: field(idNumberSchema, { title: '身份证号码' }),
  phone: field(phoneSchema, { title: '手机号码' }),
};

/** An applicant as lists show them: ID number (what they sign in with) and phone masked unless `full`. */
function toApplicant(r: ApplicantRecord, lockedUntil: Date | null = null, full = false) {
  const id = r.idNumber ? checkIdNumber(r.idNumber) : null;
  const shownId = full ? r.idNumber : maskIdNumber(r.idNumber);
  const byIdNumber = r.idNumber !== null && (APPLICANT_LOGIN_NAME.test(r.username) || r.username.toUpperCase() === r.idNumber.toUpperCase());
  return {
    id: r.id,
    username: full || r.username !== r.idNumber ? r.username : maskIdNumber(r.username)!,
    login: byIdNumber ? `身份证号登录（${shownId}）` : r.username,
    displayName: r.displayName,
    idNumber: full ? r.idNumber : maskIdNumber(r.idNumber),
    birthDate: id?.ok ? id.birthDate : null,
    sex: id?.ok ? (id.sex === 'male' ? '男' : '女') : null,
    phone: full ? r.phone : maskPhone(r.phone),
    unitId: r.unitId,
    unitName: r.unitName,
    status: r.status,
    mustChangePassword: r.mustChangePassword,
    lastLoginAt: r.lastLoginAt ? r.lastLoginAt.toISOString() : null,
    loginLockedUntil: lockedUntil?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * 申报人账号: applicants register themselves (real name, ID number, phone, password, employer
 * chosen among approved units) and log in with their ID number; employers may also open accounts
 * for their staff (初始密码 shown once, changed at first login).
 */
const applicantsRoutes: FastifyPluginAsyncZod = async (app) => {
  const now = () => app.engine.clock.now();
  const applicants = createApplicantsRepository(app.db);
  const units = createUnitsRepository(app.db);
  const accounts = createStaffRepository(app.db);
  const logins = createAuthRepository(app.db);

  async function activeEmployer(trx: Knex.Transaction, unitId: number) {
    const unit = await units.get(unitId, trx);
    if (!unit || unit.status !== 'active') throw new ValidationError('工作单位不存在或尚未通过审核', [{ field: 'employerId', message: '请选择已通过审核的工作单位' }]);
    return unit;
  }

  app.post('/api/applicants/register', {
    schema: {
      tags: ['申报人'],
      summary: '申报人注册（以身份证号登录；一个身份证号只能注册一个账号）',
      security: [],
      body: z.object({
        ...personFields,
        employerId: field(z.number().int().positive().optional(), { title: '工作单位' }),
        // 非公 / 自由职业 professionals without an employer name their 属地 instead (notice 002 二(二))
        regionCode: field(z.string().min(1).max(12).optional(), { title: '属地（无工作单位的非公有制经济组织、社会组织和自由职业专业技术人员）' }),
        password: field(z.string().min(1).max(128), { title: '密码' }),
      }),
      response: { 201: z.object({ id: z.number(), username: z.string() }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { employerId, regionCode, ...person } = request.body;
      if (employerId == null && !regionCode) throw new ValidationError('请选择工作单位；没有工作单位的请选择属地', [{ field: 'employerId', message: '请选择工作单位或属地' }]);
      if (employerId != null && regionCode) throw new ValidationError('有工作单位的申报人通过工作单位申报，不能同时选择属地', [{ field: 'regionCode', message: '有工作单位的不选择属地' }]);
      const account = await app.db.transaction(async (trx) => {
        if (employerId != null) {
          await activeEmployer(trx, employerId);
          return createAccount(trx, null, { ...person, username: null, unitId: employerId, roles: ['applicant'] }, now());
        }
        if (!(await localBureau(trx, app.regions, regionCode!))) throw new ValidationError('所选属地没有人社部门受理职称申报', [{ field: 'regionCode', message: '请选择有人社部门的属地' }]);
        const created = await createAccount(trx, null, { ...person, username: null, unitId: null, roles: ['applicant'] }, now());
        await applicants.setRegion(created.id, regionCode!, trx);
        return created;
      });
      reply.code(201);
      return { id: account.id, username: account.username };
    },
  });

  const authenticated: FastifyPluginAsyncZod = async (scoped) => {
    scoped.addHook('onRequest', app.authenticate);
    scoped.addHook('preValidation', app.requirePermission('applicant.manage'));

    scoped.get('/api/applicants', {
      schema: { tags: ['申报人'], summary: '本单位（及下级单位）的申报人账号', querystring: listQuerySchema, response: { 200: z.array(applicantSchema), ...errorResponses } },
      handler: async (request, reply) => {
        const page = pageOf(request.query);
        const [column, order] = sortOf(request.query, { id: 'a.id', displayName: 'a.display_name', createdAt: 'a.created_at' }, ['a.id', 'desc']);
        const f = (request.query.filter ?? {}) as { q?: unknown; unitId?: unknown };
        const filter = { unitPath: request.actor.unitPath ?? '/none/', unitId: filterId(f.unitId, 'unitId'), q: typeof f.q === 'string' && f.q ? f.q : undefined };
        const { rows, total } = await applicants.list(filter, [column, order], page);
        sendPage(reply, 'applicants', page, rows.length, total);
        const locks = await logins.locksOf(rows.map((r) => r.id), now());
        return rows.map((r) => toApplicant(r, locks.get(r.id) ?? null));
      },
    });

    scoped.post('/api/applicants', {
      schema: {
        tags: ['申报人'],
        summary: '为本单位人员开设申报账号（以身份证号登录，返回一次性初始密码）',
        body: z.object(personFields),
        response: { 201: z.object({ applicant: applicantSchema, initialPassword: z.string() }), ...errorResponses },
      },
      handler: async (request, reply) => {
        const unitId = request.actor.unitId ?? 0;
        const created = await app.db.transaction(async (trx) => {
          await activeEmployer(trx, unitId);
          return createAccount(trx, request.actor, { ...request.body, username: null, unitId, roles: ['applicant'] }, now());
        });
        const row = await applicants.get(created.id);
        if (!row) throw new NotFoundError('申报人不存在');
        reply.code(201);
        // the clerk has just typed the numbers: they see them back in full
        return { applicant: toApplicant(row, null, true), initialPassword: created.initialPassword ?? '' };
      },
    });

    scoped.get('/api/applicants/:id/pii', {
      schema: {
        tags: ['申报人'],
        summary: '查看完整的身份证号码或手机号码（列表中为脱敏显示；每次查看记入操作审计）',
        params: z.object({ id: z.coerce.number().int() }),
        querystring: piiQuerySchema,
        response: { 200: piiValueSchema, ...errorResponses },
      },
      handler: async (request) => {
        const row = await applicants.get(request.params.id);
        // another unit's applicant answers exactly as one that does not exist
        if (!row || !row.roles.includes('applicant') || row.unitId == null || !inScope(request.actor, { id: row.unitId, path: String(row.unitPath) }, 'ownOrBelow')) {
          throw new NotFoundError('申报人不存在');
        }
        const { field: which } = request.query;
        await auditPiiView(app.db, request.actor, { subject: 'user', id: row.id, fields: [which], unitId: row.unitId, personName: row.displayName }, now());
        return { field: which, value: which === 'idNumber' ? row.idNumber : row.phone };
      },
    });

    scoped.post('/api/applicants/:id/unlock', {
      schema: {
        tags: ['申报人'],
        summary: '解除申报人的登录锁定（连续 5 次密码错误被锁定 15 分钟），记入操作日志',
        params: z.object({ id: z.coerce.number().int() }),
        response: { 200: applicantSchema, ...errorResponses },
      },
      handler: async (request) => {
        const row = await applicants.get(request.params.id);
        // another unit's applicant answers exactly as one that does not exist
        if (!row || !row.roles.includes('applicant') || row.unitId == null || !inScope(request.actor, { id: row.unitId, path: String(row.unitPath) }, 'ownOrBelow')) {
          throw new NotFoundError('申报人不存在');
        }
        await unlockLogin(app.db, request.actor, { id: row.id, unitId: row.unitId }, now());
        return toApplicant(row);
      },
    });

    scoped.post('/api/applicants/:id/reset-password', {
      schema: {
        tags: ['申报人'],
        summary: '重置申报人密码（返回一次性初始密码）',
        params: z.object({ id: z.coerce.number().int() }),
        response: { 200: z.object({ initialPassword: z.string() }), ...errorResponses },
      },
      handler: async (request) => {
        const row = await applicants.get(request.params.id);
        // another unit's applicant answers exactly as one that does not exist
        if (!row || !row.roles.includes('applicant') || row.unitId == null || !inScope(request.actor, { id: row.unitId, path: String(row.unitPath) }, 'ownOrBelow')) {
          throw new NotFoundError('申报人不存在');
        }
        const password = generateInitialPassword();
        await app.db.transaction(async (trx) => {
          await accounts.resetPassword(row.id, await hashPassword(password), now(), trx);
          await audit(trx, request.actor, { action: 'user.reset_password', targetType: 'user', targetId: row.id, unitId: row.unitId }, now());
        });
        app.principals.invalidate(row.id);
        return { initialPassword: password };
      },
    });
  };
  await app.register(authenticated);
};

export default applicantsRoutes;
