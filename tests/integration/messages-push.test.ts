import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * 消息推送 (manual §1.2.10–1.2.12): a unit's staff send to units below theirs or to applicants
 * of their own unit; each recipient sees it in 已接收消息 with the sender, confirms it read, and
 * the sender's 已发送 list counts the readings (已读 x / 共 y).
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const ids = { department: 0, employer: 0, county: 0, province: 0, zhangwei: 0, lina: 0 };

type Res = { statusCode: number; body: string; json: () => unknown; headers: Record<string, unknown> };
const json = <T = Record<string, unknown>>(res: Res, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};
interface Received {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  read: boolean;
  readAt: string | null;
  sender: { unitName: string; userName: string } | null;
}
interface Receipt {
  recipientId: number;
  recipientName: string;
  read: boolean;
  readAt: string | null;
  readBy: string | null;
}
const unread = async (user: string) => json<{ count: number }>(await t.request('GET', '/api/messages/unread-count', { user })).count;
const inbox = async (user: string, filter = '') => json<Received[]>(await t.request('GET', `/api/messages${filter}`, { user }));
const push = (user: string, body: unknown) => t.request('POST', '/api/message-pushes', { user, body });

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const unit = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  const user = async (username: string) => Number((await db.knex('users').where({ username }).first('id')).id);
  ids.department = await unit('成都市经济和信息化局');
  ids.employer = await unit('成都示范科技有限公司');
  ids.county = await unit('成都市锦江区人力资源和社会保障局');
  ids.province = await unit('四川省人力资源和社会保障厅');
  ids.zhangwei = await user('zhangwei');
  ids.lina = await user('lina');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('choosing recipients', () => {
  it('finds the units below the sender by name, never the sender or the units above', async () => {
    // given 成都市人社局 with 经信局, 锦江区人社局 and 示范科技 below it
    // when its clerk searches for 科技
    const found = await t.request('GET', `/api/message-recipients/units?filter=${encodeURIComponent(JSON.stringify({ q: '科技' }))}`, { user: 'cd_hr' });
    // then only 示范科技 is offered
    expect(json<Array<{ id: number }>>(found).map((u) => u.id)).toEqual([ids.employer]);
    const all = json<Array<{ id: number }>>(await t.request('GET', '/api/message-recipients/units', { user: 'cd_hr' })).map((u) => u.id);
    expect(all).toEqual(expect.arrayContaining([ids.department, ids.employer, ids.county]));
    expect(all).not.toContain(ids.province);
    expect(json<unknown[]>(await t.request('GET', '/api/message-recipients/units', { user: 'kj_hr' }))).toEqual([]);
  });

  it('lists the applicants of the sender’s own unit (本单位人员列表)', async () => {
    const persons = json<Array<{ id: number; name: string }>>(await t.request('GET', '/api/message-recipients/persons', { user: 'kj_hr' }));
    expect(persons.map((p) => p.id)).toEqual(expect.arrayContaining([ids.zhangwei, ids.lina]));
    // the department has no applicants of its own: 示范科技's are not its people
    expect(json<unknown[]>(await t.request('GET', '/api/message-recipients/persons', { user: 'cd_jxj' }))).toEqual([]);
  });
});

