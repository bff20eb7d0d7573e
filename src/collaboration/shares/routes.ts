import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onMember, onShare, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, noContent, page } from '../../http/types.js';
import { accessPreviewSchema } from '../arrange/preview.js';
import { problems } from '../http.js';
import { scopeOf } from '../scope.js';
import { ownerPageQuery, ownerQuery, shareParams, shareSchema } from '../schemas.js';
import { arrangeQuery, arranging, createShareBody, updateShareBody } from './bodies.js';
import { createShare } from './create.js';
import { deleteShare } from './delete.js';
import { memberHolder } from './holder.js';
import { listShares } from './list.js';
import { updateShare } from './update.js';

const tags = ['Collaboration — owner side'];
const ownerOnly = z.strictObject(ownerQuery);
const access = 'activeAccount' as const;
// A member's shares: for the owner, or a manager on a member it may manage (never itself or another manager).
const onMemberShares = (action: string, manage = true) => ({ access, rule: rule(action, inAccount('manager'), onMember(undefined, manage)) });
const onOneShare = (action: string) => ({ access, rule: rule(action, inAccount('manager'), onMember(), onShare()) });
const target = (request: Parameters<typeof authorizedOf>[0]) => {
  const authorized = loaded(authorizedOf(request), 'account', 'member');
  return { scope: scopeOf(authorized), member: authorized.member };
};

/** A member's shares: roles on the whole account, a group or an environment. */
export function shareRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/members/:id/shares', {
    config: onMemberShares('share.list', false),
    schema: { tags, summary: "A member's shares", params: idParams, querystring: ownerPageQuery, response: { 200: page(shareSchema), ...problems } },
    handler: async (request) => {
      const { scope, member } = target(request);
      return listShares(ctx, scope, { collaborationId: member.collaboration.id }, request.query.limit, request.query.cursor);
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
      body: createShareBody,
      response: { 201: shareSchema, ...problems },
    },
    handler: async (request, reply) => {
      const { scope, member } = target(request);
      return reply.status(201).send(await createShare(ctx, scope, memberHolder(member), request.body));
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
      body: updateShareBody,
      response: { 200: z.union([shareSchema, accessPreviewSchema]), ...problems },
    },
    handler: async (request) => {
      const { scope, member } = target(request);
      return updateShare(ctx, scope, memberHolder(member), request.params.shareId, request.body, request.query.dryRun);
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
      const preview = await deleteShare(ctx, scope, memberHolder(member), request.params.shareId, request.query.dryRun);
      return preview ? reply.status(200).send(preview) : reply.status(204).send(null);
    },
  });
}
