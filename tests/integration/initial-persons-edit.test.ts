import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { idNumber as personId } from '../helpers/fixtures.ts';
import { openSealed } from '../../api/src/pii.ts';
import { INITIAL_PERSONS_SEALED } from '../../api/modules/certificate-issuance/certificate-issuance.pii.ts';

/** 初定发证 → 未发放: a person entered wrongly can be corrected or removed while not yet in a batch. */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const idNumber = (serial: number) => personId('19920611', serial);
const call = (user: string, method: string, url: string, body?: unknown) => t.request(method, url, { user, body });
const person = (serial: number, name: string) => ({ personName: name, idNumber: idNumber(serial), series: '工程技术', specialty: '机械工程', titleName: '助理工程师', level: '初级' });
const add = async (serial: number, name: string) => {
  const res = await call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons', person(serial, name));
  expect(res.statusCode).toBe(200);
  return (res.json() as { id: number }).id;
};
// the row as stored, its ID number opened from the seal (the plain column is empty)
const row = async (id: number) => openSealed(t.app.pii, INITIAL_PERSONS_SEALED, await db.knex('initial_persons').where({ id }).first());

describe('修改 and 删除 of 初定 persons', () => {
  it('修改 corrects the fields; an empty 身份证号 keeps the one on record; a wrong one is refused naming the field', async () => {
    // Given a person entered with a wrong 专业
    const id = await add(31, '初定改甲');
    // When the clerk corrects it, leaving the (masked) ID number empty
    const res = await call('cd_hr', 'PUT', `/api/certificate-issuance/initial/persons/${id}`, { ...person(31, '初定改甲'), idNumber: '', specialty: '电气工程' });
    expect(res.statusCode).toBe(200);
    // Then the 专业 changed and the ID number is the one entered first
    expect(await row(id)).toMatchObject({ specialty: '电气工程', id_number: idNumber(31), state: 'unissued' });
    // And an invalid ID number is a 400 on idNumber, nothing changed
    const bad = await call('cd_hr', 'PUT', `/api/certificate-issuance/initial/persons/${id}`, { ...person(31, '初定改甲'), idNumber: '510104199206110000' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('idNumber');
    expect((await row(id)).id_number).toBe(idNumber(31));
  });

  it('a change onto another person already entered (same ID number, series, level) is a 409', async () => {
    const a = await add(32, '初定改乙');
    await add(33, '初定改丙');
    const res = await call('cd_hr', 'PUT', `/api/certificate-issuance/initial/persons/${a}`, person(33, '初定改乙'));
    expect(res.statusCode).toBe(409);
    expect((await row(a)).id_number).toBe(idNumber(32));
  });

  it('another bureau gets 404, a unit that is not a bureau 403; a person in a batch cannot be changed or deleted', async () => {
    const id = await add(34, '初定改丁');
    expect((await call('jj_hr', 'PUT', `/api/certificate-issuance/initial/persons/${id}`, person(34, '别人改'))).statusCode).toBe(404);
    expect((await call('jj_hr', 'POST', '/api/certificate-issuance/initial/persons/delete', { personIds: [id] })).statusCode).toBe(404);
    expect((await call('cd_jxj', 'PUT', `/api/certificate-issuance/initial/persons/${id}`, person(34, '别人改'))).statusCode).toBe(403);
    expect((await row(id)).person_name).toBe('初定改丁');
    // When it goes into a batch
    expect((await call('cd_hr', 'POST', '/api/certificate-issuance/initial/batches', { personIds: [id] })).statusCode).toBe(200);
    // Then it can be neither changed nor deleted
    expect((await call('cd_hr', 'PUT', `/api/certificate-issuance/initial/persons/${id}`, person(34, '初定改丁'))).statusCode).toBe(409);
    expect((await call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons/delete', { personIds: [id] })).statusCode).toBe(409);
    expect((await row(id)).state).toBe('batched');
  });

  it('删除 removes the selected persons all together, or none when one of them is in a batch', async () => {
    const a = await add(35, '初定删甲');
    const b = await add(36, '初定删乙');
    const batched = await add(37, '初定删丙');
    await call('cd_hr', 'POST', '/api/certificate-issuance/initial/batches', { personIds: [batched] });
    // When the clerk deletes a, b and the batched one
    const refused = await call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons/delete', { personIds: [a, b, batched] });
    // Then nothing is deleted
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('初定删丙');
    expect(await db.knex('initial_persons').whereIn('id', [a, b]).count('* as n').first().then((r) => Number(r?.n))).toBe(2);
    // When only a and b — twice, as a double click
    const [first, second] = await Promise.all([
      call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons/delete', { personIds: [a, b] }),
      call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons/delete', { personIds: [a, b] }),
    ]);
    // one deletes; the other finds them gone (404) or, if it read them first, deleted by the other (409)
    const codes = [first.statusCode, second.statusCode].sort();
    expect(codes[0]).toBe(200);
    expect([404, 409]).toContain(codes[1]);
    expect(await db.knex('initial_persons').whereIn('id', [a, b]).count('* as n').first().then((r) => Number(r?.n))).toBe(0);
    // And an empty selection is a 400 naming personIds
    const empty = await call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons/delete', { personIds: [] });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json())).toContain('personIds');
  });
});
