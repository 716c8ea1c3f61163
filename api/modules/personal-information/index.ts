import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createPersonalInformationRepository } from './personal-information.repository.ts';
import { createSealer, type Sealer } from './personal-information.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Seals the ID and phone numbers of every registered table with SM4 (new, changed, or under a
     * rotated-out key). A module owning such a table calls `fastify.sealer.register(spec)`.
     */
    sealer: Sealer;
  }
}

/**
 * 个人信息: ID and phone numbers sealed at rest with SM4, beside a keyed hash for exact lookups.
 * The sealer goes over every registered table at start and with every sweep;
 * `npx tsx scripts/pii-rotate.ts` runs it to the end after a key rotation. See
 * docs/personal-information.md.
 */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const sealer = createSealer(fastify.db, createPersonalInformationRepository(fastify.db), fastify.pii);
    fastify.decorate('sealer', sealer);
    // rows that collide with another row's hash are named (table and id, never the number)
    const sweep = async (options: Parameters<Sealer['sweep']>[0] = {}) => {
      const report = await sealer.sweep(options);
      if (report.conflicts.length) fastify.log.warn({ conflicts: report.conflicts }, `个人信息加密：${report.conflicts.length} 行的证件号码与同表另一行相同（大小写 x 之差），未加密，请合并重复记录`);
      return report;
    };
    fastify.flows.job({ name: 'pii-seal', cronExpression: config.SWEEP_CRON, run: () => sweep({ maxBatches: 4 }) });
    fastify.addHook('onReady', () => {
      if (config.SCHEDULER) setImmediate(() => void sweep().catch((err: unknown) => fastify.log.error({ err }, '个人信息加密（补录）失败')));
    });
  },
  { name: 'module:personal-information', dependencies: ['db', 'pii', 'flows'] },
);
