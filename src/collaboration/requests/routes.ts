import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { accessRequestStatuses, shareResourceTypes } from '../../db/schema/index.js';
import { loaded } from '../../http/authorize/authorized.js';
import { body, inAccount, onAccessRequest, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, page, pageQuery } from '../../http/types.js';
import { problems } from '../http.js';
import { ownerQuery, personSchema, roleRefSchema, shareResourceSchema } from '../schemas.js';
import { roleIdsInput, shareResourceInput } from '../shares/bodies.js';
import { approveRequest, cancelRequest, denyRequest } from './answer.js';
import { requestAccess } from './create.js';
import { listRequests } from './load.js';

const tags = ['Access requests'];
const access = 'activeAccount' as const;
const resource = shareResourceInput;
const roleIds = roleIdsInput;
const hours = z.number().int().min(1).max(720).describe('Hours of access, at most the account policy’s accessRequestMaxHours (8 unless the owner set it; never more than 720)');

const requestSchema = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    memberId: z.string().describe('The requester’s collaboration (member) id'),
    requester: personSchema,
    memberLabel: z.string().nullable().describe("The owner's alias for the requester (else its name), for the owner and managers; null for the requester"),
    resource: shareResourceSchema.extend({ type: z.enum(shareResourceTypes) }),
    roles: z.array(roleRefSchema),
    durationHours: z.number().int(),
    reason: z.string(),
    status: z.enum(accessRequestStatuses).describe('A pending request lapses 24 hours after it was made'),
    createdAt: z.string(),
    lapsesAt: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    comment: z.string().nullable(),
    grantedRoles: z.array(roleRefSchema).nullable(),
    grantedHours: z.number().int().nullable(),
    shareId: z.string().nullable().describe('The expiring share an approval created'),
    accessUntil: z.string().nullable().describe('When that share ends'),
  })
  .describe('A member’s request for roles on the account, a group or an environment, for a while');

const answering = (action: string) => ({ access, rule: rule(action, inAccount('manager'), onAccessRequest(true)) });
const ownOnly = z.strictObject(ownerQuery);

/** Access requests: members ask for temporary roles, the owner and managers approve (an expiring share) or deny. */
export function accessRequestRoutes(app: App, ctx: AppContext): void {
  app.post('/api/v1/access-requests', {
    config: { access, rule: rule('access_request.create', inAccount('member', body('ownerId'))) },
    schema: {
      tags,
      summary: 'Ask the owner for roles on the account, a group or an environment, for some hours, with a reason',
      description: `At most 3 pending requests per member and account (409 access_request_limit); longer than the owner's limit is 400 access_request_too_long; an unanswered request lapses after 24 hours. An approval gives an expiring share beside any share the member already has on that resource (it widens it for that time only).`,
      body: z.strictObject({ ownerId: z.string().min(1).max(100), resource, roleIds, durationHours: hours, reason: z.string().trim().min(1).max(500) }),
      response: { 201: requestSchema, ...problems },
    },
    handler: async (request, reply) => {
      const authorized = loaded(authorizedOf(request), 'account');
      const { ownerId: _ownerId, ...input } = request.body;
      return reply.status(201).send(await requestAccess(ctx, authorized, input));
    },
  });

  app.get('/api/v1/access-requests', {
    config: { access, rule: rule('access_request.list', inAccount('member')) },
    schema: {
      tags,
      summary: "The account's access requests, newest first: all of them for the owner and managers, a member's own otherwise",
      querystring: z.strictObject({ ...ownerQuery, status: z.enum(accessRequestStatuses).optional(), ...pageQuery }),
      response: { 200: page(requestSchema), ...problems },
    },
    handler: async (request) => {
      const { account } = loaded(authorizedOf(request), 'account');
      const answers = account.managed || account.owner.id === authorizedOf(request).caller.user.id;
      const filter = { ownerId: account.owner.id, status: request.query.status, collaborationId: answers ? undefined : account.snapshot.collaboration?.id };
      return listRequests(ctx.db, ctx.clock.now(), filter, { limit: request.query.limit, cursor: request.query.cursor }, answers);
    },
  });

  app.post('/api/v1/access-requests/:id/approve', {
    config: answering('access_request.approve'),
    schema: {
      tags,
      summary: 'Approve a pending request, possibly with fewer of its roles or fewer hours: creates an expiring share',
      description: 'Managers approve within what they hold on the whole account, for members they may manage, as when they share. 409 access_request_closed when it is no longer pending.',
      params: idParams,
      querystring: ownOnly,
      body: z.strictObject({ roleIds: roleIds.optional(), durationHours: hours.optional() }).optional(),
      response: { 200: requestSchema, ...problems },
    },
    handler: async (request) => approveRequest(ctx, loaded(authorizedOf(request), 'account', 'member', 'accessRequest'), request.body ?? {}),
  });

  app.post('/api/v1/access-requests/:id/deny', {
    config: answering('access_request.deny'),
    schema: {
      tags,
      summary: 'Deny a pending request, with a comment the requester reads',
      params: idParams,
      querystring: ownOnly,
      body: z.strictObject({ comment: z.string().trim().max(500).optional() }).optional(),
      response: { 200: requestSchema, ...problems },
    },
    handler: async (request) => denyRequest(ctx, loaded(authorizedOf(request), 'account', 'member', 'accessRequest'), request.body?.comment || null),
  });

  app.post('/api/v1/access-requests/:id/cancel', {
    config: { access, rule: rule('access_request.cancel', inAccount('member'), onAccessRequest(false)) },
    schema: { tags, summary: 'Withdraw your own pending request', params: idParams, querystring: ownOnly, response: { 200: requestSchema, ...problems } },
    handler: async (request) => cancelRequest(ctx, loaded(authorizedOf(request), 'account', 'member', 'accessRequest')),
  });
}
