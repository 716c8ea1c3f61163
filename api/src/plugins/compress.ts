import fp from 'fastify-plugin';
import zlib from 'node:zlib';
import compress from '@fastify/compress';

/**
 * Compresses answers the client accepts compressed (@fastify/compress): JSON lists, the
 * documentation's files. The console's own files are compressed once at build time and served
 * as they are (see scripts/build-console.ts), which this plugin leaves alone.
 */
export default fp(
  async (fastify) => {
    await fastify.register(compress, {
      global: true,
      threshold: 1024,
      encodings: ['br', 'gzip'],
      // fast levels: a request must not wait for the best ratio
      brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
      zlibOptions: { level: 6 },
    });
  },
  { name: 'compress' },
);
