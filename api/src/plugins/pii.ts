import fp from 'fastify-plugin';
import type { AppOptions } from '../app.ts';
import { createPiiCipher, resolvePiiKeys, type PiiCipher } from '../pii.ts';
import { bindPii } from '../pii-of.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Seals ID and phone numbers with SM4 and computes their keyed hash (api/src/pii.ts). */
    pii: PiiCipher;
  }
}

/** The personal-information keys: from PII_KEY / PII_HASH_KEY, or generated into DATA_DIR outside production. */
export default fp<AppOptions>(
  async (fastify, { config, database }) => {
    const keys = resolvePiiKeys({ PII_KEY: config.PII_KEY, PII_HASH_KEY: config.PII_HASH_KEY, NODE_ENV: process.env.NODE_ENV }, config.DATA_DIR, (msg) => fastify.log.warn(msg));
    const cipher = createPiiCipher(keys);
    fastify.decorate('pii', cipher);
    // repositories and flow handlers handed only `db` / `trx` find it with piiOf(db)
    bindPii(database.knex, cipher);
  },
  { name: 'pii' },
);
