import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { AppOptions } from '../app.ts';
import { CONSOLE_DIST } from '../../../scripts/build-console.ts';

/**
 * Serves the built console (admin-ui/dist) on the API's port; any GET outside /api that is not a
 * file gets index.html, so the console's own routes survive a reload.
 */
export default fp<Pick<AppOptions, 'consoleDir'>>(
  async (fastify, opts) => {
    const distDir = opts.consoleDir ?? CONSOLE_DIST;
    const index = path.join(distDir, 'index.html');
    if (!fs.existsSync(index)) {
      fastify.log.warn({ distDir }, 'console not built; serving the API only');
      fastify.get('/', async (_request, reply) =>
        reply.type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>职称评审信息系统</title><p>管理控制台尚未构建。请运行 <code>npm start</code>（会自动构建）或 <code>npx tsx scripts/build-console.ts</code>。接口文档见 <a href="/api/docs">/api/docs</a>。</p>'),
      );
      return;
    }
    // preCompressed: the .br/.gz files written at build time (scripts/build-console.ts)
    await fastify.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: false, maxAge: '1h', preCompressed: true });
    const html = fs.readFileSync(index);
    fastify.get('/*', { schema: { hide: true } }, async (request, reply) => {
      if (request.url.startsWith('/api/') || request.url === '/api') {
        return reply.code(404).send({ error: 'NotFound', message: `接口不存在：GET ${request.url.split('?')[0]}` });
      }
      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(html);
    });
  },
  // its routes answer with the error handler and stay out of the API document
  { name: 'console', dependencies: ['errors', 'swagger'] },
);
