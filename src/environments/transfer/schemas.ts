import { z } from 'zod';
import { emailSchema } from '../../accounts/schemas.js';
import { transferStatuses } from '../../db/schema/index.js';
import { pageQuery } from '../../http/types.js';

export const transferBody = z.strictObject({ email: emailSchema.describe("The recipient's account email") });

const party = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const transferSchema = z
  .object({
    id: z.string(),
    environment: z.object({ id: z.string(), name: z.string() }),
    from: party,
    to: party,
    /** `expired`: still pending when its 7 days ran out. */
    status: z.enum(transferStatuses),
    /** Whether the caller gives (`outgoing`) or receives (`incoming`) the environment. */
    direction: z.enum(['incoming', 'outgoing']),
    createdAt: z.string(),
    expiresAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .describe("A request to hand an environment to another account, confirmed by both sides");

export type TransferView = z.infer<typeof transferSchema>;

export const listTransfersQuery = z.strictObject({
  direction: z.enum(['incoming', 'outgoing']).optional().describe('Only incoming or only outgoing transfers'),
  status: z.enum(transferStatuses).optional(),
  environmentId: z.string().min(1).max(100).optional(),
  ...pageQuery,
});
