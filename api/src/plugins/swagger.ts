import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** OpenAPI document at /api/docs/json and a browsable page at /api/docs. */
export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        info: {
          title: 'zcps 职称评审信息系统 API',
          description: '流程、待办、申报材料等接口。除 /api/health 与 /api/auth/login 外均需携带 Bearer 令牌。',
          version: '0.1.0',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        security: [{ bearerAuth: [] }],
      },
      transform: jsonSchemaTransform,
      // schemas registered with an id (`.meta({ id })`, e.g. ApiError) become components
      transformObject: jsonSchemaTransformObject,
    });
    await fastify.register(swaggerUi, { routePrefix: '/api/docs' });
  },
  // a route keeps the error handler in force when it is declared: the docs' routes come after it
  { name: 'swagger', dependencies: ['errors'] },
);