describe('sending to units', () => {
  it('reaches every chosen unit’s staff once, with the sender, and counts the readings', async () => {
    // given nothing unread at the department and the employer
    await t.request('POST', '/api/messages/read-all', { user: 'cd_jxj' });
    await t.request('POST', '/api/messages/read-all', { user: 'kj_hr' });
    // when the city bureau sends one message to both
    const sent = json<{ id: number; recipientCount: number }>(await push('cd_hr', { recipientKind: 'unit', recipientIds: [ids.department, ids.employer, ids.employer], title: '关于报送材料的通知', content: '请于本周五前报送。' }), 201);
    expect(sent.recipientCount).toBe(2);
    // then each sees it unread, with the sending unit and person
    expect(await unread('cd_jxj')).toBe(1);
    expect(await unread('kj_hr')).toBe(1);
    const [got] = await inbox('kj_hr', `?filter=${encodeURIComponent(JSON.stringify({ unread: true }))}`);
    expect(got).toMatchObject({ kind: 'push', title: '关于报送材料的通知', body: '请于本周五前报送。', read: false, sender: { unitName: '成都市人力资源和社会保障局', userName: '成都市人社局经办人' } });
    // and the applicants of the employer do not see a unit's message
    expect((await inbox('zhangwei')).some((m) => m.title === '关于报送材料的通知')).toBe(false);

    // when the employer's clerk confirms it read
    json(await t.request('POST', `/api/messages/${got!.id}/read`, { user: 'kj_hr' }));
    // then the sender sees 已读 1 / 共 2, who read it and when
    const [listed] = json<Array<{ id: number; readCount: number; recipientCount: number }>>(await t.request('GET', '/api/message-pushes', { user: 'cd_hr' }));
    expect(listed).toMatchObject({ id: sent.id, readCount: 1, recipientCount: 2 });
    const detail = json<{ receipts: Receipt[] }>(await t.request('GET', `/api/message-pushes/${sent.id}`, { user: 'cd_hr' }));
    const byId = new Map(detail.receipts.map((r) => [r.recipientId, r]));
    expect(byId.get(ids.employer)).toMatchObject({ recipientName: '成都示范科技有限公司', read: true, readBy: '示范科技经办人' });
    expect(byId.get(ids.employer)!.readAt).toBe(t.clock.now().toISOString());
    expect(byId.get(ids.department)).toMatchObject({ recipientName: '成都市经济和信息化局', read: false, readAt: null, readBy: null });
    expect(await unread('kj_hr')).toBe(0);
  });
});

describe('sending to persons', () => {
  it('reaches only the chosen applicants; a batch 确认已读 marks them', async () => {
    // given two applicants of 示范科技 who have read everything
    await t.request('POST', '/api/messages/read-all', { user: 'zhangwei' });
    await t.request('POST', '/api/messages/read-all', { user: 'lina' });
    const beforeStaff = await unread('kj_hr');
    // when the employer's clerk sends two messages to 张伟 and one to 李娜
    json(await push('kj_hr', { recipientKind: 'person', recipientIds: [ids.zhangwei], title: '请补充学历证书', content: '请上传学历证书扫描件。' }), 201);
    const both = json<{ id: number }>(await push('kj_hr', { recipientKind: 'person', recipientIds: [ids.zhangwei, ids.lina], title: '年度申报安排', content: '今年申报于下月开始。' }), 201);
    // then each applicant sees what names them, the clerks of the unit nothing new
    expect(await unread('zhangwei')).toBe(2);
    expect(await unread('lina')).toBe(1);
    expect(await unread('kj_hr')).toBe(beforeStaff);
    const mine = await inbox('zhangwei', `?filter=${encodeURIComponent(JSON.stringify({ unread: true }))}`);
    expect(mine.map((m) => m.title)).toEqual(['年度申报安排', '请补充学历证书']);
    expect(mine[0]!.sender).toEqual({ unitName: '成都示范科技有限公司', userName: '示范科技经办人' });

    // when 张伟 confirms both at once
    expect(json<{ count: number }>(await t.request('POST', '/api/messages/read', { user: 'zhangwei', body: { ids: mine.map((m) => m.id) } })).count).toBe(2);
    // then nothing is unread for him, and the receipt names him as the reader; 李娜 has not read it
    expect(await unread('zhangwei')).toBe(0);
    const receipts = json<{ readCount: number; receipts: Receipt[] }>(await t.request('GET', `/api/message-pushes/${both.id}`, { user: 'kj_hr' }));
    expect(receipts.readCount).toBe(1);
    expect(receipts.receipts.find((r) => r.recipientId === ids.zhangwei)).toMatchObject({ recipientName: '张伟', read: true, readBy: '张伟' });
    expect(receipts.receipts.find((r) => r.recipientId === ids.lina)).toMatchObject({ read: false });
  });

  it('a batch 确认已读 naming a message the reader does not see answers 404 and marks nothing', async () => {
    const [linaMsg] = await inbox('lina', `?filter=${encodeURIComponent(JSON.stringify({ unread: true }))}`);
    const res = await t.request('POST', '/api/messages/read', { user: 'zhangwei', body: { ids: [linaMsg!.id] } });
    expect(res.statusCode).toBe(404);
    expect(await unread('lina')).toBeGreaterThan(0);
  });
});

