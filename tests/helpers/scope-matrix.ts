import fc from 'fast-check';
import type { Knex } from 'knex';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.ts';
import { fuzzOperations } from './fuzz-run.ts';
import { shapedValue, type Operation } from './openapi-fuzz.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { assignablePermissions, builtInRolesFor } from '../../api/src/permissions.ts';
import { activityBody } from './fixtures.ts';

/** Path-parameter values that exist in the demo data, by parameter name (the fuzz mixes them in). */
export async function existingIds(knex: Knex): Promise<Record<string, string[]>> {
  const ids = async (table: string, n = 2) => (await knex(table).select('id').orderBy('id', 'desc').limit(n)).map((r: { id: unknown }) => String(r.id));
  const certificate = await knex('certificates').first('certificate_no');
  return {
    id: ['1', '2', '3', ...(await ids('process_instances', 1)), ...(await ids('tasks', 1)), ...(await ids('files', 1))],
    meetingId: await ids('review_meetings'),
    dossierId: await ids('dossiers'),
    committeeId: await ids('committees'),
    fileId: await ids('files', 1),
    importId: await ids('meeting_prep_imports', 1),
    key: ['dossier-review', 'unit-registration'],
    version: ['1'],
    code: ['510100', '510000'],
    year: ['2026'],
    certificateNo: certificate ? [String(certificate.certificate_no)] : [],
  };
}

// ---- the other unit tree ----------------------------------------------------------------------

export interface ScopeCaller {
  username: string;
  /** unit type and role, in Chinese, for the report */
  label: string;
}

let creditSeq = 0;
const creditCode = () => `91510700MA${String(100000 + ++creditSeq).padStart(6, '0')}X${creditSeq % 10}`.slice(0, 18);

/**
 * A second city beside the demo's 成都 under the same province — 绵阳: its 市人社局 (with a
 * 评委会经办人), a 县人社局, a 主管部门 with a 用人单位 below it, a 自主评审单位 and a 中央在川单位,
 * an applicant of the 用人单位 and an expert account. Every staff member holds their unit's built-in
 * roles and a role of the unit's own with every permission the catalogue lets that unit type hold:
 * the strongest caller each unit type can have. Nothing of 成都 is theirs.
 */
export async function createOtherUnitTree(knex: Knex, options: { builtInOnly?: boolean } = {}): Promise<ScopeCaller[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const province = await knex('units').whereNull('parent_id').orderBy('id').first();
  const now = new Date();
  const insertUnit = async (parent: { id: unknown; path: string }, unit: { name: string; unit_type: string; admin_level: string; region_code: string; nature: string }) => {
    const [row] = await knex('units')
      .insert({ ...unit, parent_id: parent.id, path: '/', credit_code: creditCode(), phone: '0816-2220000', status: 'active', created_at: now, updated_at: now })
      .returning(['id', 'path']);
    const path = `${parent.path}${row.id}/`;
    await knex('units').where({ id: row.id }).update({ path });
    return { id: row.id, path, unitType: unit.unit_type, adminLevel: unit.admin_level };
  };
  const city = await insertUnit(province, { name: '绵阳市人力资源和社会保障局', unit_type: 'hr_bureau', admin_level: 'city', region_code: '510700', nature: 'agency' });
  const county = await insertUnit(city, { name: '绵阳市涪城区人力资源和社会保障局', unit_type: 'hr_bureau', admin_level: 'county', region_code: '510703', nature: 'agency' });
  const department = await insertUnit(city, { name: '绵阳市经济和信息化局', unit_type: 'department', admin_level: 'city', region_code: '510700', nature: 'agency' });
  const employer = await insertUnit(department, { name: '绵阳示范电子有限公司', unit_type: 'employer', admin_level: 'city', region_code: '510700', nature: 'enterprise' });
  const selfReview = await insertUnit(city, { name: '绵阳师范学院', unit_type: 'self_review_unit', admin_level: 'city', region_code: '510700', nature: 'institution' });
  const central = await insertUnit(province, { name: '中国工程物理研究院（在川）', unit_type: 'central_unit', admin_level: 'province', region_code: '510700', nature: 'institution' });

  const callers: ScopeCaller[] = [];
  const user = async (username: string, label: string, unitId: unknown, roles: string[], extra: Record<string, unknown> = {}) => {
    await knex('users').insert({ username, password_hash: hash, display_name: label.slice(0, 20), unit_id: unitId, roles, status: 'active', must_change_password: false, created_at: now, updated_at: now, ...extra });
    callers.push({ username, label });
  };
  const units: Array<[string, string, typeof city]> = [
    ['my_shi', '市人社局', city],
    ['my_xian', '县人社局', county],
    ['my_bumen', '主管部门', department],
    ['my_danwei', '用人单位', employer],
    ['my_zizhu', '自主评审单位', selfReview],
    ['my_zhongyang', '中央在川单位', central],
  ];
  for (const [prefix, name, unit] of units) {
    const builtIn = builtInRolesFor(unit);
    if (!options.builtInOnly) {
      const [role] = await knex('roles').insert({ unit_id: unit.id, name: '全部权限', permissions: assignablePermissions(unit), created_at: now, updated_at: now }).returning('id');
      await user(`${prefix}_all`, `${name}（全部权限）`, unit.id, [...builtIn, `role:${role.id}`]);
    }
    for (const role of builtIn) await user(`${prefix}_${role}`, `${name}（${role}）`, unit.id, [role]);
  }
  await user('my_applicant', '申报人（绵阳用人单位）', employer.id, ['applicant'], { id_number: '510703199001011234' });
  await user('my_expert', '评审专家（其他评委会）', null, []);
  return callers;
}

