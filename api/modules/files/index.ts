import fp from 'fastify-plugin';
import filesRoutes from './files.routes.ts';
import { createFileReaders } from './files.readers.ts';
import { setUploadedWorkbookLimits } from '../../src/xlsx.ts';
import type { AppOptions } from '../../src/app.ts';
import { sealFileBlobs } from './files.pii.ts';

/** 附件: upload and download of attachments; other modules add who else may read their files (`fastify.fileReaders`). */
export default fp<AppOptions>(
  async (fastify, opts) => {
    setUploadedWorkbookLimits({ maxRows: opts.config.XLSX_MAX_ROWS });
    fastify.decorate('fileReaders', createFileReaders());
    // uploaded files' bytes are sealed as written; the sweep seals older plain blobs and re-seals after a rotation
    fastify.sealer.registerExtra('file_blobs', (options) => sealFileBlobs(fastify.db, fastify.pii, options));
    await fastify.register(filesRoutes);
  },
  { name: 'module:files', dependencies: ['auth', 'engine', 'pii', 'module:personal-information'] },
);
