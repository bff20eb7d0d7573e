import { z } from 'zod';
import { dryRunQuery, instant } from '../../http/types.js';
import { ownerQuery } from '../schemas.js';

// What a share is made and changed with, for a member's shares and a team's alike.
const resourceId = z.string().min(1).max(100);
const resource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('account') }),
  z.strictObject({ type: z.literal('group'), id: resourceId }),
  z.strictObject({ type: z.literal('environment'), id: resourceId }),
]);
const roleIds = z.array(z.string().min(1).max(100)).min(1, 'must name at least one role').max(20);
const expiresAt = instant.nullable();
const reviewBy = instant.nullable().describe('When the owner wants to look at this share again (null: no date); mailed 3 days before');

export const createShareBody = z.strictObject({ resource, roleIds, expiresAt: expiresAt.optional(), reviewBy: reviewBy.optional() });
export const updateShareBody = z
  .strictObject({ roleIds: roleIds.optional(), expiresAt: expiresAt.optional(), reviewBy: reviewBy.optional() })
  .refine((body) => body.roleIds !== undefined || body.expiresAt !== undefined || body.reviewBy !== undefined, 'send roleIds, expiresAt, reviewBy or some of them');
export const arrangeQuery = z.strictObject({ ...ownerQuery, ...dryRunQuery });
export const arranging =
  'For anyone but the owner, 403 would_widen_access when the member would gain a permission (a narrower share ending lets a broader one show through); ?dryRun=true answers the access changes and changes nothing.';
