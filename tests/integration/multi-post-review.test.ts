import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { completeOk, inbox } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let employerId: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'uses-multi-post.bpmn'), 'utf8'));
  employerId = Number((await db.knex('units').where({ unit_type: 'employer' }).first()).id);
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const username of ['post1_a', 'post1_b', 'post2_a', 'post3_a']) {
    const [row] = await db.knex('users').insert({ username, password_hash: hash, display_name: username, unit_id: employerId, roles: ['unit_clerk'] }).returning('id');
    ids[username] = Number(row.id);
  }
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function start(caseName: string) {
  return t.app.engine.startInstance({ processKey: 'fixture-uses-multi-post', actor: await actorOf(db.knex, 'admin'), variables: { unitId: employerId, caseName }, checkStarter: false });
}

async function setLevels(levels: Array<{ level: number; name: string; users: string[] }>) {
  await db.knex('review_levels').where({ unit_id: employerId, matter_type: 'dossier_review' }).delete();
  if (levels.length) {
    await db.knex('review_levels').insert(levels.map((l) => ({ unit_id: employerId, matter_type: 'dossier_review', level_no: l.level, name: l.name, user_ids: l.users.map((u) => ids[u]) })));
  }
}

const parent = (id: string) => db.knex('process_instances').where({ id }).first();

describe('the reusable multi-post review sub-flow', () => {
  it('is a single review by role when the unit has configured no posts', async () => {
    await setLevels([]);
    const id = await start('未配置岗位');
    const task = (await inbox(t, 'kj_hr')).find((i) => i.rootInstanceId === id);
    expect(task).toMatchObject({ name: '单位审核', processKey: 'fixture-uses-multi-post', summary: { caseName: '未配置岗位' } });
    await completeOk(t, 'kj_hr', task!.id, 'pass');
    expect(await parent(id)).toMatchObject({ status: 'completed', variables: expect.objectContaining({ review: expect.objectContaining({ action: 'pass' }) }) });
  });

  it('walks the configured posts from the lowest level up, each with its own staff', async () => {
    await setLevels([
      { level: 2, name: '复核岗', users: ['post2_a'] },
      { level: 1, name: '初审岗', users: ['post1_a', 'post1_b'] },
    ]);
    const id = await start('两级岗位');
    // the role holder is not asked when posts exist
    expect((await inbox(t, 'kj_hr')).some((i) => i.rootInstanceId === id)).toBe(false);

    const first = (await inbox(t, 'post1_b')).find((i) => i.rootInstanceId === id)!;
    expect(first.name).toBe('单位审核（初审岗）');
    expect((await inbox(t, 'post1_a')).some((i) => i.id === first.id)).toBe(true);
    expect((await inbox(t, 'post2_a')).some((i) => i.rootInstanceId === id)).toBe(false);
    await completeOk(t, 'post1_b', first.id, 'pass', '初审同意');

    const second = (await inbox(t, 'post2_a')).find((i) => i.rootInstanceId === id)!;
    expect(second.name).toBe('单位审核（复核岗）');
    await completeOk(t, 'post2_a', second.id, 'pass', '复核同意');
    expect(await parent(id)).toMatchObject({ status: 'completed', trail: expect.arrayContaining(['end_pass']) });
  });

  it('stops at the post that returns, and the caller sees it', async () => {
    await setLevels([
      { level: 1, name: '初审岗', users: ['post1_a'] },
      { level: 2, name: '复核岗', users: ['post2_a'] },
    ]);
    const id = await start('退回');
    await completeOk(t, 'post1_a', (await inbox(t, 'post1_a')).find((i) => i.rootInstanceId === id)!.id, 'pass');
    await completeOk(t, 'post2_a', (await inbox(t, 'post2_a')).find((i) => i.rootInstanceId === id)!.id, 'return', '材料不全');
    const row = await parent(id);
    expect(row.trail).toContain('end_other');
    expect(row.variables.review).toMatchObject({ action: 'return', opinion: '材料不全' });
  });

  it('applies a change of the levels to tasks not yet created, never to one already in an inbox', async () => {
    await setLevels([
      { level: 1, name: '初审岗', users: ['post1_a'] },
      { level: 2, name: '复核岗', users: ['post2_a'] },
    ]);
    const id = await start('调整岗位');
    const first = (await inbox(t, 'post1_a')).find((i) => i.rootInstanceId === id)!;

    // the operator moves the first post to another clerk and the second post to a third one
    await setLevels([
      { level: 1, name: '初审岗', users: ['post1_b'] },
      { level: 2, name: '复核岗', users: ['post3_a'] },
    ]);
    expect((await inbox(t, 'post1_b')).some((i) => i.id === first.id)).toBe(false);
    await completeOk(t, 'post1_a', first.id, 'pass');
    expect((await inbox(t, 'post2_a')).some((i) => i.rootInstanceId === id)).toBe(false);
    const second = (await inbox(t, 'post3_a')).find((i) => i.rootInstanceId === id)!;
    expect(second.name).toBe('单位审核（复核岗）');
  });

  it('gives its posts the form the caller names (review by default), and refuses a form that does not exist', async () => {
    // given a caller that names the posts' form, and levels of one post
    const xml = fs.readFileSync(path.join(FIXTURES_DIR, 'uses-multi-post.bpmn'), 'utf8')
      .replaceAll('fixture-uses-multi-post', 'fixture-chosen-form')
      .replace('title: &#34;单位审核&#34;}', 'title: &#34;单位审核&#34;, formKey: caseForm}');
    await t.app.engine.deploy(xml);
    await setLevels([{ level: 1, name: '初审岗', users: ['post1_a'] }]);
    const actor = await actorOf(db.knex, 'admin');
    const startWith = (caseForm: string) =>
      t.app.engine.startInstance({ processKey: 'fixture-chosen-form', actor, variables: { unitId: employerId, caseName: caseForm, caseForm }, checkStarter: false });

    // then its post works with that form, where the default caller's post has 审核
    const chosen = await startWith('chain-review');
    expect(await db.knex('tasks').where({ root_instance_id: chosen, status: 'open' }).pluck('form_key')).toEqual(['chain-review']);
    const plain = await start('默认表单');
    expect(await db.knex('tasks').where({ root_instance_id: plain, status: 'open' }).pluck('form_key')).toEqual(['review']);
    // and a form that does not exist stops the start with the task named
    await expect(startWith('nope')).rejects.toThrow('表单“nope”不存在');
  });

  it('turns a post without staff into an incident an administrator can fix and retry', async () => {
    await setLevels([{ level: 1, name: '空岗', users: [] }]);
    const id = await start('空岗位');
    const incident = (await t.app.engine.listIncidents({ status: 'open' })).find((i) => i.rootInstanceId === id);
    expect(incident?.message).toContain('没有配置审核人员');
    await setLevels([{ level: 1, name: '空岗', users: ['post3_a'] }]);
    await t.app.engine.retryIncident(incident!.id, await actorOf(db.knex, 'admin'));
    expect((await inbox(t, 'post3_a')).some((i) => i.rootInstanceId === id)).toBe(true);
  });
});
