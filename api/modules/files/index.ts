import fp from 'fastify-plugin';
import filesRoutes from './files.routes.ts';
import { createFileReaders } from './files.readers.ts';

/** 附件: upload and download of attachments; other modules add who else may read their files (`fastify.fileReaders`). */
export default fp(
  async (fastify) => {
    fastify.decorate('fileReaders', createFileReaders());
    await fastify.register(filesRoutes);
  },
  { name: 'module:files', dependencies: ['auth', 'engine'] },
);
