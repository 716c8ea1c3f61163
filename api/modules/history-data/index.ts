import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createHistoryFlow, type CertificatesCore } from './history-data.flow.ts';
import historyDataRoutes from './history-data.routes.ts';
import { createHistoryDataService } from './history-data.service.ts';
import { createHistoryDataRepository } from './history-data.repository.ts';
import { HISTORY_RECORDS_SEALED } from './history-data.pii.ts';

/**
 * 历史职称数据 (manual §1.2.8.2): 历史评审机构管理, 数据上传 with its checks, 提交审核 along the
 * audit path (`history-data-approval`, through 多岗审核 where configured), 人员名单校验 and
 * 历史证书生成 through the certificates core.
 */
export default fp<AppOptions>(
  async (fastify) => {
    const certificates = (): CertificatesCore => fastify.certificates;
    fastify.sealer.register(HISTORY_RECORDS_SEALED);
    const flow = createHistoryFlow(fastify.db, fastify.engine, certificates, fastify.pii);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    const service = createHistoryDataService({ db: fastify.db, engine: fastify.engine, checks: flow.checks, certificates, pii: fastify.pii });
    // the 任职资格文件 and the stamped summary of a batch: whoever may read the batch
    const repo = createHistoryDataRepository(fastify.db, fastify.pii);
    fastify.fileReaders.add('history-data', async (actor, file) => {
      for (const upload of await repo.uploadsOfFile(file.id)) {
        if (await service.readableUpload(actor, Number(upload.id)).then(() => true, () => false)) return true;
      }
      return false;
    });
    await fastify.register(historyDataRoutes, { service });
  },
  { name: 'module:history-data', dependencies: ['db', 'auth', 'flows', 'pii', 'module:files', 'module:certificates', 'module:personal-information'] },
);
