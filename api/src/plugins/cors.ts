import fp from 'fastify-plugin';
import type { AppOptions } from '../app.ts';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Range';
// what the console's lists read (ra-data-simple-rest) and downloads name
const EXPOSED_HEADERS = 'Content-Range, Content-Disposition, Retry-After';

/**
 * Cross-origin calls, closed by default: a browser page of another origin gets no
 * Access-Control-Allow-Origin unless CORS_ORIGINS names that origin exactly. The console is
 * served from the API's own origin and needs none. Tokens travel in the Authorization header,
 * never in cookies, so credentials are not allowed across origins either.
 */
export default fp<Pick<AppOptions, 'config'>>(
  async (fastify, { config }) => {
    const allowed = new Set(config.CORS_ORIGINS);
    fastify.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin) return;
      reply.header('Vary', 'Origin');
      if (!allowed.has(origin)) return;
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
        reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS);
        reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        reply.header('Access-Control-Max-Age', '600');
        return reply.code(204).send();
      }
    });
  },
  { name: 'cors' },
);
