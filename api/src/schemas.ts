import { z } from 'zod';

/** The body of every error answer: `{ error, message, details? }`, the message in Chinese. */
export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  })
  // one named component in the OpenAPI document instead of a copy under every route's 4xx
  .meta({ id: 'ApiError' });

/** Error answers a route may give, for its response schema. */
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
