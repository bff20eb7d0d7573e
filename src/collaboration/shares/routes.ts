import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { callerOf } from '../../http/auth.js';
import { requestMeta } from '../../http/request-meta.js';
import { type App, idParams, instant, noContent, page } from '../../http/types.js';
import { problems } from '../http.js';
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

/** A member's shares: roles on the whole account, a group or an environment. */
export function shareRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/members/:id/shares', {
    config: { access: 'activeAccount' },
    schema: { tags, summary: "A member's shares", params: idParams, querystring: ownerPageQuery, response: { 200: page(shareSchema), ...problems } },
    handler: async (request) => {
      const { ownerId, limit, cursor } = request.query;
      return listShares(ctx, requestMeta(request), callerOf(request), ownerId, request.params.id, limit, cursor);
    },
  });

  app.post('/api/v1/collaboration/members/:id/shares', {
    config: { access: 'activeAccount' },
    schema: {
      tags,
      summary: 'Share the account, a group or an environment with a member, with roles and an optional expiry',
      description:
        'Only members who accepted (active or suspended) can hold shares; one share per member and resource. collaboration.manage counts only on an account share: on a group or environment it grants nothing.',
      params: idParams,
      querystring: ownerOnly,
      body: z.strictObject({ resource, roleIds, expiresAt: expiresAt.optional() }),
      response: { 201: shareSchema, ...problems },
    },
    handler: async (request, reply) => {
      const share = await createShare(ctx, requestMeta(request), callerOf(request), request.query.ownerId, request.params.id, request.body);
      return reply.status(201).send(share);
    },
  });

  app.patch('/api/v1/collaboration/members/:id/shares/:shareId', {
    config: { access: 'activeAccount' },
    schema: {
      tags,
      summary: "Change a share's roles or expiry (null: never expires)",
      params: shareParams,
      querystring: ownerOnly,
      body: z
        .strictObject({ roleIds: roleIds.optional(), expiresAt: expiresAt.optional() })
        .refine((body) => body.roleIds !== undefined || body.expiresAt !== undefined, 'send roleIds, expiresAt or both'),
      response: { 200: shareSchema, ...problems },
    },
    handler: async (request) =>
      updateShare(ctx, requestMeta(request), callerOf(request), request.query.ownerId, request.params.id, request.params.shareId, request.body),
  });

  app.delete('/api/v1/collaboration/members/:id/shares/:shareId', {
    config: { access: 'activeAccount' },
    schema: { tags, summary: 'Delete a share; what it granted ends at once', params: shareParams, querystring: ownerOnly, response: { 204: noContent, ...problems } },
    handler: async (request, reply) => {
      await deleteShare(ctx, requestMeta(request), callerOf(request), request.query.ownerId, request.params.id, request.params.shareId);
      return reply.status(204).send(null);
    },
  });
}
