import { z } from 'zod';
import { tokenScopeView } from '../../accounts/token-schemas.js';

/** A member's token acting in the owner's account, as the owner sees it (never its secret). */
export const actingTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: tokenScopeView
    .nullable()
    .describe("null: everything its holder can do (in this account too, while a member)"),
  holder: z.object({ memberId: z.string().nullable(), label: z.string().describe("The owner's alias for the member, else its name") }),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
});
