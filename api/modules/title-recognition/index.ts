import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createRecognitionFlow, type CertificatesCore } from './title-recognition.flow.ts';
import { RECOGNITIONS_SEALED } from './title-recognition.pii.ts';
import recognitionRoutes from './title-recognition.routes.ts';
import { createRecognitionService } from './title-recognition.service.ts';

/**
 * 职称确认审核 (manual §1.2.14): a person applies for recognition of a title obtained elsewhere;
 * `title-recognition` walks it up the unit chain (through 多岗审核 where configured) to the HR
 * bureau that confirms it and issues a certificate of kind 确认 through the certificates core.
 */
export default fp<AppOptions>(
  async (fastify) => {
    const certificates = (): CertificatesCore => fastify.certificates;
    // the ID number sealed at rest (SM4, keyed hash for the "already recognised" check): docs/personal-information.md
    fastify.sealer.register(RECOGNITIONS_SEALED);
    const flow = createRecognitionFlow(fastify.db, fastify.engine, certificates, fastify.pii);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    const service = createRecognitionService({ db: fastify.db, engine: fastify.engine, checks: flow.checks, pii: fastify.pii });
    fastify.fileReaders.add('title-recognition', (actor, file) => service.mayReadFile(actor, file.id));
    await fastify.register(recognitionRoutes, { service });
  },
  { name: 'module:title-recognition', dependencies: ['db', 'auth', 'flows', 'module:files', 'module:certificates', 'pii', 'module:personal-information'] },
);
