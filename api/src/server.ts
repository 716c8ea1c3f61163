import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { migrateLatest } from '../../migrations/index.ts';
import { buildApp, deployProcesses } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isEmptyDatabase, loadDemoData, loadMeetingDemoData } from './demo.ts';
import { loadResultsDemoData } from './demo-results.ts';
import { loadIssuanceDemoData } from '../modules/certificate-issuance/certificate-issuance.demo.ts';
import { loadTalentDemoData } from '../modules/talents/talents.demo.ts';
import { loadRecognitionDemoData } from '../modules/title-recognition/title-recognition.demo.ts';
import { loadAnnouncementsDemoData } from '../modules/announcements/announcements.demo.ts';
import { buildConsole } from '../../scripts/build-console.ts';
import { smqpPatched } from '../../engine/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const processesDir = path.join(root, 'processes');

/** Migrates, deploys the diagrams of processes/ and loads demo data into an empty database. */
async function prepare(app: FastifyInstance, database: Database, config: Config): Promise<{ demoLoaded: boolean }> {
  if (!smqpPatched()) {
    app.log.warn('engine/patches/ 中的 smqp 补丁未应用（npm install 时由 patch-package 应用）：流程照常运行，但每个实例占用约两倍内存，重建也更慢');
  }
  // the engine logs each new version it deploys; a module's key that no deployed diagram names
  // (a renamed form or element) is a warning now rather than a check that silently never runs
  await deployProcesses(app, processesDir);
  let demoLoaded = false;
  if (config.DEMO_DATA && (await isEmptyDatabase(database.knex))) demoLoaded = await loadDemoData(database.knex);
  if (demoLoaded) {
    // the dossiers, meetings' results, publicity and confirmation go through the real flows; a
    // refusal there leaves the demo incomplete but must not keep the server from starting
    try {
      await loadMeetingDemoData(app);
      await loadResultsDemoData(app);
      await loadIssuanceDemoData(app);
      await loadRecognitionDemoData(app);
    } catch (err) {
      app.log.error({ err }, '演示数据未能完整加载（评审会议、评审结果公示和确认部分）');
    }
    await loadTalentDemoData(app).catch((err: unknown) => app.log.error({ err }, '演示数据未能完整加载（专技人才部分）'));
    await loadAnnouncementsDemoData(app).catch((err: unknown) => app.log.error({ err }, '演示数据未能完整加载（通知公告和消息推送部分）'));
  }
  if (!config.DEMO_DATA && (await isEmptyDatabase(database.knex))) {
    app.log.warn('数据库为空，未加载演示数据（DEMO_DATA 默认关闭）：正式使用请先运行 npx tsx scripts/init-province.ts 创建省人社厅和系统管理员；试用请运行 npm run demo');
  }
  return { demoLoaded };
}

function banner(config: Config, database: Database, demoLoaded: boolean, hasDemo: boolean) {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${config.PORT}`;
  const lines = [
    '',
    '  zcps 职称评审信息系统已启动',
    `  管理控制台: ${url}`,
    `  接口文档:  ${url}/api/docs`,
    `  数据库:    ${database.kind === 'pglite' ? `内置 PGlite（${path.join(config.DATA_DIR, 'pglite')}）` : 'PostgreSQL'}`,
  ];
  if (hasDemo) {
    lines.push(demoLoaded ? '  已加载演示数据。演示账号（密码均为 ' + DEMO_PASSWORD + '）：' : `  演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(10)} ${a.note}`);
  }
  lines.push('');
  console.log(lines.join('\n'));
}

async function runSingle(config: Config) {
  await buildConsole({ log: (m) => console.log(m) });
  const database = await openDatabase(config);
  await migrateLatest(database.knex);
  const app = await buildApp({ config, database });
  const { demoLoaded } = await prepare(app, database, config);
  const hasDemo = Boolean(await database.knex('users').where({ username: 'admin' }).first()) && config.DEMO_DATA;
  if (config.SCHEDULER) app.scheduler.start();
  await app.listen({ port: config.PORT, host: config.HOST });
  banner(config, database, demoLoaded, hasDemo);
  shutdownOn(app, database);
}

async function runWorker(config: Config) {
  const database = await openDatabase(config);
  const app = await buildApp({ config, database });
  if (config.SCHEDULER) app.scheduler.start();
  await app.listen({ port: config.PORT, host: config.HOST });
  shutdownOn(app, database);
}

function shutdownOn(app: FastifyInstance, database: Database) {
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, '正在关闭');
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
}

async function main() {
  // a local .env (see .env.example) is read if present; real environment variables win
  if (fs.existsSync(path.join(process.cwd(), '.env'))) process.loadEnvFile(path.join(process.cwd(), '.env'));
  const config = loadConfig();
  const workers = config.DATABASE_URL ? config.WORKERS : 1;
  if (workers <= 1) return runSingle(config);
  if (cluster.isPrimary) {
    await buildConsole({ log: (m) => console.log(m) });
    const database = await openDatabase(config);
    await migrateLatest(database.knex);
    const app = await buildApp({ config: { ...config, SCHEDULER: false }, database });
    const { demoLoaded } = await prepare(app, database, config);
    const hasDemo = config.DEMO_DATA && !(await isEmptyDatabase(database.knex));
    await app.close();
    await database.close();
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on('exit', (worker, code) => {
      if (code !== 0) console.error(`工作进程 ${worker.process.pid} 异常退出（${code}）`);
    });
    banner(config, { kind: 'postgresql', knex: null as never, close: async () => {} }, demoLoaded, hasDemo);
    return;
  }
  return runWorker(config);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
