import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, PROCESSES_DIR, startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { completeOk, instanceView, startDossier, taskOf } from '../helpers/flow.ts';
import { DeployError } from '../../engine/errors.ts';
import { actorOf } from '../helpers/actors.ts';

const MIWG_DIR = path.join(FIXTURES_DIR, 'miwg');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const deploy = (xml: string, user = 'admin') => t.request('POST', '/api/process-definitions', { user, body: { xml } });

/** A reference diagram as zcps would deploy it: its executable processes say only the system starts them. */
const startedBySystem = (xml: string) =>
  xml.replace(/<((?:[\w-]+:)?process)\b(?=[^>]*isExecutable="true")/g, '<$1 xmlns:zcps="http://zcps.gov.cn/schema/bpmn/1.0" zcps:startedBy="system"');

describe('deploying diagrams', () => {
  it('refuses a broken diagram with every problem and its element, storing nothing', async () => {
    const res = await deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'broken.bpmn'), 'utf8'));
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; message: string; details: Array<{ elementId: string | null; rule: string; severity: string; message: string }> };
    expect(body.error).toBe('DeployError');
    const errors = body.details.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.elementId}:${d.rule}`).sort()).toEqual(
      ['f4:condition-feel', 'f5:feel', 'no_form:user-task-candidates', 'no_form:user-task-form', 'script:unsupported-element', 'svc:service-handler'].sort(),
    );
    expect(errors.every((d) => /[\u4e00-\u9fa5]/.test(d.message))).toBe(true);
    expect(await db.knex('process_definitions').where({ key: 'fixture-broken' })).toHaveLength(0);
  });

  it('refuses what is not BPMN XML', async () => {
    for (const xml of ['<definitions', 'hello', '<?xml version="1.0"?><foo/>']) {
      const res = await deploy(xml);
      expect(res.statusCode).toBe(400);
      expect(res.json().details[0]).toMatchObject({ rule: 'xml', severity: 'error' });
    }
  });

  it('stores a new version only when the content changed; running instances stay on theirs', async () => {
    const xml = fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8');
    const same = await deploy(xml);
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ created: false, key: 'dossier-review', version: 1 });

    // an instance on version 1
    const v1 = await startDossier(t, 'zhangwei');

    // a label change makes version 2
    const changed = await deploy(xml.replace('name="申报单位审核"', 'name="申报单位初审"'));
    expect(changed.statusCode).toBe(201);
    expect(changed.json()).toMatchObject({ created: true, version: 2 });

    // the old instance runs on version 1 to its next task, a new one starts on version 2
    const submit = await taskOf(t, 'zhangwei', v1, 'submit');
    await completeOk(t, 'zhangwei', submit.id, 'submit', undefined, VALID_DOSSIER);
    expect((await instanceView(t, 'zhangwei', v1)).processVersion).toBe(1);
    expect((await taskOf(t, 'kj_hr', v1, 'unit_review')).name).toBe('申报单位审核');
    const v2 = await startDossier(t, 'lina');
    expect((await instanceView(t, 'lina', v2)).processVersion).toBe(2);

    const list = await t.request('GET', '/api/process-definitions', { user: 'kj_hr' });
    const entry = (list.json() as Array<{ key: string; latestVersion: number; versions: Array<{ version: number; running: number }> }>).find((d) => d.key === 'dossier-review');
    expect(entry).toMatchObject({ latestVersion: 2 });
    expect(entry!.versions.map((v) => [v.version, v.running])).toEqual([[2, 1], [1, 1]]);
    const xmlRes = await t.request('GET', '/api/process-definitions/dossier-review/versions/2', { user: 'admin' });
    expect(xmlRes.json().xml).toContain('申报单位初审');
  });

  it('publishes to the editor what deploy checks a diagram against', async () => {
    // given the demo installation, with the flows of processes/ deployed

    // when an administrator's editor asks what the lint rules should know
    const res = await t.request('GET', '/api/process-definitions/lint-options', { user: 'admin' });

    // then it hears the registered handlers, the forms of forms/ and the deployed flows, as deploy sees them
    expect(res.statusCode).toBe(200);
    const body = res.json() as { handlers: string[]; formKeys: string[]; deployedKeys: string[] };
    expect(body.handlers).toContain('dossier.decided');
    expect(body.formKeys).toContain('employer-review');
    expect(body.deployedKeys).toContain('multi-post-review');
    expect(body.handlers).not.toContain('nobody.knows');
    // and somebody who may not deploy hears nothing
    expect((await t.request('GET', '/api/process-definitions/lint-options', { user: 'kj_hr' })).statusCode).toBe(403);
  });

  it('lets only process administrators deploy or read diagrams', async () => {
    const xml = fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8');
    expect((await deploy(xml, 'kj_hr')).statusCode).toBe(403);
    expect((await t.request('GET', '/api/process-definitions/dossier-review/versions/1', { user: 'zhangwei' })).statusCode).toBe(403);
  });
});

describe('MIWG reference diagrams', () => {
  const files = fs.readdirSync(MIWG_DIR).filter((f) => f.endsWith('.bpmn')).sort();

  it('finds the corpus', () => {
    expect(files.length).toBe(21);
  });

  for (const file of files) {
    it(`${file} is deployed (and starts) or refused with its problems — never a crash`, async () => {
      const xml = startedBySystem(fs.readFileSync(path.join(MIWG_DIR, file), 'utf8'));
      const res = await deploy(xml);
      expect([200, 201, 400]).toContain(res.statusCode);
      if (res.statusCode === 400) {
        const body = res.json() as { error: string; details: Array<{ severity: string; message: string; rule: string }> };
        expect(body.error).toBe('DeployError');
        expect(body.details.some((d) => d.severity === 'error')).toBe(true);
        for (const d of body.details) expect(d.message.length).toBeGreaterThan(0);
      } else {
        const { key } = res.json() as { key: string };
        const id = await t.app.engine.startInstance({ processKey: key, actor: await actorOf(db.knex, 'admin'), checkStarter: false });
        expect(id).toBeTruthy();
      }
      // the server still answers
      expect((await t.request('GET', '/api/health')).statusCode).toBe(200);
    });
  }

  it('the engine refuses them with DeployError, not another exception', async () => {
    for (const file of files) {
      const xml = startedBySystem(fs.readFileSync(path.join(MIWG_DIR, file), 'utf8'));
      const outcome = await t.app.engine.deploy(xml).then(() => 'deployed', (err) => (err instanceof DeployError ? 'refused' : `crashed: ${err}`));
      expect(outcome, file).not.toMatch(/^crashed/);
    }
  });
});
