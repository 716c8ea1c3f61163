import { z } from 'zod';

/** A file as an upload answers it: its id, name, type, size and content hash. */
export const storedFile = z.object({ id: z.string(), name: z.string(), mime: z.string(), size: z.number(), sha256: z.string() });
