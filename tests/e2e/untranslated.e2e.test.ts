import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier, taskOf } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
/** 张伟's declaration at 申报单位审核: a task page for the unit's clerk, a case for everyone else */
let instanceId: string;
let taskId: string;

/**
 * Latin words a Chinese user may legitimately see: file formats, standards, and the demo accounts'
 * user names (data, not interface text). Anything else is untranslated interface text.
 */
const WHITELIST = new Set(['pdf', 'excel', 'xlsx', 'bpmn', 'feel', 'id', 'url', 'xml', 'json', 'mb', 'kb', 'jpg', 'png', 'iso', 'admin', 'zhangwei', 'lina']);

/**
 * In the flow editor only: keys an administrator types into a diagram, quoted as examples in the
 * properties' descriptions (form keys, actions).
 */
const DIAGRAM_KEYS = new Set(['review', 'submit', 'pass', 'return', 'reject', 'reviewer', 'reviewers']);

interface Finding {
  page: string;
  what: string;
}

/** Everything a user can read on the page: its text, and the placeholders, labels and tooltips. */
function visibleText(): Promise<string> {
  return page.evaluate(() => {
    const texts = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('[placeholder], [aria-label], [title]'))) {
      for (const attribute of ['placeholder', 'aria-label', 'title']) {
        const value = el.getAttribute(attribute);
        if (value) texts.push(value);
      }
    }
    return texts.join('\n');
  });
}

