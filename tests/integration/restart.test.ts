import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, reopen } from '../helpers/database.ts';
import { startTestApp } from '../helpers/app.ts';
import { completeOk, instanceView, submitDossier, taskOf, passEmployer } from '../helpers/flow.ts';
import { loadDemoData } from '../../api/src/demo.ts';
import { TestClock } from '../helpers/clock.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase();
  // at the servers' (test) clock: the demo activity's deadlines are relative to the load time
  await loadDemoData(db.knex, new TestClock().now());
});

afterAll(async () => {
  await db?.drop();
});

describe('restart recovery', () => {
  it('continues an instance after the server that advanced it has stopped', async () => {
    // given a dossier passed by the employer on one server
    const first = await startTestApp(await reopen(db));
    const id = await submitDossier(first, 'zhangwei');
    await passEmployer(first, 'kj_hr', (await taskOf(first, 'kj_hr', id, 'unit_review')).id, '同意');
    expect(first.app.engine.cachedInstances).toBeGreaterThan(0);
    const firstDb = first.app.db;
    await first.close();
    await firstDb.destroy();

    // when a new server starts on the same database (nothing in memory)
    const second = await startTestApp(await reopen(db), { deploy: false });
    try {
      expect(second.app.engine.cachedInstances).toBe(0);
      // then the flow continues from the stored state to the end
      await completeOk(second, 'cd_jxj', (await taskOf(second, 'cd_jxj', id, 'department_review')).id, 'pass');
      await completeOk(second, 'cd_hr', (await taskOf(second, 'cd_hr', id, 'bureau_review')).id, 'pass');
      const done = await completeOk(second, 'cd_pw', (await taskOf(second, 'cd_pw', id, 'committee_receipt')).id, 'pass');
      // (after receipt the case waits for the committee's 评审结果; one that did not pass ends it)
      expect(done.instance.status).toBe('running');
      const dossier = await second.app.db('dossiers').where({ instance_id: id }).first('id');
      await second.app.db.transaction((trx) => second.app.engine.publishMessage(trx, { name: 'review-result', correlationKey: `dossier:${dossier.id}`, payload: { reviewPassed: false } }));
      await second.app.engine.deliverMessages();
      expect((await second.app.engine.getInstance(id)).status).toBe('completed');
      const view = await instanceView(second, 'zhangwei', id);
      expect(view.history.filter((h) => h.type === 'task.complete')).toHaveLength(5);
    } finally {
      const secondDb = second.app.db;
      await second.close();
      await secondDb.destroy();
    }
  });
});
