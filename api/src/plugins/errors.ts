import fp from 'fastify-plugin';
import { z } from 'zod';
import { titleAt } from '../../../forms/index.ts';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DeployError, EngineError, ExecutionError, ValidationError } from '../errors.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db.ts';

const STATUS: Record<string, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  VALIDATION: 400,
  DEPLOY_REFUSED: 400,
  UNAUTHORIZED: 401,
  EXECUTION_FAILED: 500,
};

const FIELD_NAMES: Record<string, string> = {
  username: '用户名',
  password: '密码',
  action: '办理动作',
  opinion: '审核意见',
  data: '表单数据',
  taskIds: '任务列表',
  processKey: '流程标识',
  businessKey: '业务编号',
  variables: '流程变量',
  xml: '流程图',
  range: '分页范围',
  sort: '排序',
  filter: '筛选条件',
  id: '编号',
  key: '流程标识',
  version: '版本号',
  status: '状态',
  idNumber: '身份证号码',
  displayName: '姓名',
  phone: '联系电话',
  roles: '角色',
  unitId: '单位',
  parentId: '上级单位',
  creditCode: '统一社会信用代码',
  name: '名称',
  reason: '原因',
  employerId: '工作单位',
  committeeId: '评委会',
  departmentUnitId: '主管部门',
  regionCode: '职称业务归属地',
  permissions: '权限',
  oldPassword: '原密码',
  newPassword: '新密码',
  captcha: '验证码',
};

export const DATABASE_UNAVAILABLE_MESSAGE = '数据库暂时不可用，请稍后重试';

const CONTEXT_NAMES: Record<string, string> = {
  body: '请求内容',
  querystring: '查询参数',
  params: '路径参数',
  headers: '请求头',
};

/** One error handler: typed errors → status codes with a Chinese `{ error, message, details? }`. */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((err: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const context = (err as { validationContext?: string }).validationContext ?? 'body';
        const details = err.validation.map((v) => {
          const parts = v.instancePath.split('/').filter(Boolean);
          const field = [context, ...parts].join('.');
          const last = parts.filter((p) => !/^\d+$/.test(p)).pop();
          // the schema's own field titles first (forms and API bodies share them), then common names
          const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context];
          const titled = schema instanceof z.ZodType ? titleAt(schema, parts) : null;
          const label = titled ?? (last ? (FIELD_NAMES[last] ?? last) : (CONTEXT_NAMES[context] ?? context));
          return { field, message: `${label}：${v.message}` };
        });
        return reply.code(400).send({
          error: 'ValidationError',
          message: `${CONTEXT_NAMES[context] ?? '请求'}有误：${details.map((d) => d.message).join('；')}`,
          details,
        });
      }
      if (isDatabaseUnavailable(err)) {
        // PostgreSQL restarting or unreachable: nothing was acknowledged, the client may retry
        request.log.warn({ err: { message: err.message, code: err.code } }, 'database unavailable');
        return reply
          .code(503)
          .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
          .send({ error: 'ServiceUnavailable', message: DATABASE_UNAVAILABLE_MESSAGE });
      }
      if (err instanceof DeployError) {
        return reply.code(400).send({ error: 'DeployError', message: err.message, details: err.problems });
      }
      if (err instanceof ValidationError) {
        return reply.code(400).send({ error: 'ValidationError', message: err.message, details: err.fields });
      }
      if (err instanceof ExecutionError) {
        request.log.error({ err }, 'process execution failed');
        const { elementId } = err as ExecutionError;
        return reply.code(500).send({ error: 'ExecutionError', message: err.message, details: { elementId: elementId ?? null } });
      }
      if (err instanceof EngineError) {
        const status = STATUS[err.code] ?? 500;
        const details = (err as EngineError).details;
        return reply.code(status).send({ error: err.name, message: err.message, ...(details !== undefined ? { details } : {}) });
      }
      if (err.statusCode === 429) {
        // @fastify/rate-limit has set Retry-After (seconds): a user is told how long to wait
        const wait = Number(reply.getHeader('retry-after'));
        const message = Number.isFinite(wait) && wait > 0 ? `操作过于频繁，请 ${Math.ceil(wait)} 秒后再试` : '操作过于频繁，请稍后再试';
        return reply.code(429).send({ error: 'TooManyRequests', message });
      }
      // a body that never parsed: the field at fault is the body itself
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
        return reply.code(400).send({ error: 'ValidationError', message: '请求内容必须是 JSON', details: [{ field: 'body', message: '请求内容必须是 JSON' }] });
      }
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        const message = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? '请求内容过大' : '请求格式不正确';
        return reply.code(err.statusCode).send({ error: 'BadRequest', message, ...(err.statusCode === 400 ? { details: [{ field: 'body', message }] } : {}) });
      }
      if (isResponseSerializationError(err)) {
        request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      } else {
        request.log.error({ err }, 'unhandled error');
      }
      return reply.code(500).send({ error: 'InternalServerError', message: `服务器内部错误，请联系管理员（请求编号 ${request.id}）` });
    });
    fastify.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ error: 'NotFound', message: `接口不存在：${request.method} ${request.url.split('?')[0]}` });
    });
  },
  { name: 'errors' },
);
