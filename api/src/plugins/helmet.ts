import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/**
 * Security headers on every answer (@fastify/helmet), with a Content-Security-Policy the console
 * satisfies: its scripts come from its own origin only; MUI (emotion) and bpmn-js inject style
 * elements, hence 'unsafe-inline' for styles alone; the captcha arrives as a data: image, and
 * downloads and attachments open as blob: URLs.
 */
export default fp(
  async (fastify) => {
    await fastify.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          // blob: for the attachments the console has fetched and opens in the page
          connectSrc: ["'self'", 'blob:'],
          frameSrc: ["'self'", 'blob:'],
          objectSrc: ["'self'", 'blob:'],
          workerSrc: ["'self'", 'blob:'],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
        },
      },
      // the API is reached over plain HTTP inside government networks too: no forced upgrade,
      // and HSTS only means something where TLS ends at this server
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    });
  },
  // before any route, so that every answer (API, console, documentation) carries the headers
  { name: 'helmet' },
);
