import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createOtherUnitTree, runScopeMatrix, seedPrivateRecords, type ScopeCaller } from '../helpers/scope-matrix.ts';
import { loadMeetingDemoData } from '../../api/src/demo.ts';
import { loadResultsDemoData } from '../../api/src/demo-results.ts';

/**
 * The scope matrix over every write route with a record in its path: the strongest caller of each
 * unit type of another city (a role with every permission the catalogue allows it), an applicant
 * and an expert, against the records of 成都 in the demo data. bench/scope.ts adds every built-in
 * role one by one.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let seeded: Record<string, string>;
let callers: ScopeCaller[];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await loadMeetingDemoData(t.app);
  await loadResultsDemoData(t.app);
  seeded = await seedPrivateRecords(t);
  callers = (await createOtherUnitTree(db.knex)).filter((c) => /_all$|applicant|expert/.test(c.username));
}, 240_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('another city against the write routes of 成都 records', () => {
  it('is refused every time, with the very answer a record nobody has gets', async () => {
    // given the callers of 绵阳 and a record of 成都 for each route
    expect(callers.length).toBe(8);
    // when each caller tries each route on that record, and on an id nobody has
    const stats = await runScopeMatrix(t, db.knex, callers, { seed: 2103, seeded, filter: (op) => op.method !== 'GET' });
    // then every attempt is refused without telling the two apart
    expect(stats.pairs).toBeGreaterThan(300);
    expect(stats.violations).toEqual([]);
    expect(stats.refused).toBe(stats.pairs);
  }, 240_000);
});
