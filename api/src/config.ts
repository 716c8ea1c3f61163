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
  /** signing key for login tokens; generated and stored in the database when absent */
  JWT_SECRET: z.string().min(16).optional(),
  JWT_EXPIRES_IN: z.string().default('12h'),
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
  /** load the demo units, accounts and activity into an empty database on start */
  DEMO_DATA: bool.default(true),
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
  SCHEDULER: bool.default(true),
  /**
   * login (and captcha) requests per client address per minute: a flood guard only, generous
   * enough for an office behind one address; wrong passwords lock the account (5 in a row)
   */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
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
  return { ...config, DATA_DIR: path.resolve(config.DATA_DIR) };
}
