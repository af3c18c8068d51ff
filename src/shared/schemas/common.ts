import { z } from "zod";

/** limit/offset pagination shared by every list endpoint. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    /** true when `total` stopped counting at a cap: there are at least that many */
    totalCapped: z.boolean().optional(),
  });
}

export const errorBody = z.object({
  error: z.object({
    id: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

/** Ids are bigints in the database and strings on the wire. */
export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, "id must be a number") });
