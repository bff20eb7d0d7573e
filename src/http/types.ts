import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The Fastify instance routes are written against: zod schemas give typed params, bodies and replies. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Path parameter `:id`. */
export const idParams = z.strictObject({ id: z.string().min(1).max(100) });

/** `?limit=&cursor=` of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

/** An empty answer (204). */
export const noContent = z.null().describe('No content');

/** A list answer: items and the cursor of the next page (null on the last). */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** `?dryRun=true` on a change that can move access: preview who gains and loses what, change nothing. */
export const dryRunQuery = {
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('true: answer 200 with the access changes it would make (accessChanges), and change nothing'),
};
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An ISO-8601 time with an offset, between 1970 and 9999: the database refuses year 0, and earlier times mean nothing here. */
export const instant = z.iso
  .datetime({ offset: true })
  .refine((value) => {
    const at = Date.parse(value);
    // Not a time at all is the format check's to say; this one judges only real times.
    return Number.isNaN(at) || (at >= EARLIEST && at <= LATEST);
  }, 'must be a time between 1970 and 9999');
