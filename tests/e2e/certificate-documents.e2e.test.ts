import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import type { CertificateSubject } from '../../api/modules/certificates/certificates.types.ts';
import { addReceivedDossiers } from '../helpers/meeting-fixtures.ts';
import { idNumber as personId } from '../helpers/fixtures.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
const issued: Array<{ id: number; certificateNo: string }> = [];
const ID_NUMBERS: string[] = [];
/** an applicant whose dossier passed and got its certificate */
let applicant: { username: string; dossierId: number; certificateNo: string };

const idNumber = (serial: number) => personId('19870923', serial);

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'certificate-documents',
    viewport: { width: 390, height: 844 },
    // two certificates of the city bureau (初定), issued through the core as the issuing flows do
    prepare: async (db, t) => {
      const bureau = Number((await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id')).id);
      const subjects: CertificateSubject[] = ['陈思远', '林雨桐'].map((personName, i) => {
        ID_NUMBERS.push(idNumber(i + 1));
        return { kind: 'initial', sourceType: 'initial', sourceId: 9100 + i, personName, idNumber: ID_NUMBERS[i]!, series: '工程技术', specialty: '电子信息', titleName: '助理工程师', level: '初级', committeeName: null, employerName: '成都示范科技有限公司', issuerUnitId: bureau, approvalDate: '2026-02-27', documentNo: '成人社职〔2026〕7号' };
      });
      issued.push(...(await db.knex.transaction((trx) => t.app.certificates.issue(trx, subjects, { actorId: null, now: t.clock.now() }))));
      // a dossier that passed (文号 set) and whose certificate was issued (评审发证)
      const [dossierId] = (await addReceivedDossiers(db.knex, [{ name: '周晓岚' }])) as [number];
      await db.knex('dossiers').where({ id: dossierId }).update({ status: 'certified', result: 'passed', result_stage: 'plenary', result_at: t.clock.now(), document_no: '成人社职〔2026〕9号' });
      const owner = await db.knex('dossiers as d').join('users as u', 'u.id', 'd.applicant_id').where('d.id', dossierId).first('u.id', 'u.username', 'u.id_number');
      const [own] = await db.knex.transaction((trx) =>
        t.app.certificates.issue(trx, [{ kind: 'review', sourceType: 'dossier', sourceId: dossierId, dossierId, userId: Number(owner.id), personName: '周晓岚', idNumber: String(owner.id_number), series: '工程技术', specialty: '机械工程', titleName: '工程师', level: '中级', committeeName: '成都市工程技术系列中级职称评审委员会', issuerUnitId: bureau, approvalDate: '2026-02-27', documentNo: '成人社职〔2026〕9号' }], { actorId: null, now: t.clock.now() }),
      );
      applicant = { username: String(owner.username), dossierId, certificateNo: own!.certificateNo };
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const body = () => page.locator('body').innerText();
const sidewaysOverflow = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);

/** The QR code's address of a certificate, on this server. */
async function qrAddress(id: number): Promise<string> {
  const res = await session.t.request('GET', `/api/certificates/${id}`, { user: 'cd_hr' });
  const qr = new URL((res.json() as { qrText: string }).qrText);
  return `${base}${qr.pathname}${qr.search}`;
}

describe('证书核验 (public, no login) on a 390 px phone', () => {
  it('shows a scanned certificate as 有效 with the masked ID number, a forged one as 伪造, and finds one by number', async () => {
    session.keepScreenshotOnFailure('verify-phone');
    // Given the address in a certificate's QR code
    const address = await qrAddress(issued[0]!.id);
    // When a phone opens it (no login)
    await page.goto(address);
    await page.getByTestId('verification-result').waitFor({ timeout: 30_000 });
    // Then the page shows 有效, the name, title, issuer, date, 文号 and number, the ID number masked, and fits the screen
    const text = await body();
    expect(text).toContain('证书状态：有效');
    for (const s of ['陈思远', '助理工程师（初级）', '成都市人力资源和社会保障局', '2026-02-27', '成人社职〔2026〕7号', issued[0]!.certificateNo]) expect(text).toContain(s);
    expect(text).toContain(`${ID_NUMBERS[0]!.slice(0, 4)}**********${ID_NUMBERS[0]!.slice(-4)}`);
    expect(text).not.toContain(ID_NUMBERS[0]!);
    expect(await sidewaysOverflow()).toBe(0);
    await screenshot(page, 'certificate-documents-verify-valid-390');

    // When the payload is changed (another name) and the signature kept
    const url = new URL(address);
    const payload = Buffer.from(url.searchParams.get('p')!, 'base64url').toString('utf8').replace('陈思远', '王冒名');
    await page.goto(`${base}/verify?p=${Buffer.from(payload).toString('base64url')}&s=${url.searchParams.get('s')}`);
    await page.getByTestId('verification-result').waitFor({ timeout: 30_000 });
    // Then it says 伪造/签名无效 and shows no certificate
    expect(await page.getByTestId('verification-result').innerText()).toContain('伪造/签名无效');
    expect(await body()).not.toContain('王冒名');
    await screenshot(page, 'certificate-documents-verify-forged-390');

    // When a number is typed in the form
    await page.getByTestId('certificate-no').fill(issued[1]!.certificateNo);
    await page.getByRole('button', { name: '查询' }).click();
    // Then that certificate is shown
    await page.getByText('林雨桐').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('verification-result').innerText()).toContain('有效');
    expect(await sidewaysOverflow()).toBe(0);
  });
});

describe('电子证书 → 已发放 in the console', () => {
  it('the issuer’s clerk lists the certificates and revokes one with a reason; the public page then says 已撤销', async () => {
    session.keepScreenshotOnFailure('issued');
    // Given the city bureau's clerk at 1366×768
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, base, 'cd_hr');
    // When they open 已发放 from the menu (the 初定 ones through the kind in the URL)
    await page.goto(`${base}/#/certificates?kind=initial`);
    await page.getByTestId('issued-certificates').waitFor({ timeout: 30_000 });
    await page.getByText(issued[1]!.certificateNo).waitFor({ timeout: 30_000 });
    // Then both certificates are listed with masked ID numbers
    const listed = await page.getByTestId('issued-certificates').innerText();
    for (const c of issued) expect(listed).toContain(c.certificateNo);
    expect(listed).not.toContain(ID_NUMBERS[0]!);
    await screenshot(page, 'certificate-documents-issued-1366');

    // When they revoke the second one: the confirm stays disabled until a reason is given
    await page.getByTestId(`revoke-${issued[1]!.certificateNo}`).click();
    expect(await page.getByTestId('revoke-confirm').isDisabled()).toBe(true);
    await page.getByTestId('revoke-reason').fill('学历证书造假，经核实撤销');
    await page.getByTestId('revoke-confirm').click();
    // Then the row shows 已撤销 and offers no second revocation
    await page.getByText(`证书 ${issued[1]!.certificateNo} 已撤销`).waitFor({ timeout: 30_000 });
    await page.getByTestId('issued-certificates').getByText('已撤销').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId(`revoke-${issued[1]!.certificateNo}`).count()).toBe(0);
    expect(await page.getByTestId(`revoke-${issued[0]!.certificateNo}`).count()).toBe(1);

    // And the public page shows 已撤销 with the date and the reason
    await page.goto(await qrAddress(issued[1]!.id));
    await page.getByTestId('verification-result').waitFor({ timeout: 30_000 });
    const result = await page.getByTestId('verification-result').innerText();
    expect(result).toContain('已撤销');
    expect(result).toContain('2026-03-02');
    expect(result).toContain('学历证书造假，经核实撤销');
  });
});

