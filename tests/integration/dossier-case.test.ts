import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { completeOk, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let next = 0;

interface CaseFieldView {
  key: string;
  label: string;
  text: string | null;
  files: Array<{ id: string; name: string }>;
  changed: boolean;
}
interface CaseView {
  version: string;
  sections: Array<{ key: string; title: string; changed: boolean; fields: CaseFieldView[]; groups: Array<{ key: string; layout: string; entries: Array<{ key: string; title: string | null; changed: boolean; added: boolean; fields: CaseFieldView[] }> }> }>;
  changes: { returnedAt: string; resubmittedAt: string | null; items: Array<{ kind: string; label: string; before: string | null; after: string | null; text: string }> } | null;
}

/** A new applicant of the demo employer (one dossier per applicant and activity). */
async function applicant(): Promise<string> {
  next += 1;
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
  await db.knex('users').insert({ username: `case_${next}`, password_hash: await hashPassword(DEMO_PASSWORD), display_name: `申报人${next}`, unit_id: employer.id, roles: ['applicant'] });
  return `case_${next}`;
}

async function caseOf(user: string, dossierId: number) {
  return t.request('GET', `/api/dossiers/${dossierId}/case`, { user });
}

async function caseOk(user: string, dossierId: number): Promise<CaseView> {
  const res = await caseOf(user, dossierId);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CaseView;
}

const section = (view: CaseView, key: string) => view.sections.find((s) => s.key === key)!;
const field = (view: CaseView, sectionKey: string, key: string) => section(view, sectionKey).fields.find((f) => f.key === key)!;
const dossierIdOf = async (instanceId: string) => Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('申报材料全文 (GET /api/dossiers/:id/case)', () => {
  it('shows the employer’s clerk the whole declaration in sections, values in words, attachments as files', async () => {
    // given a declaration with a paper whose attachment is a PDF
    const user = await applicant();
    const pdf = await uploadPdf(t, user, '论文全文.pdf');
    const instanceId = await submitDossier(t, user, { ...VALID_DOSSIER, achievements: [{ template: 'paper', title: '齿轮修形研究', date: '2024-05-01', category: '学术论文', publication: '机械工程学报', number: 'ISSN 0577-6686', rank: '第1/共3', words: 8, files: [pdf] }] });

    // when the clerk who reviews it reads the case
    const view = await caseOk('kj_hr', await dossierIdOf(instanceId));

    // then the sections come in the 评审表's order, with the form's words for the values
    expect(view.version).toBe('submitted');
    expect(view.sections.map((s) => s.title)).toEqual(expect.arrayContaining(['申报信息', '基本信息', '学历', '继续教育', '资格证书', '工作经历', '专业技术工作总结', '业绩成果']));
    expect(field(view, 'application', 'series').text).toBe('工程技术');
    expect(field(view, 'basic', 'applicant.name').text).toBe('申报人1');
    expect(field(view, 'basic', 'phone')).toMatchObject({ label: '联系电话', text: '138****0000' });
    expect(field(view, 'education', 'education').text).toBe('大学本科');
    // and a paper reads with the paper's own words (刊号, 刊物名称, 作者排名), its attachment a file
    const paper = section(view, 'achievements').groups.flatMap((g) => g.entries)[0]!;
    expect(paper.title).toBe('论文：齿轮修形研究');
    expect(paper.fields.map((f) => f.label)).toEqual(expect.arrayContaining(['刊物名称', '刊号', '作者排名', '本人完成字数', '附件']));
    expect(paper.fields.find((f) => f.label === '刊号')!.text).toBe('ISSN 0577-6686');
    expect(paper.fields.find((f) => f.label === '附件')!.files).toEqual([expect.objectContaining({ id: pdf.id, name: '论文全文.pdf' })]);
    // and the small groups are tables with their columns
    const qualifications = section(view, 'qualifications').groups[0]!;
    expect(qualifications.layout).toBe('table');
    expect(qualifications.entries[0]!.fields.map((f) => f.label)).toEqual(['资格名称', '证书编号', '取得时间', '证书附件']);
    expect(view.changes).toBeNull();
  });

  it('answers 404 to a clerk of another unit and to another applicant, and 200 to the applicant and each unit up the chain', async () => {
    // given a dossier at the employer's review
    const user = await applicant();
    const instanceId = await submitDossier(t, user);
    const id = await dossierIdOf(instanceId);

    // then a county bureau outside the chain and a colleague who applies too are told it does not exist
    expect((await caseOf('jj_hr', id)).statusCode).toBe(404);
    expect((await caseOf('lina', id)).statusCode).toBe(404);
    expect((await caseOf('jj_hr', 999_999)).statusCode).toBe(404);
    // and the applicant and the units of its chain read it
    for (const reader of [user, 'kj_hr', 'cd_jxj', 'cd_hr']) expect((await caseOf(reader, id)).statusCode, reader).toBe(200);
  });

  it('while the applicant revises, readers see the declaration as it was returned, not the draft', async () => {
    // given a returned dossier whose applicant has typed a new phone number into the draft
    const user = await applicant();
    const instanceId = await submitDossier(t, user);
    const id = await dossierIdOf(instanceId);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id, 'return', '联系电话有误');
    const draft = await t.request('PUT', `/api/dossiers/${id}/draft`, { user, body: { data: { ...VALID_DOSSIER, phone: '13911112222' } } });
    expect(draft.statusCode, draft.body).toBe(200);

    // when the clerk reads the case
    const view = await caseOk('kj_hr', id);

    // then it is the returned declaration, and no changes are claimed yet
    expect(view.version).toBe('returned');
    expect(field(view, 'basic', 'phone').text).toBe('138****0000');
    expect(view.changes).toBeNull();

    // and a dossier returned before the snapshot was kept shows its last submission from the case's history
    await db.knex('dossiers').where({ id }).update({ returned_data: null, returned_at: null });
    const legacy = await caseOk('kj_hr', id);
    expect(legacy.version).toBe('returned');
    expect(field(legacy, 'basic', 'phone').text).toBe('138****0000');
  });

  it('after the resubmission names what changed since the return: values, entries, attachments (修改痕迹)', async () => {
    // given a dossier returned for its phone number and a missing certificate
    const user = await applicant();
    const instanceId = await submitDossier(t, user);
    const id = await dossierIdOf(instanceId);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id, 'return', '联系电话有误；请上传资格证书');

    // when the applicant resubmits with a new phone, the certificate attached, and a second work entry
    const certificate = await uploadPdf(t, user, '工程师资格证书.pdf');
    const resubmit = await taskOf(t, user, instanceId, 'resubmit');
    await completeOk(t, user, resubmit.id, 'submit', undefined, {
      ...VALID_DOSSIER,
      phone: '13911112222',
      qualifications: [{ ...VALID_DOSSIER.qualifications[0], files: [certificate] }],
      workHistory: [...VALID_DOSSIER.workHistory, { from: '2020-01-01', unit: '成都示范科技有限公司', post: '主任工程师' }],
    });
    const view = await caseOk('kj_hr', id);

    // then the list names each change in words
    expect(view.version).toBe('submitted');
    expect(view.changes).not.toBeNull();
    const texts = view.changes!.items.map((c) => c.text);
    expect(texts).toContain('修改 基本信息 联系电话：138****0000 → 139****2222');
    expect(texts).toContain('新增附件 资格证书 第1项 证书附件：工程师资格证书.pdf');
    expect(texts).toContain('新增 工作经历 第2项');
    expect(view.changes!.items).toHaveLength(3);
    expect(view.changes!.resubmittedAt).not.toBeNull();
    // and the changed places are marked, the others not
    expect(field(view, 'basic', 'phone').changed).toBe(true);
    expect(field(view, 'basic', 'currentTitle').changed).toBe(false);
    expect(section(view, 'basic').changed).toBe(true);
    expect(section(view, 'education').changed).toBe(false);
    expect(section(view, 'workHistory').groups[0]!.entries[1]).toMatchObject({ added: true, changed: true });
    // and the applicant reads the same
    expect((await caseOk(user, id)).changes!.items).toHaveLength(3);
  });

  it('the declaration’s task form names the declaration page, so every way into 修改并重新提交 opens it', async () => {
    // given a returned dossier
    const user = await applicant();
    const instanceId = await submitDossier(t, user);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id, 'return', '请补充');

    // when the applicant opens the resubmit task
    const res = await t.request('GET', `/api/tasks/${(await taskOf(t, user, instanceId, 'resubmit')).id}`, { user });

    // then its form points at the declaration page of this case
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { form: Record<string, unknown>; case: { variables: Record<string, unknown> } };
    expect(detail.form['x-page']).toBe('/my-dossiers/{dossierId}/declaration');
    expect(detail.case.variables.dossierId).toBe(await dossierIdOf(instanceId));
  });
});