// ---- the matrix ---------------------------------------------------------------------------------

/** Parameters whose values are not records of a unit (enums, years, codes, process keys) or routes public by design. */
const NOT_A_RECORD = new Set(['kind', 'sheet', 'year', 'code', 'key', 'version', 'ref', 'certificateNo']);

/** The table a path parameter's record lives in, from the path segment before it. */
const TABLE_OF: Record<string, string> = {
  activities: 'activities',
  'published-activities': 'activities',
  committees: 'committees',
  applicants: 'users:applicant',
  certificates: 'certificates',
  files: 'files',
  announcements: 'announcements',
  batches: 'issuance_batches',
  persons: 'initial_persons',
  'history-bodies': 'history_bodies',
  'history-uploads': 'history_uploads',
  records: 'history_records',
  'history-certificates': 'issuance_batches',
  incidents: 'incidents',
  'process-instances': 'process_instances',
  meetings: 'review_meetings',
  'result-confirmations': 'review_meetings',
  panels: 'meeting_panels',
  'draw-groups': 'draw_groups',
  draws: 'expert_draws',
  messages: 'messages',
  'message-pushes': 'message_pushes',
  objections: 'dossiers',
  candidates: 'dossiers',
  supplements: 'dossiers',
  dossiers: 'dossiers',
  'forwarded-dossiers': 'dossiers',
  imports: 'meeting_prep_imports',
  'saved-opinions': 'saved_opinions',
  'expert-pools': 'committees',
  'expert-imports': 'expert_imports',
  experts: 'experts',
  publicity: 'publicity_notices',
  roles: 'roles',
  'department-routes': 'committees',
  'task-due-dates': 'task_settings',
  staff: 'users:staff',
  talents: 'talents',
  tasks: 'tasks',
  'title-recognitions': 'title_recognitions',
  units: 'units',
  'subordinate-units': 'units',
};

export function tableOf(op: Operation, param: string): string | null {
  if (NOT_A_RECORD.has(param)) return null;
  const segments = op.path.split('/');
  const i = segments.indexOf(`{${param}}`);
  let segment = segments[i - 1] ?? '';
  if (segment === 'imports' && op.path.startsWith('/api/expert-pools')) segment = 'expert-imports';
  return TABLE_OF[segment] ?? null;
}

/**
 * Routes whose records every logged-in person of the province may reach by design, with the
 * reason; the matrix leaves them out and the report names them.
 */
