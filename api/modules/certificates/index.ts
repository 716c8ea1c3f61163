import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import certificatesRoutes from './certificates.routes.ts';
import { createCertificatesService, type CertificatesService } from './certificates.service.ts';
import { createCertificatesRepository } from './certificates.repository.ts';
import { CERTIFICATES_SEALED } from './certificates.pii.ts';
import { createKeyCipher, createKeyStore, resolveKeySecret } from './certificates.keys.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Issues electronic certificates (signed with the issuer's SM2 key) now or as a background batch. */
    certificates: CertificatesService;
  }
}

/**
 * 电子证书 core: the issuers' keys, certificate numbers, signing and issuing, and the background
 * generation of a batch (resumed after a restart, an item issued once). The issuing flows
 * (评审发证, 初定发证, 委托发证, 历史证书生成) and the certificate's documents are modules of their own
 * that use `fastify.certificates`.
 */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const secret = resolveKeySecret(config.CERT_KEY_SECRET, config.DATA_DIR, (msg) => fastify.log.warn(msg));
    fastify.sealer.register(CERTIFICATES_SEALED);
    const repo = createCertificatesRepository(fastify.db, fastify.pii);
    const keys = createKeyStore(fastify.db, repo, createKeyCipher(secret));
    const service = createCertificatesService({ db: fastify.db, engine: fastify.engine, keys, log: fastify.log, pii: fastify.pii });
    fastify.decorate('certificates', service);
    // an unfinished batch (a restart in the middle) goes on with the sweep, and at once on start
    fastify.flows.job({ name: 'certificate-generation', cronExpression: config.SWEEP_CRON, run: () => service.runGenerations() });
    fastify.addHook('onReady', () => {
      if (config.SCHEDULER) setImmediate(() => void service.runGenerations().catch((err: unknown) => fastify.log.error({ err }, '证书批量生成失败')));
    });
    fastify.addHook('onClose', () => service.stop());
    await fastify.register(certificatesRoutes, { service });
  },
  { name: 'module:certificates', dependencies: ['db', 'auth', 'engine', 'flows', 'pii', 'module:personal-information'] },
);
