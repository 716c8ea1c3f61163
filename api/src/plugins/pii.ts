import fp from 'fastify-plugin';
import type { AppOptions } from '../app.ts';
import { createPiiCipher, resolvePiiKeys, type PiiCipher } from '../pii.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Seals ID and phone numbers with SM4 and computes their keyed hash (api/src/pii.ts). */
    pii: PiiCipher;
  }
}

/** The personal-information keys: from PII_KEY / PII_HASH_KEY, or generated into DATA_DIR outside production. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const keys = resolvePiiKeys({ PII_KEY: config.PII_KEY, PII_HASH_KEY: config.PII_HASH_KEY, NODE_ENV: process.env.NODE_ENV }, config.DATA_DIR, (msg) => fastify.log.warn(msg));
    fastify.decorate('pii', createPiiCipher(keys));
  },
  { name: 'pii' },
);