export const OPEN_BY_DESIGN: Record<string, string> = {
  'GET /api/units/{id}': '单位目录：选择单位用，任何登录用户可查（与公开的 /api/public/units 相同的目录项）',
  'POST /api/publicity/{id}/complaints': '评审结果公示面向社会公开，任何人可在公示期内投诉',
  'PUT /api/department-routes/{committeeId}': '主管部门配置：各地人社局为全省任一评委会设置本地区的主管部门',
  'DELETE /api/department-routes/{committeeId}': '主管部门配置：同上，取消的是本地区自己的设置',
};

/** Routes the matrix covers: every one with a record in its path, except the public pages and OPEN_BY_DESIGN. */
export function isResourceRoute(op: Operation): boolean {
  if (op.path.startsWith('/api/public/') || OPEN_BY_DESIGN[`${op.method} ${op.path}`]) return false;
  return op.pathParams.length > 0 && op.pathParams.some((p) => tableOf(op, p.name) !== null);
}

/**
 * Records of 成都 that only their unit may see, which the demo data leaves out: an unpublished
 * activity (a published one is public by design), a clerk's own saved opinion (the preset ones are
 * everybody's), a role of 示范科技's own and a draft announcement of the city bureau.
 */
export async function seedPrivateRecords(t: TestApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const committee = (await t.request('GET', '/api/activities/committee-options', { user: 'cd_pw' })).json() as Array<{ id: number }>;
  const activity = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(committee[0]!.id, { name: '2027年度成都市工程技术系列中级职称专项评审（草稿）', kind: 'special' }) });
  if (activity.statusCode === 201) out.activities = String(activity.json().id);
  const opinion = await t.request('POST', '/api/saved-opinions', { user: 'kj_hr', body: { text: '示范科技经办人的常用意见' } });
  if (opinion.statusCode === 201) out.saved_opinions = String(opinion.json().id);
  const role = await t.request('POST', '/api/roles', { user: 'kj_hr', body: { name: '示范科技审核岗', permissions: ['dossier.review.own'] } });
  if (role.statusCode === 201) out.roles = String(role.json().id);
  const notice = await t.request('POST', '/api/announcements', { user: 'cd_pw', body: { type: 'notice', title: '成都市评委会内部通知（草稿）', content: '草稿' } });
  if (notice.statusCode === 201) out.announcements = String(notice.json().id);
  return out;
}

/** A record of 成都 (the demo's units) for each table, or null when the data holds none. */
export async function recordsOfDemo(knex: Knex, seeded: Record<string, string> = {}): Promise<(table: string) => Promise<string | null>> {
  const cache = new Map<string, string | null>(Object.entries(seeded));
  return async (table) => {
    if (cache.has(table)) return cache.get(table)!;
    let id: unknown;
    if (table === 'users:staff') id = (await knex('users').where({ username: 'kj_hr' }).first('id'))?.id;
    else if (table === 'users:applicant') id = (await knex('users').where({ username: 'zhangwei' }).first('id'))?.id;
    else if (table === 'units') id = (await knex('units').where({ name: '成都示范科技有限公司' }).first('id'))?.id;
    else if (table === 'roles') id = (await knex('roles').join('units', 'units.id', 'roles.unit_id').where('units.name', 'like', '成都%').first('roles.id'))?.id;
    else if (table === 'saved_opinions') id = (await knex('saved_opinions').whereNotNull('user_id').orderBy('id', 'desc').first('id'))?.id;
    else if (table === 'task_settings') id = null;
    else id = (await knex(table).orderBy('id', 'desc').first('id'))?.id;
    const value = id == null ? null : String(id);
    cache.set(table, value);
    return value;
  };
}

const MISSING_INT = '2000000001';
const MISSING_UUID = 'ffffffff-ffff-4fff-bfff-fffffffffff1';

export interface ScopeStats {
  routes: number;
  routesWithoutRecord: string[];
  callers: number;
  pairs: number;
  refused: number;
  byStatus: Record<string, number>;
  violations: Array<{ caller: string; route: string; rule: 'allowed' | 'leak'; detail: string }>;
}

