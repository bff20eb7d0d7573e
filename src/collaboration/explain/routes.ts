import { z } from 'zod';
import { permissions } from '../../access/catalog.js';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onEnvironment, query, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, page, pageQuery } from '../../http/types.js';
import { problems } from '../http.js';
import { accessLevelSchema, blockReasonSchema, collaborationStatusSchema, ownerQuery, roleRefSchema } from '../schemas.js';
import { explainToken } from '../tokens/explain.js';
import { explainAccess } from './explain.js';
import { fieldError } from '../../http/errors.js';
import { listEnvironmentAccess } from './who.js';

const tags = ['Collaboration — owner side'];
const permissionEnum = z.enum(permissions as [string, ...string[]]);

const accessItem = z.object({
  memberId: z.string(),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  displayName: z.string().nullable(),
  status: collaborationStatusSchema,
  level: accessLevelSchema,
  roles: z.array(roleRefSchema),
  permissions: z.array(z.string()),
  blockedBy: blockReasonSchema,
});

const explanation = z.object({
  allowed: z.boolean(),
  permission: z.string().optional(),
  level: accessLevelSchema,
  permissions: z.array(z.string()),
  via: z.array(
    z.object({
      shareId: z.string(),
      resource: z.object({ type: z.string(), id: z.string().optional() }),
      roles: z.array(roleRefSchema),
      team: z.object({ id: z.string(), name: z.string() }).nullable().describe('The team whose share this is (null: the member\'s own share)'),
    }),
  ),
  blockedBy: blockReasonSchema.optional(),
  token: z
    .object({ id: z.string(), name: z.string(), holder: z.object({ memberId: z.string().nullable(), label: z.string() }) })
    .optional()
    .describe('With tokenId: the token explained'),
  holderPermissions: z.array(z.string()).optional().describe("With tokenId: what the token's holder itself may do there"),
  decidedBy: z.enum(['scope', 'holder']).optional().describe("With tokenId: which limit decided: the token's own (`scope`: its scope, or a lifetime over the owner's cap, blockedBy token_lifetime_exceeded) or its holder's access"),
});

/** Who can reach an environment, and why one member can or cannot: owner or collaboration.manage only. */
export function accessRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/environments/:id/access', {
    // collaboration.manage is an account-level permission: the rule decides it there, for an environment the caller sees.
    config: { access: 'activeAccount', rule: rule('environment.access', onEnvironment('collaboration.manage')) },
    schema: {
      tags,
      summary: "The members of the environment's owner and their effective access to it, a page at a time",
      description: 'Active and suspended members, newest invitation first (as the members list), each with the level, roles and permissions that decide their access.',
      params: idParams,
      querystring: z.strictObject(pageQuery),
      response: {
        200: page(accessItem).extend({ environment: z.object({ id: z.string(), name: z.string(), displayName: z.string(), ownerId: z.string() }) }),
        ...problems,
      },
    },
    handler: async (request) => listEnvironmentAccess(ctx, loaded(authorizedOf(request), 'environment'), request.query.limit, request.query.cursor),
  });

  app.get('/api/v1/access/explain', {
    config: {
      access: 'activeAccount',
      rule: rule('access.explain', { kind: 'environment', id: query('environmentId'), permission: 'collaboration.manage', optional: true }, inAccount('manager')),
    },
    schema: {
      tags,
      summary: "Why a member (or a member's token) can or cannot reach an environment (or the account): level, shares, roles, or what blocks it",
      description: 'Pass `memberId`, or `tokenId` for a token acting in the account: then the answer also says which limit decided (`decidedBy`: `scope` or `holder`).',
      querystring: z.strictObject({
        memberId: z.string().min(1).max(100).optional(),
        tokenId: z.string().min(1).max(100).optional(),
        environmentId: z.string().min(1).max(100).optional(),
        permission: permissionEnum.optional().describe('Answer `allowed` for this permission; without it, whether the member sees the target'),
        ...ownerQuery,
      }),
      response: { 200: explanation, ...problems },
    },
    handler: async (request) => {
      const known = permissions.find((p) => p === request.query.permission);
      const { memberId, tokenId } = request.query;
      if ((memberId === undefined) === (tokenId === undefined)) throw fieldError('memberId', 'pass memberId or tokenId, one of them');
      const authorized = loaded(authorizedOf(request), 'account');
      if (tokenId !== undefined) return explainToken(ctx, authorized, { tokenId, permission: known });
      return explainAccess(ctx, authorized, { memberId: memberId ?? '', permission: known });
    },
  });
}
