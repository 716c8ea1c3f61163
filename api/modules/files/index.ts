import fp from 'fastify-plugin';
import filesRoutes from './files.routes.ts';

/** 附件: upload and download of attachments. */
export default fp(
  async (fastify) => {
    await fastify.register(filesRoutes);
  },
  { name: 'module:files', dependencies: ['auth', 'engine'] },
);
