import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { MAX_OFFSET } from '../../api/src/list-query.ts';

/**
 * Name searches of the lists at province scale match the start of the name (an index answers
 * them: docs/performance.md, "Every list at province scale, second pass"), and the 专技人才
 * subtree list counts no further than MAX_OFFSET.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  const issuer = Number((await k('users').where({ username: 'cd_hr' }).first('unit_id')).unit_id);
  await k('certificate_keys').insert({ key_id: 'prefix-test', unit_id: issuer, public_key: 'x', private_key_enc: 'x', created_at: new Date() });
  const names = ['张三丰', '张三', '李张三', '王五'];
  await k('certificates').insert(
    names.map((name, i) => ({
      certificate_no: `T0000000000${i}`, kind: 'initial', source_type: 'initial', source_id: 900_000 + i, person_name: name, id_number: `51010119800101000${i}`,
      series: 'engineering', specialty: '机械工程', title_name: '工程师', level: 'intermediate', committee_name: '评委会', employer_name: '单位', issuer_unit_id: issuer,
      issuer_name: '成都市人力资源和社会保障局', approval_date: '2026-01-01', document_no: '成人社发〔2026〕1号', key_id: 'prefix-test', payload: 'x', signature: 'x', status: 'valid', issued_at: new Date(Date.UTC(2026, 0, 1 + i)),
    })),
  );
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** Registrations of approved talents at kj_hr's unit, written as the list reads them. */
async function talents(names: string[]) {
  const k = db.knex;
  const unitId = Number((await k('users').where({ username: 'kj_hr' }).first('unit_id')).unit_id);
  const at = new Date('2026-01-02T01:00:00Z');
  const users = (await k('users')
    .insert(names.map((name, i) => ({ username: `prefix_${Date.now()}_${i}`, password_hash: 'x', display_name: name, unit_id: unitId, roles: ['applicant'], status: 'active' })))
    .returning('id')) as Array<{ id: string }>;
  await k.raw(
    `insert into talents (user_id, unit_id, person_name, gender, birth_date, id_number, ethnicity, political_status, origin, education, category, title_kind,
                          level, series, title_name, status, submitted_at, decided_at, created_at, updated_at)
     select u.id, u.unit_id, u.display_name, '男', date '1980-01-01', '5101011980' || lpad(u.id::text, 8, '0'), '汉族', '群众', '四川成都', '本科',
            'engineering', 'title', 'intermediate', 'engineering', '工程师', 'approved', ?, ?, ?, ?
       from users u where u.id = any(?::bigint[])`,
    [at, at, at, at, users.map((u) => Number(u.id))],
  );
}

describe('已发放证书: a name is searched by its start', () => {
  it('finds the certificates whose holder’s name starts with the term, not those that contain it later', async () => {
    // given 张三丰, 张三, 李张三 and 王五
    // when cd_hr searches 张三
    const res = await t.request('GET', `/api/certificates?range=[0,24]&filter=${enc({ q: '张三' })}`, { user: 'cd_hr' });

    // then 张三丰 and 张三, newest first; 李张三 is not a match
    expect(res.statusCode).toBe(200);
    expect(res.json().map((c: { personName: string }) => c.personName)).toEqual(['张三', '张三丰']);
  });

  it('takes % and _ as themselves', async () => {
    // when the term is a wildcard
    const res = await t.request('GET', `/api/certificates?range=[0,24]&filter=${enc({ q: '%' })}`, { user: 'cd_hr' });

    // then nothing matches
    expect(res.json()).toEqual([]);
  });
});

describe('专技人才: the subtree list', () => {
  it('finds registrations by the start of the name', async () => {
    // given 赵一鸣 and 钱赵一
    await talents(['赵一鸣', '钱赵一']);

    // when the unit searches 赵一
    const res = await t.request('GET', `/api/talents?view=all&limit=50&q=${encodeURIComponent('赵一')}`, { user: 'kj_hr' });

    // then only 赵一鸣
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((x: { personName: string }) => x.personName)).toEqual(['赵一鸣']);
  });

  it('gives the total up to the cap and null beyond it', async () => {
    // given more registrations in the subtree than the cap
    const before = (await t.request('GET', '/api/talents?view=all&limit=5', { user: 'kj_hr' })).json();
    await talents(Array.from({ length: MAX_OFFSET + 1 - Number(before.total) }, (_v, i) => `规模${i}`));

    // when the unit lists them
    const res = await t.request('GET', '/api/talents?view=all&limit=5', { user: 'kj_hr' });

    // then a page, and no exact total (it was exact below the cap)
    expect(Number.isInteger(before.total)).toBe(true);
    expect(res.json().items).toHaveLength(5);
    expect(res.json().total).toBeNull();
  });
});
