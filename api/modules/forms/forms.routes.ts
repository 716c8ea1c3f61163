import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { formJsonSchema, formKeys, getForm } from '../../../forms/index.ts';
import { PUBLISHED_LABELS } from '../../../forms/labels.ts';
import { NotFoundError } from '../../src/errors.ts';
import { errorResponses } from '../../src/schemas.ts';

const errors = errorResponses;

const labelMap = z.record(z.string(), z.string());
const labelsSchema = z.object(Object.fromEntries(Object.keys(PUBLISHED_LABELS).map((k) => [k, labelMap])) as Record<keyof typeof PUBLISHED_LABELS, typeof labelMap>);

/**
 * Form definitions as JSON Schema for the console, and the domain labels of forms/. A single form
 * and the labels are public (the registration pages render before login; they hold no data); the
 * list is for logged-in users.
 */
const formsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/forms', {
    onRequest: app.authenticate,
    schema: {
      tags: ['流程定义'],
      summary: '全部表单（键、标题、可用的办理动作）',
      response: { 200: z.array(z.object({ id: z.string(), title: z.string(), actions: z.record(z.string(), z.string()) })), ...errors },
    },
    handler: async (_request, reply) => {
      const list = [...formKeys()].sort().map((key) => {
        const form = getForm(key);
        return { id: key, title: form?.title ?? key, actions: form?.actionLabels ?? {} };
      });
      reply.header('Content-Range', `forms 0-${Math.max(0, list.length - 1)}/${list.length}`);
      return list;
    },
  });

  app.get('/api/labels', {
    schema: {
      tags: ['流程定义'],
      summary: '界面用的中文名称（办理动作、业绩成果标题、单位类型与性质、各类状态）',
      security: [],
      response: { 200: labelsSchema, ...errors },
    },
    handler: async () => PUBLISHED_LABELS,
  });

  app.get('/api/forms/:key', {
    schema: {
      tags: ['流程定义'],
      summary: '表单定义（JSON Schema，含中文标签、控件、选项、必填项与说明）',
      security: [],
      params: z.object({ key: z.string().min(1) }),
      response: { 200: z.record(z.string(), z.unknown()), ...errors },
    },
    handler: async (request) => {
      const form = getForm(request.params.key);
      if (!form) throw new NotFoundError(`表单“${request.params.key}”不存在`);
      return formJsonSchema(form);
    },
  });
};

export default formsRoutes;
