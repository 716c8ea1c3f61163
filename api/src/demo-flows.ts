import type { FastifyInstance } from 'fastify';
import { shanghaiDate } from '../modules/calendar/calendar.service.ts';

/**
 * Drives demo cases through the real flows: the API as the demo accounts would call it (tokens
 * signed for them, no login), and the messages other flows send published on the engine. Any
 * refusal stops the demo load with the route's own message.
 */
export function demoDriver(app: FastifyInstance) {
  const tokens = new Map<string, string>();

  async function token(username: string): Promise<string> {
    const cached = tokens.get(username);
    if (cached) return cached;
    const user = await app.db('users').where({ username }).first('id', 'password_changed_at');
    if (!user) throw new Error(`演示数据：账号 ${username} 不存在`);
    const value = app.signToken({ userId: Number(user.id), username, passwordChangedAt: user.password_changed_at ? new Date(user.password_changed_at) : null });
    tokens.set(username, value);
    return value;
  }

  async function call<T = unknown>(user: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<T> {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${await token(user)}` }, ...(body !== undefined ? { payload: body as object } : {}) });
    if (res.statusCode >= 300) throw new Error(`演示数据：${user} ${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }

  /** One small PDF uploaded by `user` (POST /api/files, as the console does). */
  async function uploadPdf(user: string, name: string): Promise<{ id: string; name: string; size: number; mime: string }> {
    const boundary = '----zcpsDemoBoundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
      Buffer.from(`%PDF-1.4\n% ${name}（演示数据）\n`),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({ method: 'POST', url: '/api/files', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${await token(user)}` } });
    if (res.statusCode >= 300) throw new Error(`演示数据：上传 ${name} → ${res.statusCode} ${res.body}`);
    const [file] = res.json() as Array<{ id: string; name: string; size: number; mime: string }>;
    return { id: file!.id, name: file!.name, size: file!.size, mime: file!.mime };
  }

  /** The open task of a case in `user`'s inbox at a step. */
  async function taskOf(user: string, rootInstanceId: string, elementId: string): Promise<string> {
    const items = await call<Array<{ id: string; elementId: string; stepElementId: string; rootInstanceId: string }>>(user, 'GET', '/api/tasks');
    const item = items.find((i) => i.rootInstanceId === rootInstanceId && (i.elementId === elementId || i.stepElementId === elementId));
    if (!item) throw new Error(`演示数据：${user} 没有案件 ${rootInstanceId} 的 ${elementId} 待办`);
    return item.id;
  }

  async function complete(user: string, taskId: string, action: string, opinion?: string, data?: unknown): Promise<void> {
    await call(user, 'POST', `/api/tasks/${taskId}/complete`, { action, ...(opinion ? { opinion } : {}), ...(data ? { data } : {}) });
  }

  /** A message another flow sends (the meeting's results, its hand-over to publicity), delivered now. */
  async function publish(name: string, correlationKey: string, payload: Record<string, unknown> = {}): Promise<void> {
    await app.db.transaction((trx) => app.engine.publishMessage(trx, { name, correlationKey, payload }));
    await app.engine.deliverMessages();
  }

  return { call, uploadPdf, taskOf, complete, publish };
}

export type DemoDriver = ReturnType<typeof demoDriver>;

/** `day` moved by `n` calendar days (YYYY-MM-DD). */
export function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The employer's 单位公示 before its pass: the 20 days up to today, or — in a year the 工作日历
 * does not hold yet — the last 20 days of its last year, which the calendar can count.
 */
function unitPublicityPeriod(app: FastifyInstance, now: Date) {
  const years = app.calendar.years();
  const today = shanghaiDate(now);
  const last = Math.max(...years);
  const end = Number(today.slice(0, 4)) > last ? `${last}-12-31` : today;
  return { publicityStart: shiftDay(end, -20), publicityEnd: end };
}

export interface DemoApplicant {
  username: string;
  name: string;
  gender: 'male' | 'female';
  specialty: string;
}

/** A complete 申报材料 of a demo applicant (中级, the demo employer). */
export function demoDossierData(a: DemoApplicant, birthDate: string, phone: string) {
  return {
    series: 'engineering',
    specialty: a.specialty,
    level: 'intermediate',
    evaluationMethod: 'normal',
    gender: a.gender,
    birthDate,
    phone,
    currentTitle: '助理工程师',
    currentTitleDate: '2017-12-01',
    education: 'bachelor',
    school: '四川大学',
    major: a.specialty,
    graduationDate: '2011-06-30',
    workStartDate: '2011-07-01',
    qualifications: [],
    continuingEducationHours: 120,
    workHistory: [{ from: '2011-07-01', unit: '成都示范科技有限公司', post: '技术员' }],
    workSummary: '从事本专业技术工作十余年（演示数据）。',
    achievements: [],
  };
}

/**
 * A dossier through the real dossier-review flow up to 评委会接收: the applicant submits, 示范科技
 * passes it with its 公示期 and files, 经信局 and 市人社局 pass it, the committee receives it.
 */
export async function receiveDemoDossier(app: FastifyInstance, d: DemoDriver, applicant: string, activityId: number, data: Record<string, unknown>, now: Date) {
  const { id } = await d.call<{ id: string }>(applicant, 'POST', '/api/process-instances', { processKey: 'dossier-review', variables: { activityId } });
  // every submission accepts the 诚信承诺
  await d.complete(applicant, await d.taskOf(applicant, id, 'submit'), 'submit', undefined, { pledge: true, ...data });
  const employerPass = {
    ...unitPublicityPeriod(app, now),
    publicityProof: [await d.uploadPdf('kj_hr', '单位公示证明.pdf')],
    recommendation: [await d.uploadPdf('kj_hr', '综合推荐材料.pdf')],
  };
  await d.complete('kj_hr', await d.taskOf('kj_hr', id, 'unit_review'), 'pass', '经单位公示无异议，同意推荐', employerPass);
  await d.complete('cd_jxj', await d.taskOf('cd_jxj', id, 'department_review'), 'pass', '同意');
  await d.complete('cd_hr', await d.taskOf('cd_hr', id, 'bureau_review'), 'pass', '同意');
  await d.complete('cd_pw', await d.taskOf('cd_pw', id, 'committee_receipt'), 'pass', '予以接收');
  const row = await app.db('dossiers').where({ instance_id: id }).first('id');
  return { instanceId: id, dossierId: Number(row.id) };
}