describe('scope', () => {
  it('refuses a unit outside the sender’s subtree with 404 naming nothing, and sends nothing', async () => {
    const before = Number((await db.knex('messages').count({ n: '*' }))[0]!.n);
    // a unit above (the employer writing to its department), a sibling branch (the county to the employer), the own unit
    for (const [user, target] of [
      ['kj_hr', ids.department],
      ['jj_hr', ids.employer],
      ['cd_jxj', ids.department],
    ] as const) {
      const res = await push(user, { recipientKind: 'unit', recipientIds: [target], title: '越权', content: '越权' });
      expect(res.statusCode, `${user} → ${target}`).toBe(404);
      expect(res.body).not.toContain('成都');
    }
    // one good and one foreign recipient: nothing at all is sent
    expect((await push('cd_jxj', { recipientKind: 'unit', recipientIds: [ids.employer, ids.county], title: '部分越权', content: '部分越权' })).statusCode).toBe(404);
    expect(Number((await db.knex('messages').count({ n: '*' }))[0]!.n)).toBe(before);
    expect(await db.knex('message_pushes').where({ title: '部分越权' }).first()).toBeUndefined();
  });

  it('refuses a person who is not an applicant of the sender’s own unit with 404', async () => {
    // the department's clerk and 示范科技's applicants; a clerk is no applicant either
    expect((await push('cd_jxj', { recipientKind: 'person', recipientIds: [ids.zhangwei], title: '越权', content: '越权' })).statusCode).toBe(404);
    const clerk = Number((await db.knex('users').where({ username: 'kj_hr' }).first('id')).id);
    expect((await push('kj_hr', { recipientKind: 'person', recipientIds: [clerk], title: '越权', content: '越权' })).statusCode).toBe(404);
  });

  it('refuses a caller without 消息推送 (an applicant) with 403, and keeps each unit’s 已发送 to itself', async () => {
    expect((await push('zhangwei', { recipientKind: 'person', recipientIds: [ids.lina], title: '你好', content: '你好' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/message-pushes', { user: 'zhangwei' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/message-recipients/persons', { user: 'zhangwei' })).statusCode).toBe(403);
    // the city bureau's push is not the department's to read
    const [cityPush] = json<Array<{ id: number }>>(await t.request('GET', '/api/message-pushes', { user: 'cd_hr' }));
    expect((await t.request('GET', `/api/message-pushes/${cityPush!.id}`, { user: 'cd_jxj' })).statusCode).toBe(404);
    expect(json<Array<{ id: number }>>(await t.request('GET', '/api/message-pushes', { user: 'cd_jxj' })).map((p) => p.id)).not.toContain(cityPush!.id);
  });
});

describe('validation', () => {
  const good = () => ({ recipientKind: 'unit', recipientIds: [ids.employer], title: '标题', content: '内容' });
  it.each([
    ['no recipients', { recipientIds: [] }, 'body.recipientIds', '接收对象'],
    ['empty content', { content: '   ' }, 'body.content', '消息内容'],
    ['an empty title', { title: '' }, 'body.title', '标题'],
    ['over-long content', { content: '长'.repeat(2001) }, 'body.content', '消息内容'],
    ['an unknown kind', { recipientKind: 'all' }, 'body.recipientKind', '接收对象类型'],
  ])('answers 400 naming the field for %s', async (_case, change, field, label) => {
    const res = await push('cd_hr', { ...good(), ...change });
    const body = json<{ message: string; details: Array<{ field: string; message: string }> }>(res, 400);
    expect(body.details.map((d) => d.field)).toContain(field);
    expect(body.message).toContain(label);
  });

  it('answers 400 for a NUL byte in the text', async () => {
    const res = await push('cd_hr', { ...good(), content: 'a\u0000b' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('content');
  });
});