/** react-admin message keys, and latin words that are neither whitelisted nor part of a code (kj_hr, a@b, 2026-12, x.pdf). */
function untranslated(text: string, allowed: Set<string> = new Set()): string[] {
  const found = new Set<string>();
  // bpmn.io's licence keeps its watermark (and its title) as it is
  const shown = text.replaceAll('Powered by bpmn.io', '');
  for (const key of shown.match(/@@[\w-]+@@|\bra\.[a-z_]+(?:\.[a-z_]+)*/g) ?? []) found.add(key);
  for (const chunk of shown.split(/[\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff（），、：；“”‘’《》…·—]+/)) {
    if (!/[A-Za-z]/.test(chunk) || /[\d_@./\\:#?=&%-]/.test(chunk)) continue;
    for (const word of chunk.match(/[A-Za-z]+/g) ?? []) if (word.length > 1 && !WHITELIST.has(word.toLowerCase()) && !allowed.has(word)) found.add(word);
  }
  return [...found];
}

const findings: Finding[] = [];

/** a walk opens 5–25 screens, each waited for until its requests settle */
const WALK = 300_000;

/** Waits for the page's requests and spinners to settle, then notes what is untranslated on it. */
async function check(name: string, allowed?: Set<string>): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.MuiCircularProgress-root, .RaLoading-root').first().waitFor({ state: 'detached', timeout: 20_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
  for (const what of untranslated(await visibleText(), allowed)) findings.push({ page: name, what });
}

async function visit(path: string, name = path): Promise<void> {
  await page.goto(`${base}/#${path}`);
  await check(name);
}

/** Every entry of the caller's menu, in order. */
async function walkMenu(user: string): Promise<string[]> {
  const paths = await page.locator('a[role="menuitem"]').evaluateAll((links) => links.map((a) => (a.getAttribute('href') ?? '').replace(/^#/, '')));
  const entries = paths.filter((p) => p.startsWith('/'));
  for (const path of entries) await visit(path, `${user} ${path}`);
  return entries;
}

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'untranslated',
    prepare: async (_db, t) => {
      instanceId = await submitDossier(t, 'zhangwei');
      taskId = (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id;
    },
  });
  ({ page, base } = session);
}, 240_000);

beforeEach(() => {
  findings.length = 0;
});

afterAll(async () => {
  await session?.close();
});

describe('no untranslated text on any screen', () => {
  it('recognises what it looks for', () => {
    // given texts with a message key, a humanised source and an English label among legitimate latin
    // then exactly the untranslated ones are reported
    expect(untranslated('@@react-admin@@"ra.validation.required"')).toEqual(expect.arrayContaining(['@@react-admin@@', 'ra.validation.required']));
    expect(untranslated('办理单位 Unit\nUSER TASK\n导出 Excel，上传 PDF 文件（最大 20 MB）、kj_hr、公示证明.pdf、Powered by bpmn.io')).toEqual(['Unit', 'USER', 'TASK']);
  });

  it('the login and register pages', async () => {
    session.keepScreenshotOnFailure('public');
    // when nobody is logged in
    await page.goto(`${base}/#/login`);
    await page.evaluate('localStorage.clear()');
    // then the public pages are Chinese
    for (const path of ['/login', '/register-applicant', '/register-unit', '/public/activities']) await visit(path, `public ${path}`);
    expect(findings).toEqual([]);
  }, WALK);

  it('every menu entry of the administrator, the flow editor with an element selected, a case and a create dialog', async () => {
    session.keepScreenshotOnFailure('admin');
    // given the administrator
    await login(page, base, 'admin');
    // when every entry of the menu is opened
    expect((await walkMenu('admin')).length).toBeGreaterThan(10);
    // and the flow editor with a user task selected shows its properties
    await page.goto(`${base}/#/processes/dossier-review/edit`);
    await page.locator('.djs-element[data-element-id="unit_review"]').first().click({ timeout: 30_000 });
    await page.locator('.bio-properties-panel').first().waitFor();
    // every group of the properties panel open, with its entries and their descriptions
    const groups = page.locator('.bio-properties-panel-group-header:not(.open)');
    for (let n = await groups.count(); n > 0; n = await groups.count()) await groups.first().click();
    await check('admin flow editor, 申报单位审核 selected', DIAGRAM_KEYS);
    await screenshot(page, 'untranslated-flow-editor');
    // and the case itself, and a create dialog
    await visit(`/instances/${instanceId}/view`, 'admin 流程实例查看');
    await visit('/subordinate-units/create', 'admin 新增下级单位');
    await visit('/committees/create', 'admin 新增评委会');
    // then nothing is untranslated
    expect(findings).toEqual([]);
  }, WALK);

  it('every menu entry of a bureau clerk', async () => {
    session.keepScreenshotOnFailure('bureau');
    await login(page, base, 'cd_hr');
    expect((await walkMenu('cd_hr')).length).toBeGreaterThan(5);
    expect(findings).toEqual([]);
  }, WALK);

  it('every menu entry of a unit clerk, and a task page with a refused pass', async () => {
    session.keepScreenshotOnFailure('unit');
    await login(page, base, 'kj_hr');
    expect((await walkMenu('kj_hr')).length).toBeGreaterThan(5);
    // the inbox's filters, with the 添加筛选 menu open (the 办理单位 filter was "Unit")
    await page.goto(`${base}/#/tasks`);
    await page.getByRole('button', { name: '添加筛选' }).click();
    await page.getByRole('menu').waitFor();
    await check('kj_hr 添加筛选');
    await page.keyboard.press('Escape');
    // when the task is passed without the required uploads
    await page.goto(`${base}/#/tasks/${taskId}/handle`);
    await page.locator('button[data-action="pass"]').waitFor({ timeout: 30_000 });
    await page.click('button[data-action="pass"]');
    await page.waitForTimeout(500);
    await check('kj_hr 申报单位审核 (refused pass)');
    await screenshot(page, 'untranslated-task-refused');
    // then the validation messages are Chinese too
    expect(findings).toEqual([]);
  }, WALK);

  it('every menu entry of an applicant, 发起申报 and 查看进度', async () => {
    session.keepScreenshotOnFailure('applicant');
    await login(page, base, 'zhangwei');
    expect((await walkMenu('zhangwei')).length).toBeGreaterThan(3);
    await page.goto(`${base}/#/my-dossiers`);
    await page.getByRole('button', { name: '发起申报' }).click();
    await page.getByRole('dialog').waitFor();
    await check('zhangwei 发起申报');
    await page.keyboard.press('Escape');
    await visit(`/instances/${instanceId}/view`, 'zhangwei 查看进度');
    await visit(`/my-dossiers`, 'zhangwei 我的申报');
    expect(findings).toEqual([]);
  }, WALK);
});
