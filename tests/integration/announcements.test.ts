import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { uploadPdf } from '../helpers/files.ts';

/**
 * 通知公告管理 (manual §1.2.15.1): a unit's managers add, edit, publish, revoke and delete (drafts
 * only) its announcements, with attachments; the public home page lists the published ones only.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

type Res = { statusCode: number; body: string; json: () => unknown; headers: Record<string, unknown> };
const json = <T = Record<string, unknown>>(res: Res, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};
interface Announcement {
  id: number;
  type: string;
  typeLabel: string;
  title: string;
  content: string;
  state: string;
  stateLabel: string;
  version: number;
  publishedAt: string | null;
  attachments: Array<{ id: string; name: string }>;
}
const pub = (url: string) => t.app.inject({ method: 'GET', url });
const filter = (f: Record<string, unknown>) => `filter=${encodeURIComponent(JSON.stringify(f))}`;
const create = async (user: string, body: Record<string, unknown>) => json<Announcement>(await t.request('POST', '/api/announcements', { user, body: { type: 'notice', content: '正文', ...body } }), 201);

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the life cycle', () => {
  it('adds a draft with an attachment, edits, publishes, revokes and publishes again; the public sees it only while published', async () => {
    // given the city bureau's clerk with an uploaded file
    const file = await uploadPdf(t, 'cd_hr', '申报条件.pdf');
    // when they add an announcement of 申报条件
    const draft = await create('cd_hr', { type: 'eligibility', title: '2026年度工程系列中级申报条件', content: '一、基本条件……', attachmentIds: [file.id] });
    // then it is a draft, with the attachment, invisible to the public
    expect(draft).toMatchObject({ state: 'draft', stateLabel: '草稿', typeLabel: '申报条件', attachments: [{ id: file.id, name: '申报条件.pdf' }] });
    expect((await pub(`/api/public/announcements/${draft.id}`)).statusCode).toBe(404);
    expect(json<Announcement[]>(await pub('/api/public/announcements')).map((a) => a.id)).not.toContain(draft.id);

    // when it is edited, then published
    const edited = json<Announcement>(await t.request('PUT', `/api/announcements/${draft.id}`, { user: 'cd_hr', body: { type: 'eligibility', title: '2026年度工程系列中级职称申报条件', content: '一、基本条件（修订）', attachmentIds: [file.id], version: draft.version } }));
    expect(edited.title).toBe('2026年度工程系列中级职称申报条件');
    const published = json<Announcement>(await t.request('POST', `/api/announcements/${draft.id}/publish`, { user: 'cd_hr' }));
    expect(published).toMatchObject({ state: 'published', publishedAt: t.clock.now().toISOString() });

    // then anyone sees it, reads its attachment, finds it by type and by title
    const shown = json<Announcement & { unitName: string }>(await pub(`/api/public/announcements/${draft.id}`));
    expect(shown).toMatchObject({ title: '2026年度工程系列中级职称申报条件', content: '一、基本条件（修订）', typeLabel: '申报条件', unitName: '成都市人力资源和社会保障局' });
    expect(shown).not.toHaveProperty('state');
    const download = await pub(`/api/public/announcements/${draft.id}/files/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(json<Announcement[]>(await pub(`/api/public/announcements?${filter({ type: 'eligibility' })}`)).map((a) => a.id)).toEqual([draft.id]);
    expect(json<Announcement[]>(await pub(`/api/public/announcements?${filter({ type: 'policy' })}`))).toEqual([]);
    expect(json<Announcement[]>(await pub(`/api/public/announcements?${filter({ q: '中级职称申报' })}`)).map((a) => a.id)).toEqual([draft.id]);

    // a published announcement is not edited or deleted in place, nor published twice
    expect((await t.request('PUT', `/api/announcements/${draft.id}`, { user: 'cd_hr', body: { type: 'eligibility', title: 'x', content: 'y', version: published.version } })).statusCode).toBe(409);
    expect((await t.request('DELETE', `/api/announcements/${draft.id}`, { user: 'cd_hr' })).statusCode).toBe(409);
    const twice = await Promise.all([t.request('POST', `/api/announcements/${draft.id}/publish`, { user: 'cd_hr' })]);
    expect(twice[0]!.statusCode).toBe(409);

    // when it is revoked (撤回)
    expect(json<Announcement>(await t.request('POST', `/api/announcements/${draft.id}/revoke`, { user: 'cd_hr' })).state).toBe('revoked');
    // then the public no longer has it nor its attachment, and it still cannot be deleted
    expect((await pub(`/api/public/announcements/${draft.id}`)).statusCode).toBe(404);
    expect((await pub(`/api/public/announcements/${draft.id}/files/${file.id}`)).statusCode).toBe(404);
    expect((await t.request('DELETE', `/api/announcements/${draft.id}`, { user: 'cd_hr' })).statusCode).toBe(409);
    // and it may be published again
    expect(json<Announcement>(await t.request('POST', `/api/announcements/${draft.id}/publish`, { user: 'cd_hr' })).state).toBe('published');
  });

  it('deletes a draft', async () => {
    const draft = await create('cd_hr', { title: '待删除的草稿' });
    json(await t.request('DELETE', `/api/announcements/${draft.id}`, { user: 'cd_hr' }));
    expect((await t.request('GET', `/api/announcements/${draft.id}`, { user: 'cd_hr' })).statusCode).toBe(404);
  });

  it('two publishes of one draft at once: one 200, one 409', async () => {
    const draft = await create('cd_hr', { title: '并发发布' });
    const [a, b] = await Promise.all([t.request('POST', `/api/announcements/${draft.id}/publish`, { user: 'cd_hr' }), t.request('POST', `/api/announcements/${draft.id}/publish`, { user: 'cd_hr' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
  });
});

describe('lists and batches', () => {
  it('filters by type, state and title, and publishes / revokes / deletes in a batch, naming what failed', async () => {
    // given three drafts of the department
    const a = await create('cd_jxj', { type: 'policy', title: '政策甲' });
    const b = await create('cd_jxj', { type: 'policy', title: '政策乙' });
    const c = await create('cd_jxj', { type: 'faq', title: '常见问题丙' });
    const list = async (f: Record<string, unknown>) => json<Announcement[]>(await t.request('GET', `/api/announcements?${filter(f)}`, { user: 'cd_jxj' })).map((x) => x.id);
    expect(await list({ type: 'policy' })).toEqual([b.id, a.id]);
    expect(await list({ q: '丙' })).toEqual([c.id]);
    // when a and b are published in a batch
    const published = json<{ succeeded: number }>(await t.request('POST', '/api/announcements/batch', { user: 'cd_jxj', body: { action: 'publish', ids: [a.id, b.id] } }));
    expect(published.succeeded).toBe(2);
    expect(await list({ state: 'published' })).toEqual([b.id, a.id]);
    // when all three are deleted in a batch
    const deleted = json<{ succeeded: number; failed: number; results: Array<{ id: number; ok: boolean; status: number }> }>(await t.request('POST', '/api/announcements/batch', { user: 'cd_jxj', body: { action: 'delete', ids: [a.id, b.id, c.id] } }));
    // then only the draft goes; the published two are named with 409
    expect(deleted).toMatchObject({ succeeded: 1, failed: 2 });
    expect(deleted.results.filter((r) => !r.ok).map((r) => [r.id, r.status])).toEqual([
      [a.id, 409],
      [b.id, 409],
    ]);
    expect(await list({})).toEqual([b.id, a.id]);
    // and a batch revoke takes both off the public list
    json(await t.request('POST', '/api/announcements/batch', { user: 'cd_jxj', body: { action: 'revoke', ids: [a.id, b.id] } }));
    const publicIds = json<Announcement[]>(await pub('/api/public/announcements?range=[0,99]')).map((x) => x.id);
    expect(publicIds).not.toContain(a.id);
    expect(publicIds).not.toContain(b.id);
  });
});

describe('scope and validation', () => {
  it('keeps a unit’s announcements to its own managers: another unit gets 404, a clerk without the permission 403', async () => {
    const mine = await create('cd_hr', { title: '市局内部草稿' });
    for (const [method, url] of [
      ['GET', `/api/announcements/${mine.id}`],
      ['POST', `/api/announcements/${mine.id}/publish`],
      ['DELETE', `/api/announcements/${mine.id}`],
    ] as const) {
      const res = await t.request(method, url, { user: 'cd_jxj' });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('市局内部草稿');
    }
    expect(json<Announcement[]>(await t.request('GET', '/api/announcements?range=[0,99]', { user: 'cd_jxj' })).map((a) => a.id)).not.toContain(mine.id);
    const batch = json<{ results: Array<{ status: number }> }>(await t.request('POST', '/api/announcements/batch', { user: 'cd_jxj', body: { action: 'delete', ids: [mine.id] } }));
    expect(batch.results[0]!.status).toBe(404);
    expect((await t.request('GET', '/api/announcements', { user: 'kj_hr' })).statusCode).toBe(403);
    expect((await t.request('POST', '/api/announcements', { user: 'zhangwei', body: { type: 'notice', title: 'x', content: 'y' } })).statusCode).toBe(403);
    // the draft is still there
    expect(json<Announcement>(await t.request('GET', `/api/announcements/${mine.id}`, { user: 'cd_hr' })).state).toBe('draft');
  });

  it('refuses another person’s upload as an attachment', async () => {
    const theirs = await uploadPdf(t, 'cd_jxj', '别人的文件.pdf');
    const res = await t.request('POST', '/api/announcements', { user: 'cd_hr', body: { type: 'notice', title: '带附件', content: '正文', attachmentIds: [theirs.id] } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify((res.json() as { details: unknown }).details)).toContain('attachmentIds');
  });

  it.each([
    ['an unknown type', { type: 'news' }, 'body.type', '公告类型'],
    ['an empty title', { title: ' ' }, 'body.title', '标题'],
    ['an over-long title', { title: '题'.repeat(201) }, 'body.title', '标题'],
    ['empty content', { content: '' }, 'body.content', '正文'],
  ])('answers 400 naming the field for %s', async (_case, change, field, label) => {
    const res = await t.request('POST', '/api/announcements', { user: 'cd_hr', body: { type: 'notice', title: '标题', content: '正文', ...change } });
    const body = json<{ message: string; details: Array<{ field: string }> }>(res, 400);
    expect(body.details.map((d) => d.field)).toContain(field);
    expect(body.message).toContain(label);
  });

  it('answers 400 for a NUL byte, and the public list 400 for an unknown type filter', async () => {
    expect((await t.request('POST', '/api/announcements', { user: 'cd_hr', body: { type: 'notice', title: 'a\u0000b', content: '正文' } })).statusCode).toBe(400);
    const res = await pub(`/api/public/announcements?${filter({ type: 'nope' })}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('公告类型');
  });

  it('pages the public list', async () => {
    for (let i = 0; i < 3; i++) {
      const a = await create('cd_pw', { type: 'document', title: `公布文件${i}` });
      json(await t.request('POST', `/api/announcements/${a.id}/publish`, { user: 'cd_pw' }));
    }
    const res = await pub(`/api/public/announcements?${filter({ type: 'document' })}&range=${encodeURIComponent('[0,1]')}`);
    expect(json<unknown[]>(res)).toHaveLength(2);
    expect(res.headers['content-range']).toBe('announcements 0-1/3');
  });
});
