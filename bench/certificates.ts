/**
 * 证书生成: 1,000 初定 certificates issued as one batch through the real flow on a PostgreSQL 15 of its
 * own — 发证 (the 生成证书 step of certificate-issuance.bpmn, which queues the core's background
 * generation), then the generation (chunks of 100: number, SM2 signature over SM3 with the issuer's
 * key, row), the finish message and the flow's 登记发证结果, until the batch is 已发放. Printed beside
 * a baseline in the same process: the same 1,000 certificate rows inserted without signing (in a
 * transaction rolled back).
 *
 *   npx tsx bench/certificates.ts [--persons 1000]
 *
 * Target: < 30 s.
 */
import os from 'node:os';
import knexFactory from 'knex';
import { startPostgres } from '../tests/helpers/pg-server.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { migrateLatest } from '../migrations/index.ts';
import { openDatabase } from '../api/src/db.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PERSONS = arg('persons', 1000);
const TARGET_MS = 30_000;

class Rollback extends Error {}

/** A valid ID number for the serial (GB 11643 check character). */
function idNumber(serial: number): string {
  const body = `51010419${String(70 + (serial % 30)).padStart(2, '0')}0307${String(serial % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, c, i) => acc + Number(c) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

async function main() {
  const cpus = os.cpus();
  console.log(`zcps 基准测试：证书生成（初定发证，一个批次 ${PERSONS} 人）`);
  console.log(`机器: ${cpus.length} 核 ${cpus[0]?.model ?? ''}，Node ${process.version}`);
  const pg = await startPostgres({ durable: true });
  try {
    const admin = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 1 } });
    await admin.raw('create database zcps_certificates');
    await admin.destroy();
    const database = await openDatabase({ DATABASE_URL: pg.url.replace(/\/postgres$/, '/zcps_certificates'), DATA_DIR: os.tmpdir(), DB_POOL_MAX: 10 });
    await migrateLatest(database.knex);
    const t = await startTestApp(database, { demo: true, config: { LOG_LEVEL: 'warn' } });
    const knex = database.knex;
    const call = async <T,>(method: string, url: string, body?: unknown): Promise<T> => {
      const res = await t.request(method, url, { user: 'cd_hr', body });
      if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json() as T;
    };

    console.log('准备初定人员、批次、批准时间和文号、盖章汇总表（不计时）…');
    const bureau = await knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id');
    const at = new Date();
    const rows = Array.from({ length: PERSONS }, (_, i) => ({
      unit_id: bureau.id,
      person_name: `基准人员${i + 1}`,
      id_number: idNumber(i),
      gender: Number(idNumber(i)[16]) % 2 ? '男' : '女',
      series: '工程技术',
      specialty: '机械工程',
      title_name: '助理工程师',
      level: '初级',
      employer_name: '成都示范科技有限公司',
      education: '大学本科',
      state: 'unissued',
      created_at: at,
    }));
    for (let i = 0; i < rows.length; i += 500) await knex('initial_persons').insert(rows.slice(i, i + 500));
    const persons = await call<Array<{ id: number }>>('GET', `/api/certificate-issuance/initial/persons?pageSize=${PERSONS}`);
    const token = await t.token('cd_hr');
    const lists: Array<{ label: string; p50: number; p95: number; kb: number }> = [];
    // the lists the clerk opens, each timed 30 times after 5 warm-ups (app.inject, sequential)
    const time = async (label: string, url: string) => {
      const ms: number[] = [];
      let kb = 0;
      for (let i = 0; i < 35; i++) {
        const s0 = performance.now();
        const res = await t.request('GET', url, { token });
        if (i >= 5) ms.push(performance.now() - s0);
        kb = res.body.length / 1024;
      }
      ms.sort((a, b) => a - b);
      lists.push({ label, p50: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.floor(ms.length * 0.95)]!, kb });
    };
    await time(`初定发证 未发放（${PERSONS} 人，第一页）`, '/api/certificate-issuance/initial/persons');
    await time(`初定发证 未发放（末页）`, `/api/certificate-issuance/initial/persons?page=${Math.ceil(PERSONS / 50)}`);
    const batch = await call<{ id: number }>('POST', '/api/certificate-issuance/initial/batches', { personIds: persons.map((p) => p.id) });
    await call('PUT', `/api/certificate-issuance/batches/${batch.id}/issuing-data`, { documentNo: '成人社初〔2026〕9号', approvalDate: '2026-08-01' });
    const boundary = '----bench';
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { authorization: `Bearer ${await t.token('cd_hr')}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="盖章汇总表.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n\r\n--${boundary}--\r\n`),
    });
    await call('PUT', `/api/certificate-issuance/batches/${batch.id}/stamped-file`, { fileId: (upload.json() as Array<{ id: string }>)[0]!.id });
    await knex.raw('analyze');

    // 发证 → background generation → 证书生成完毕 → 登记发证结果: until the batch is 已发放
    const t0 = performance.now();
    await call('POST', `/api/certificate-issuance/batches/${batch.id}/issue`);
    const queued = performance.now() - t0;
    await t.app.certificates.runGenerations();
    await t.app.engine.deliverMessages();
    const total = performance.now() - t0;
    const state = await knex('issuance_batches').where({ id: batch.id }).first('state');
    const issued = await knex('certificates').where({ generation_ref: `issuance-batch:${batch.id}` }).select('*');
    if (state.state !== 'issued' || issued.length !== PERSONS) throw new Error(`批次未完成：${state.state}，证书 ${issued.length} 张`);

    await time(`发证批次详情（${PERSONS} 人，第一页）`, `/api/certificate-issuance/batches/${batch.id}`);
    await time(`发证批次详情（末页）`, `/api/certificate-issuance/batches/${batch.id}?page=${Math.ceil(PERSONS / 50)}`);
    await time(`已发放：本批次的证书（${PERSONS} 张，第一页）`, `/api/certificate-issuance/batches/${batch.id}/certificates`);
    await time(`已发放：本批次的证书（末页）`, `/api/certificate-issuance/batches/${batch.id}/certificates?page=${Math.ceil(PERSONS / 50)}`);
    await time('发证批次列表（已发放）', '/api/certificate-issuance/initial/batches?tab=issued');

    // baseline: the same rows written without numbering or signing
    const t1 = performance.now();
    await knex
      .transaction(async (trx) => {
        const copies = issued.map(({ id: _id, ...r }, i) => ({ ...r, certificate_no: `B${i}`, source_type: 'history', source_id: 10_000_000 + i, generation_ref: null }));
        for (let i = 0; i < copies.length; i += 100) await trx('certificates').insert(copies.slice(i, i + 100));
        throw new Rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    const baseline = performance.now() - t1;

    console.log('');
    console.log('结果');
    console.log(`  基线：写入 ${PERSONS} 行证书（不编号、不签名，回滚）`.padEnd(44) + `${baseline.toFixed(0)} ms`);
    console.log(`  发证请求（生成证书步骤，排入后台生成）`.padEnd(44) + `${queued.toFixed(0)} ms`);
    console.log(`  ${PERSONS} 张证书生成至批次已发放`.padEnd(44) + `${total.toFixed(0)} ms（每张 ${(total / PERSONS).toFixed(1)} ms）  目标 < ${TARGET_MS} ms：${total < TARGET_MS ? '达标' : '未达标'}`);
    console.log('列表（p50 / p95，顺序请求 30 次；目标 p95 < 50 ms）');
    for (const l of lists) console.log(`  ${l.label.padEnd(28)} p50 ${l.p50.toFixed(1).padStart(7)} ms  p95 ${l.p95.toFixed(1).padStart(7)} ms  ${l.kb.toFixed(0)} KB`);
    await t.close();
    await database.close();
  } finally {
    pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
