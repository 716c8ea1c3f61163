import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadMeetingDemoData } from '../../api/src/demo.ts';
import { loadResultsDemoData } from '../../api/src/demo-results.ts';
import { loadIssuanceDemoData } from '../../api/modules/certificate-issuance/certificate-issuance.demo.ts';

/** The demo a fresh `npm start` loads for 证书生成, after the results demo, as the server loads it. */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const clock = new TestClock('2026-12-03T10:00:00+08:00');

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { clock, demo: true });
  await loadMeetingDemoData(t.app);
  await loadResultsDemoData(t.app);
  await loadIssuanceDemoData(t.app);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('证书生成 demo data', () => {
  it('the confirmed demo candidate waits in 评审发证 → 待处理 of 成都市人社局, and 初定 persons in 未发放', async () => {
    // When cd_hr opens 待处理 and 未发放
    const pending = (await t.request('GET', '/api/certificate-issuance/review/pending', { user: 'cd_hr' })).json() as Array<{ persons: Array<{ personName: string; documentNo: string }> }>;
    const initial = (await t.request('GET', '/api/certificate-issuance/initial/persons', { user: 'cd_hr' })).json() as Array<{ personName: string }>;
    // Then 杨博文 (确认通过, 文号 set) is there with the demo 文号, and the three 初定 persons
    expect(pending.flatMap((g) => g.persons.map((p) => p.personName))).toEqual(['杨博文']);
    expect(pending[0]!.persons[0]!.documentNo).toBe('川人社职〔2026〕36号');
    expect(initial.map((p) => p.personName)).toEqual(['孙立新', '钱雨桐', '李泽宇']);
  });
});