describe('我的申报 on a 390 px phone: the certificate of a passed dossier', () => {
  it('shows the certificate number in the result line and downloads the certificate', async () => {
    session.keepScreenshotOnFailure('my-dossiers');
    // Given the applicant whose dossier passed and was certified, on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, base, applicant.username);
    // When they open 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    await page.getByTestId('dossier-certificate').first().waitFor({ timeout: 30_000 });
    // Then the result line shows the 文号 and the certificate number, and the page fits the screen
    const line = await page.getByTestId('dossier-result').first().innerText();
    expect(line).toContain('成人社职〔2026〕9号');
    expect(line).toContain(`证书编号：${applicant.certificateNo}`);
    expect(await sidewaysOverflow()).toBe(0);
    await screenshot(page, 'certificate-documents-my-dossiers-390');
    // And 下载证书 downloads their certificate as a PDF
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('button', { name: '下载证书' }).first().click()]);
    expect(download.suggestedFilename()).toBe(`职称证书-周晓岚-${applicant.certificateNo}.pdf`);
    const file = await download.path();
    expect((await import('node:fs')).readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('电子证书 → 证书签名密钥', () => {
  it('the issuer’s clerk rotates the unit’s key after confirming; the old key stays listed as 已停用', async () => {
    session.keepScreenshotOnFailure('keys');
    // Given the city bureau's clerk, whose unit signed the certificates with one key
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/certificate-keys`);
    await page.getByTestId('certificate-keys').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('certificate-keys').locator('tbody tr').count()).toBe(1);
    // When they click 轮换密钥 and confirm
    await page.getByTestId('rotate-key').click();
    await page.getByText('轮换签名密钥？').waitFor();
    await page.getByTestId('rotate-confirm').click();
    // Then a new key is in use and the old one is 已停用
    await page.getByText('已启用新密钥').waitFor({ timeout: 30_000 });
    await page.getByTestId('certificate-keys').getByText('已停用').waitFor({ timeout: 30_000 });
    const rows = await page.getByTestId('certificate-keys').locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('使用中');
    expect(rows[1]).toContain('已停用');
    await screenshot(page, 'certificate-documents-keys-1366');
    // And a certificate signed with the old key still verifies on the public page
    await page.goto(await qrAddress(issued[0]!.id));
    await page.getByTestId('verification-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('verification-result').innerText()).toContain('证书状态：有效');
  });
});
