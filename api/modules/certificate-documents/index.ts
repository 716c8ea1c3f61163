import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import certificateDocumentsPublicRoutes from './certificate-documents.public.routes.ts';
import certificateDocumentsRoutes from './certificate-documents.routes.ts';
import { createCertificateDocumentsService } from './certificate-documents.service.ts';

/**
 * 电子证书 as a document (issue 19): the certificate PDF with its SM2-signed QR code, the public
 * check (online and with the published keys offline), 撤销证书, 证书签名密钥 rotation, the issuer's
 * 已发放 lists and downloads, and the applicant's own certificates.
 */
export default fp<AppOptions>(
  async (fastify, opts) => {
    const service = createCertificateDocumentsService({
      db: fastify.db,
      publicUrl: opts.config.PUBLIC_URL,
      now: () => fastify.engine.clock.now(),
      core: fastify.certificates.repo,
      rotateKey: (unitId, trx) => fastify.certificates.rotateKey(unitId, trx),
      pii: fastify.pii,
    });
    await fastify.register(certificateDocumentsRoutes, { service });
    await fastify.register(certificateDocumentsPublicRoutes, { service });
  },
  { name: 'module:certificate-documents', dependencies: ['db', 'auth', 'rate-limit', 'pii', 'module:certificates'] },
);
