import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** embedded database and uploaded files live here when DATABASE_URL is not set */
  DATA_DIR: z.string().default('./data'),
  /** postgres://… to use a PostgreSQL (≥ 15) server instead of the embedded one */
  DATABASE_URL: z.string().url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** production (NODE_ENV=production) refuses to start without the secrets below */
  NODE_ENV: z.string().optional(),
  /** signing key for login tokens; generated and stored in the database when absent (not in production) */
  JWT_SECRET: z.string().min(16).optional(),
  /** the access token's life; the console renews it with the refresh token while the session lives */
  JWT_EXPIRES_IN: z.string().default('15m'),
  /** a session unused this long (real time) ends: refresh and access refused; the console warns before */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
  /** the console's warning comes this long before the idle end (at most half the idle time) */
  SESSION_WARN_SECONDS: z.coerce.number().int().min(1).default(120),
  /** the longest a session lasts, however busy: then the password is asked again */
  SESSION_MAX_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** origins (comma-separated, e.g. https://zcps.example.gov.cn) allowed to call the API from a browser; none when empty */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean)),
  /**
   * encrypts the certificate issuers' SM2 signing keys in the database; generated into DATA_DIR
   * when absent (set it in production, and keep it: without it the stored keys cannot sign)
   */
  CERT_KEY_SECRET: z.string().min(16).optional(),
  /**
   * SM4 key(s) sealing ID and phone numbers at rest: 32 hex, or `k2:<hex>,k1:<hex>` while rotating
   * (the first seals, the others still open); generated into DATA_DIR when absent outside production
   */
  PII_KEY: z.string().optional(),
  /** HMAC-SM3 key of the keyed hash beside them (exact lookups); never rotated with PII_KEY */
  PII_HASH_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** load the demo units, accounts and activity into an empty database on start (`npm run demo` sets it) */
  DEMO_DATA: bool.default(false),
  /** API processes to run (PostgreSQL only; the embedded database allows one) */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** node-cron expression of the timer and due-date sweeper */
  SWEEP_CRON: z.string().default('*/5 * * * * *'),
  ACCOUNT_SWEEP_CRON: z.string().default('30 2 * * *'),
  COMMITTEE_SWEEP_CRON: z.string().default('40 2 * * *'),
  // deadlines carry a time of day: looked at every five minutes
  DEADLINE_SWEEP_CRON: z.string().default('*/5 * * * *'),
  // 转报时限 reminders and 评委会接收截止 (not delivered): deadlines carry a time of day
  CHAIN_SWEEP_CRON: z.string().default('*/5 * * * *'),
  // 综合查询's summary: its per-change rows folded into one per key (dossier-queries)
  DOSSIER_COUNTS_CRON: z.string().default('*/1 * * * *'),
  SCHEDULER: bool.default(true),
  /**
   * login (and captcha) requests per client address per minute: a flood guard only, generous
   * enough for an office behind one address; wrong passwords lock the account (5 in a row)
   */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** reads of the public pages (portal lists, public activities, certificate verification) per client address per minute */
  PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** anonymous writes (registration) per client address per minute */
  REGISTRATION_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** where those limits count: `database` (shared by every API process) or `memory` (per process) */
  RATE_LIMIT_STORE: z.enum(['database', 'memory']).default('database'),
  /** idle process instances kept in memory between steps */
  ENGINE_CACHE_SIZE: z.coerce.number().int().min(1).default(500),
  /** completions of one batch request in flight at once (below the connection pool) */
  BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** the address people reach the console at: a certificate's QR code points to its /verify page */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** rows an uploaded workbook (imports read whole) may hold on a sheet: more is refused before it is loaded */
  XLSX_MAX_ROWS: z.coerce.number().int().min(1).default(50_000),
});

export type Config = z.infer<typeof ConfigSchema>;

/**
 * Secrets a production start must be given: nothing generated, nothing stored beside the data.
 * Variables other parts add (the personal-information keys) count once the schema has them.
 */
export const PRODUCTION_SECRETS = ['JWT_SECRET', 'CERT_KEY_SECRET', 'PII_KEY', 'PII_HASH_KEY'].filter((k) => k in ConfigSchema.shape) as Array<keyof Config>;

/** Parses the environment once; a bad value stops the start with the variable named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ');
    throw new Error(`配置错误（环境变量）：\n  ${problems}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production') {
    const missing = PRODUCTION_SECRETS.filter((k) => config[k] === undefined);
    if (missing.length) {
      throw new Error(`配置错误：生产环境（NODE_ENV=production）必须通过环境变量设置 ${missing.join('、')}，不会自动生成密钥；请设置后再启动`);
    }
  }
  return { ...config, DATA_DIR: path.resolve(config.DATA_DIR) };
}
