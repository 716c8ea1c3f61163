import { z } from 'zod';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { canViewInstance } from '../instances/instances.access.ts';
import { inScope } from '../../src/scope.ts';
import { MAX_FILE_MB, MAX_FILES, storeFiles } from './files.service.ts';
import { storedFile } from './files.schemas.ts';
import { createFilesRepository } from './files.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/**
 * What went wrong while reading an upload, for the uploader: a part too large or too many, and
 * whatever the multipart parser could not read (a body cut short, no boundary, a broken header).
 * Nothing but the request is read in that loop, so every failure there is the request's.
 */
function uploadError(err: unknown): ValidationError {
  if (err instanceof ValidationError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new ValidationError(`文件过大：单个文件不能超过 ${MAX_FILE_MB} MB`, [{ field: 'file', message: `不能超过 ${MAX_FILE_MB} MB` }]);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new ValidationError(`一次最多上传 ${MAX_FILES} 个文件`, [{ field: 'file', message: `最多 ${MAX_FILES} 个` }]);
  }
  return new ValidationError('上传内容不完整或格式不正确，请重新选择文件上传', [{ field: 'file', message: '上传内容无法读取' }]);
}

/** 附件: upload (several at once) and download, scoped to the uploader and the case the file belongs to. */
const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: MAX_FILES } });
  app.addHook('onRequest', app.authenticate);
  const files = createFilesRepository(app.db);

  app.post('/api/files', {
    schema: { tags: ['附件'], summary: `上传附件（multipart，可多个，单个不超过 ${MAX_FILE_MB} MB）`, response: { 201: z.array(storedFile), ...errors } },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw new ValidationError('请以 multipart/form-data 上传文件', [{ field: 'file', message: '没有文件' }]);
      // the whole upload is read and checked before anything is stored: a broken part stores none of it
      const received: Array<{ name: string; mime: string; content: Buffer }> = [];
      try {
        for await (const part of request.files()) {
          const content = await part.toBuffer();
          const name = part.filename || '未命名文件';
          const mime = part.mimetype || 'application/octet-stream';
          if (name.includes('\u0000') || mime.includes('\u0000')) {
            throw new ValidationError('文件名或文件类型中含有空字符（U+0000），请重命名后再上传', [{ field: 'file', message: '文件名含有空字符' }]);
          }
          if (!content.length) throw new ValidationError(`文件“${name}”是空文件`, [{ field: 'file', message: '空文件' }]);
          received.push({ name, mime, content });
        }
      } catch (err) {
        throw uploadError(err);
      }
      if (!received.length) throw new ValidationError('没有收到文件', [{ field: 'file', message: '没有文件' }]);
      const stored = await storeFiles(app.db, received, request.actor.userId);
      reply.code(201);
      return stored;
    },
  });

  app.get('/api/files/:id', {
    schema: { tags: ['附件'], summary: '下载附件', params: z.object({ id: z.uuid({ error: '附件编号格式不正确' }) }) },
    handler: async (request, reply) => {
      const file = await files.withContent(request.params.id);
      if (!file) throw new NotFoundError('附件不存在');
      let allowed = file.uploadedBy === request.actor.userId || request.actor.roles.includes('process.monitor');
      if (!allowed && file.rootInstanceId) {
        const instance = await app.engine.repo.getInstance(file.rootInstanceId);
        allowed = Boolean(instance && (await canViewInstance(app.db, app.engine, request.actor, instance)));
      }
      // what other modules' records hold (a meeting's 评审材料, a confirmation's files, …)
      if (!allowed) allowed = await app.fileReaders.admits(request.actor, file);
      if (!allowed) {
        // a unit's licence may be read by whoever may read the unit: itself, the units above it,
        // and the unit asked to become its parent
        const units = await files.licensees(file.id);
        allowed = units.some((u) => inScope(request.actor, u, 'ownOrBelow') || (u.pendingParentId != null && u.pendingParentId === request.actor.unitId));
      }
      // someone else's file answers exactly as one that does not exist
      if (!allowed) throw new NotFoundError('附件不存在');
      reply.header('Content-Type', file.mime);
      reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      return reply.send(file.content);
    },
  });
};

export default filesRoutes;
