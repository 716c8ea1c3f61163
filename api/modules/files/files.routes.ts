import { z } from 'zod';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { canViewInstance } from '../instances/instances.access.ts';
import { inScope } from '../../src/scope.ts';
import { MAX_FILE_MB, storeFile } from './files.service.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const fileSchema = z.object({ id: z.string(), name: z.string(), mime: z.string(), size: z.number(), sha256: z.string() });

/** 附件: upload (several at once) and download, scoped to the uploader and the case the file belongs to. */
const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: 20 } });
  app.addHook('onRequest', app.authenticate);

  app.post('/api/files', {
    schema: { tags: ['附件'], summary: `上传附件（multipart，可多个，单个不超过 ${MAX_FILE_MB} MB）`, response: { 201: z.array(fileSchema), ...errors } },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw new ValidationError('请以 multipart/form-data 上传文件', [{ field: 'file', message: '没有文件' }]);
      const stored = [];
      try {
        for await (const part of request.files()) {
          const content = await part.toBuffer();
          if (!content.length) throw new ValidationError(`文件“${part.filename}”是空文件`, [{ field: 'file', message: '空文件' }]);
          stored.push(await storeFile(app.db, { name: part.filename || '未命名文件', mime: part.mimetype || 'application/octet-stream', content, uploadedBy: request.actor.userId }));
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new ValidationError(`文件过大：单个文件不能超过 ${MAX_FILE_MB} MB`, [{ field: 'file', message: `不能超过 ${MAX_FILE_MB} MB` }]);
        }
        throw err;
      }
      if (!stored.length) throw new ValidationError('没有收到文件', [{ field: 'file', message: '没有文件' }]);
      reply.code(201);
      return stored;
    },
  });

  app.get('/api/files/:id', {
    schema: { tags: ['附件'], summary: '下载附件', params: z.object({ id: z.uuid({ error: '附件编号格式不正确' }) }) },
    handler: async (request, reply) => {
      const file = await app.db('files as f').join('file_blobs as b', 'b.sha256', 'f.sha256').select('f.*', 'b.content').where('f.id', request.params.id).first();
      if (!file) throw new NotFoundError('附件不存在');
      let allowed = Number(file.uploaded_by) === request.actor.userId || request.actor.roles.includes('process.monitor');
      if (!allowed && file.root_instance_id) {
        const instance = await app.engine.repo.getInstance(String(file.root_instance_id));
        allowed = Boolean(instance && (await canViewInstance(app.db, app.engine, request.actor, instance)));
      }
      if (!allowed) {
        // a unit's licence may be read by whoever may read the unit: itself, the units above it,
        // and the unit asked to become its parent
        const units = await app.db('units').select('id', 'path', 'pending_parent_id').where({ licence_file_id: file.id });
        allowed = units.some(
          (u: { id: number; path: string; pending_parent_id: number | null }) =>
            inScope(request.actor, { id: Number(u.id), path: String(u.path) }, 'ownOrBelow') || (u.pending_parent_id != null && Number(u.pending_parent_id) === request.actor.unitId),
        );
      }
      if (!allowed) throw new ForbiddenError('您无权查看该附件');
      reply.header('Content-Type', String(file.mime));
      reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(String(file.name))}`);
      return reply.send(file.content as Buffer);
    },
  });
};

export default filesRoutes;
