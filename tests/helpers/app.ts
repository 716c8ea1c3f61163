import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, deployProcesses, type AppOptions } from '../../api/src/app.ts';
import { loadConfig, type Config } from '../../api/src/config.ts';
import type { Database } from '../../api/src/db.ts';
import { DEMO_PASSWORD, loadDemoData } from '../../api/src/demo.ts';
import { TestClock } from './clock.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROCESSES_DIR = path.join(ROOT, 'processes');
export const FIXTURES_DIR = path.join(ROOT, 'tests/fixtures');

/** The personal-information keys of every test app; a harness's API children use them too (one database, one key). */
export const TEST_PII_KEY = '0123456789abcdef0123456789abcdef';
export const TEST_PII_HASH_KEY = 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';

export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent',
    SCHEDULER: 'false',
    DEMO_DATA: 'false',
    JWT_SECRET: 'test-secret-that-is-long-enough',
    CERT_KEY_SECRET: 'test-certificate-key-secret',
    PII_KEY: TEST_PII_KEY,
    PII_HASH_KEY: TEST_PII_HASH_KEY,
    LOGIN_RATE_LIMIT: '1000',
    PUBLIC_RATE_LIMIT: '1000',
    REGISTRATION_RATE_LIMIT: '1000',
    // a file caches its logins for its whole run, which a busy machine can stretch past the
    // production lives (15 min tokens, 30 min idle); the session tests set their own
    JWT_EXPIRES_IN: '4h',
    SESSION_IDLE_MINUTES: '240',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  clock: TestClock;
  /** logs in (cached per user) and returns the bearer token */
  token(username: string): Promise<string>;
  request(method: string, url: string, options?: { user?: string; token?: string; body?: unknown }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The API on a test database, with the diagrams of processes/ deployed. */
export async function startTestApp(
  database: Database,
  options: {
    clock?: TestClock;
    /** real time for login sessions (idle ends), apart from the business clock */
    sessionClock?: AppOptions['sessionClock'];
    config?: Partial<Record<keyof Config, string>>;
    deploy?: boolean;
    demo?: boolean;
  } & Pick<AppOptions, 'withoutModules' | 'extraModules' | 'logStream'> = {},
): Promise<TestApp> {
  const clock = options.clock ?? new TestClock();
  const app = await buildApp({ config: testConfig(options.config), database, clock, sessionClock: options.sessionClock, withoutModules: options.withoutModules, extraModules: options.extraModules, logStream: options.logStream });
  if (options.deploy !== false) await deployProcesses(app, PROCESSES_DIR);
  if (options.demo) {
    await loadDemoData(database.knex, clock.now());
    // the demo writes plain numbers, as an old release would: seal them now (the server's sweep does
    // this at start), so every test reads personal numbers the way production stores them
    await app.sealer.sweep();
  }
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const value = (res.json() as { token: string }).token;
    tokens.set(username, value);
    return value;
  };
  return {
    app,
    clock,
    token,
    async request(method, url, opts = {}) {
      const bearer = opts.token ?? (opts.user ? await token(opts.user) : undefined);
      return app.inject({
        method: method as 'GET',
        url,
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
      });
    },
    close: () => app.close(),
  };
}

/** A complete 申报材料 for the demo activity (id 1: 中级, 机械工程; no 业绩成果 items, materials or 破格 configured). */
export const VALID_DOSSIER = {
  series: 'engineering',
  specialty: '机械工程',
  level: 'intermediate',
  gender: 'male',
  birthDate: '1990-03-07',
  phone: '13800000000',
  currentTitle: '助理工程师',
  currentTitleDate: '2016-12-01',
  education: 'bachelor',
  school: '西南交通大学',
  major: '机械设计制造及其自动化',
  graduationDate: '2012-06-30',
  workStartDate: '2012-07-01',
  qualifications: [{ name: '机械工程师资格', number: 'JX2018001', date: '2018-06-01' }],
  continuingEducationHours: 120,
  workHistory: [{ from: '2012-07-01', unit: '成都示范科技有限公司', post: '机械设计工程师' }],
  workSummary: '从事机械设计与制造工艺十余年。',
  achievements: [{ title: '某型减速器设计', date: '2020-05-01' }],
  // 诚信承诺, accepted with every submission
  pledge: true,
};
