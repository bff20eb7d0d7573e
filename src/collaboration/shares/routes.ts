import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onMember, onShare, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, dryRunQuery, idParams, instant, noContent, page } from '../../http/types.js';
import { accessPreviewSchema } from '../arrange/preview.js';
import { problems } from '../http.js';
import { scopeOf } from '../scope.js';
import { ownerPageQuery, ownerQuery, shareParams, shareSchema } from '../schemas.js';
import { createShare } from './create.js';
import { deleteShare } from './delete.js';
import { listShares } from './list.js';
import { updateShare } from './update.js';

const tags = ['Collaboration — owner side'];
const ownerOnly = z.strictObject(ownerQuery);
const resourceId = z.string().min(1).max(100);
const resource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('account') }),
  z.strictObject({ type: z.literal('group'), id: resourceId }),
  z.strictObject({ type: z.literal('environment'), id: resourceId }),
]);
const roleIds = z.array(z.string().min(1).max(100)).min(1, 'must name at least one role').max(20);
const expiresAt = instant.nullable();
const reviewBy = instant.nullable().describe('When the owner wants to look at this share again (null: no date); mailed 3 days before');
const arrangeQuery = z.strictObject({ ...ownerQuery, ...dryRunQuery });
const access = 'activeAccount' as const;
// A member's shares: for the owner, or a manager on a member it may manage (never itself or another manager).
const onMemberShares = (action: string, manage = true) => ({ access, rule: rule(action, inAccount('manager'), onMember(undefined, manage)) });
const onOneShare = (action: string) => ({ access, rule: rule(action, inAccount('manager'), onMember(), onShare()) });
const target = (request: Parameters<typeof authorizedOf>[0]) => {
  const authorized = loaded(authorizedOf(request), 'account', 'member');
  return { scope: scopeOf(authorized), member: authorized.member };
};
const arranging =
  'For anyone but the owner, 403 would_widen_access when the member would gain a permission (a narrower share ending lets a broader one show through); ?dryRun=true answers the access changes and changes nothing.';

/** A member's shares: roles on the whole account, a group or an environment. */
export function shareRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/members/:id/shares', {
    config: onMemberShares('share.list', false),
    schema: { tags, summary: "A member's shares", params: idParams, querystring: ownerPageQuery, response: { 200: page(shareSchema), ...problems } },
    handler: async (request) => {
      const { scope, member } = target(request);
      return listShares(ctx, scope, member, request.query.limit, request.query.cursor);
    },
  });

  app.post('/api/v1/collaboration/members/:id/shares', {
    config: onMemberShares('share.create'),
    schema: {
      tags,
      summary: 'Share the account, a group or an environment with a member, with roles and an optional expiry',
      description:
        'Only members who accepted (active or suspended) can hold shares; one share per member and resource. collaboration.manage counts only on an account share: on a group or environment it grants nothing.',
      params: idParams,
      querystring: ownerOnly,
      body: z.strictObject({ resource, roleIds, expiresAt: expiresAt.optional(), reviewBy: reviewBy.optional() }),
      response: { 201: shareSchema, ...problems },
    },
    handler: async (request, reply) => {
      const { scope, member } = target(request);
      return reply.status(201).send(await createShare(ctx, scope, member, request.body));
    },
  });

  app.patch('/api/v1/collaboration/members/:id/shares/:shareId', {
    config: onOneShare('share.update'),
    schema: {
      tags,
      summary: "Change a share's roles, expiry (null: never expires) or review date",
      description: `Narrowing a share (fewer permissions, an earlier end) is an arrangement: ${arranging}`,
      params: shareParams,
      querystring: arrangeQuery,
      body: z
        .strictObject({ roleIds: roleIds.optional(), expiresAt: expiresAt.optional(), reviewBy: reviewBy.optional() })
        .refine((body) => body.roleIds !== undefined || body.expiresAt !== undefined || body.reviewBy !== undefined, 'send roleIds, expiresAt, reviewBy or some of them'),
      response: { 200: z.union([shareSchema, accessPreviewSchema]), ...problems },
    },
    handler: async (request) => {
      const { scope, member } = target(request);
      return updateShare(ctx, scope, member, request.params.shareId, request.body, request.query.dryRun);
    },
  });

  app.delete('/api/v1/collaboration/members/:id/shares/:shareId', {
    config: onOneShare('share.delete'),
    schema: {
      tags,
      summary: 'Delete a share; what it granted ends at once',
      description: arranging,
      params: shareParams,
      querystring: arrangeQuery,
      response: { 200: accessPreviewSchema, 204: noContent, ...problems },
    },
    handler: async (request, reply) => {
      const { scope, member } = target(request);
      const preview = await deleteShare(ctx, scope, member, request.params.shareId, request.query.dryRun);
      return preview ? reply.status(200).send(preview) : reply.status(204).send(null);
    },
  });
}
