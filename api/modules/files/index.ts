import fp from 'fastify-plugin';
import filesRoutes from './files.routes.ts';
import { createFileReaders } from './files.readers.ts';
import { setUploadedWorkbookLimits } from '../../src/xlsx.ts';
import type { AppOptions } from '../../src/app.ts';

/** 附件: upload and download of attachments; other modules add who else may read their files (`fastify.fileReaders`). */
export default fp<AppOptions>(
  async (fastify, opts) => {
    setUploadedWorkbookLimits({ maxRows: opts.config.XLSX_MAX_ROWS });
    fastify.decorate('fileReaders', createFileReaders());
    await fastify.register(filesRoutes);
  },
  { name: 'module:files', dependencies: ['auth', 'engine'] },
);
