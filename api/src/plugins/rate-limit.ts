import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

/** Request limits, off unless a route asks (the login does, per account). */
export default fp(
  async (fastify) => {
    // preHandler: the login limit is keyed by the account name, which needs the parsed body
    await fastify.register(rateLimit, { global: false, hook: 'preHandler' });
  },
  { name: 'rate-limit' },
);
