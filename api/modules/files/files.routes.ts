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
import { ATTACHMENT_KINDS, kindsFor, opensInline, sniff, type FileKind } from './files.sniff.ts';

const uploadQuery = z.object({
  field: z
    .string({ error: 'field 必须是字段名' })
    .regex(/^[A-Za-z][\w.]{0,99}$/, { error: 'field 必须是字段名（字母开头，不超过 100 个字符）' })
    .optional()
    .describe('表单字段名：错误信息以它命名，同一字段重复提交同一文件只存一份'),
  accept: z
    .string({ error: 'accept 必须是扩展名列表' })
    .regex(/^\.[A-Za-z0-9]{1,8}(,\.[A-Za-z0-9]{1,8}){0,19}$/, { error: 'accept 必须是以逗号分隔的扩展名，如 .pdf,.jpg' })
    .optional()
    .describe('字段允许的扩展名（如 .pdf,.jpg,.png）：按文件内容判断，内容不符即拒绝'),
});

const ATTACHMENT_WORDS = 'PDF、图片（JPG/PNG/GIF/WebP/TIFF）、Office 文档、ZIP 压缩包或纯文本';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/**
 * What went wrong while reading an upload, for the uploader: a part too large or too many, and
 * whatever the multipart parser could not read (a body cut short, no boundary, a broken header).
 * Nothing but the request is read in that loop, so every failure there is the request's.
 */
function uploadError(err: unknown, field: string): ValidationError {
  if (err instanceof ValidationError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new ValidationError(`文件过大：单个文件不能超过 ${MAX_FILE_MB} MB`, [{ field, message: `不能超过 ${MAX_FILE_MB} MB` }]);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new ValidationError(`一次最多上传 ${MAX_FILES} 个文件`, [{ field, message: `最多 ${MAX_FILES} 个` }]);
  }
  return new ValidationError('上传内容不完整或格式不正确，请重新选择文件上传', [{ field, message: '上传内容无法读取' }]);
}

/** A file whose content is not a type the field takes: named by field, file and what it really is. */
function refused(field: string, name: string, label: string, kind: FileKind, accept: string[] | undefined): ValidationError {
  const wanted = accept?.length ? accept.join('、') : ATTACHMENT_WORDS;
  const why = ATTACHMENT_KINDS.has(kind) ? `本栏只能上传 ${wanted}` : `出于安全原因不能上传，只能上传 ${wanted}`;
  return new ValidationError(`文件“${name}”的内容是${label}（按文件内容识别，与文件名无关），${why}`, [{ field, message: `内容是${label}，不是允许的类型` }]);
}

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves but the grammar does not. */
const encodeRfc5987 = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** The plain `filename` for old clients: ASCII only, no quotes or separators. */
const asciiName = (name: string) => name.replace(/[^\x20-\x7e]|["\\;]/g, '_');

/** 附件: upload (several at once) and download, scoped to the uploader and the case the file belongs to. */
const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: MAX_FILES } });
  app.addHook('onRequest', app.authenticate);
  const files = createFilesRepository(app.db);

  app.post('/api/files', {
    schema: {
      tags: ['附件'],
      summary: `上传附件（multipart，可多个，单个不超过 ${MAX_FILE_MB} MB）：按内容识别类型，可执行程序、网页和无法识别的文件一律拒绝`,
      querystring: uploadQuery,
      response: { 201: z.array(storedFile), ...errors },
    },
    handler: async (request, reply) => {
      const field = request.query.field ?? 'file';
      const accept = request.query.accept?.split(',');
      const allowed = kindsFor(accept);
      if (!request.isMultipart()) throw new ValidationError('请以 multipart/form-data 上传文件', [{ field, message: '没有文件' }]);
      // the whole upload is read and checked before anything is stored: a broken part stores none of
      // it, and parts are read into memory (never a temporary file) so nothing is left behind
      const received: Array<{ name: string; mime: string; content: Buffer; field: string }> = [];
      try {
        for await (const part of request.files()) {
          const content = await part.toBuffer();
          const name = part.filename || '未命名文件';
          if (name.includes('\u0000') || (part.mimetype ?? '').includes('\u0000')) {
            throw new ValidationError('文件名或文件类型中含有空字符（U+0000），请重命名后再上传', [{ field, message: '文件名含有空字符' }]);
          }
          if (!content.length) throw new ValidationError(`文件“${name}”是空文件（0 字节），请重新选择`, [{ field, message: '空文件' }]);
          // the type is what the content is, whatever the name or the declared type say
          const found = sniff(content);
          if (!allowed.has(found.kind)) throw refused(field, name, found.label, found.kind, accept);
          received.push({ name, mime: found.mime, content, field });
        }
      } catch (err) {
        throw uploadError(err, field);
      }
      if (!received.length) throw new ValidationError('没有收到文件', [{ field, message: '没有文件' }]);
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
      // served as what the content is (files stored before the sniffer are sniffed here), never
      // guessed again by the browser; only images and PDF open in the page
      const mime = file.uploadKey ? file.mime : sniff(file.content).mime;
      reply.header('Content-Type', mime);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Content-Disposition', `${opensInline(mime) ? 'inline' : 'attachment'}; filename="${asciiName(file.name)}"; filename*=UTF-8''${encodeRfc5987(file.name)}`);
      return reply.send(file.content);
    },
  });
};

export default filesRoutes;