function normalise(res: LightMyRequestResponse, ids: string[]): string {
  let body = res.body;
  for (const id of ids) body = body.split(id).join('<id>');
  return `${res.statusCode} ${body.replace(/\d{6,}/g, '<n>')}`;
}

/**
 * Every caller of the other tree against every resource route, with the path naming a record of
 * 成都: the answer must be a refusal (401/403/404, or the 400 a body gets before anything is
 * looked up) and the very answer a record nobody has gets — nothing tells that the record exists.
 */
export async function runScopeMatrix(
  t: TestApp,
  knex: Knex,
  callers: ScopeCaller[],
  options: { seed: number; seeded?: Record<string, string>; filter?: (op: Operation) => boolean; progress?: (done: number, total: number, stats: ScopeStats) => void },
): Promise<ScopeStats> {
  const ops = (await fuzzOperations(t)).filter(isResourceRoute).filter(options.filter ?? (() => true));
  const recordOf = await recordsOfDemo(knex, options.seeded);
  const stats: ScopeStats = { routes: ops.length, routesWithoutRecord: [], callers: callers.length, pairs: 0, refused: 0, byStatus: {}, violations: [] };
  const tokens = new Map<string, string>();
  for (const c of callers) tokens.set(c.username, await t.token(c.username));
  const send = (op: Operation, url: string, token: string, payload?: string) =>
    t.app.inject({ method: op.method as 'GET', url, headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload } : {}) });

  for (const [index, op] of ops.entries()) {
    const route = `${op.method} ${op.path}`;
    const real: Record<string, string> = {};
    const missing: Record<string, string> = {};
    let complete = true;
    for (const p of op.pathParams) {
      const table = tableOf(op, p.name);
      const uuid = p.schema.format === 'uuid';
      if (!table) {
        const fixed = p.name === 'kind' ? String((p.schema.enum ?? ['review'])[0]) : p.name === 'sheet' ? 'roster' : '1';
        real[p.name] = fixed;
        missing[p.name] = fixed;
        continue;
      }
      const raw = await recordOf(table);
      const id = raw != null && table === 'roles' && !raw.startsWith('role:') ? `role:${raw}` : raw;
      if (id == null) complete = false;
      real[p.name] = id ?? (uuid ? MISSING_UUID : MISSING_INT);
      missing[p.name] = table === 'roles' ? `role:${MISSING_INT}` : uuid ? MISSING_UUID : MISSING_INT;
    }
    if (!complete) stats.routesWithoutRecord.push(route);
    const fill = (values: Record<string, string>) => op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name]!));
    const bodies = op.body ? fc.sample(shapedValue(op.body), { seed: options.seed + index, numRuns: 4 }).map((b) => JSON.stringify(b)) : [undefined];
    for (const caller of callers) {
      const token = tokens.get(caller.username)!;
      // the body that gets furthest with a record nobody has: past the schema when one of the samples does
      let body = bodies[0];
      let absent = await send(op, fill(missing), token, body);
      for (const candidate of bodies.slice(1)) {
        if (absent.statusCode !== 400) break;
        body = candidate;
        absent = await send(op, fill(missing), token, body);
      }
      const present = await send(op, fill(real), token, body);
      stats.pairs++;
      stats.byStatus[present.statusCode] = (stats.byStatus[present.statusCode] ?? 0) + 1;
      const ids = [...Object.values(real), ...Object.values(missing)].filter((v) => v.length > 1);
      const refusedStatus = [401, 403, 404].includes(present.statusCode) || (present.statusCode === 400 && absent.statusCode === 400);
      if (!refusedStatus) {
        stats.violations.push({ caller: caller.label, route, rule: 'allowed', detail: `${fill(real)} → ${present.statusCode} ${present.body.slice(0, 160)}` });
      } else if (normalise(present, ids) !== normalise(absent, ids)) {
        stats.violations.push({ caller: caller.label, route, rule: 'leak', detail: `${fill(real)} → ${present.statusCode} ${present.body.slice(0, 120)}；不存在的记录 → ${absent.statusCode} ${absent.body.slice(0, 120)}` });
      } else {
        stats.refused++;
      }
    }
    options.progress?.(index + 1, ops.length, stats);
  }
  return stats;
}
