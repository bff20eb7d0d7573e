import { z } from 'zod';
import { emailSchema } from '../../accounts/schemas.js';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onMember, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, noContent, page } from '../../http/types.js';
import { problems } from '../http.js';
import { scopeOf } from '../scope.js';
import { inviteMember, resendInvitation } from '../invitations/invite.js';
import { memberSchema, ownerPageQuery, ownerQuery } from '../schemas.js';
import { activateMember, renameMember, suspendMember } from './change.js';
import { getMember, listMembers } from './list.js';
import { removeMember } from './remove.js';

const tags = ['Collaboration — owner side'];
const ownerOnly = z.strictObject(ownerQuery);
const access = 'activeAccount' as const;
// Owner-side routes act in the owner's account: the owner's own, or (`?ownerId=`) one the caller manages.
const manager = (action: string) => ({ access, rule: rule(action, inAccount('manager')) });
// On one member: one the caller may manage (never itself or another manager), or only read it.
const onOne = (action: string, manage = true) => ({ access, rule: rule(action, inAccount('manager'), onMember(undefined, manage)) });
const scope = (request: Parameters<typeof authorizedOf>[0]) => scopeOf(loaded(authorizedOf(request), 'account'));
const member = (request: Parameters<typeof authorizedOf>[0]) => loaded(authorizedOf(request), 'account', 'member').member;
// The owner's private nickname for a member; blank clears it.
const aliasSchema = z
  .string()
  .trim()
  .max(100, 'must have at most 100 characters')
  .transform((value) => (value === '' ? null : value));

/** The owner's members: invite, list, alias, resend, suspend, activate, remove. Managers pass `?ownerId=`. */
export function memberRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/members', {
    config: manager('collaboration.list'),
    schema: { tags, summary: "The owner's members, every status, newest invitation first", querystring: ownerPageQuery, response: { 200: page(memberSchema), ...problems } },
    handler: async (request) => {
      const { limit, cursor } = request.query;
      return listMembers(ctx, scope(request), limit, cursor);
    },
  });

  app.post('/api/v1/collaboration/members', {
    config: manager('collaboration.invite'),
    schema: {
      tags,
      summary: 'Invite an email: a pending member, and a mail with a single-use link',
      querystring: ownerOnly,
      body: z.strictObject({ email: emailSchema, displayName: aliasSchema.nullable().optional() }),
      response: { 201: memberSchema, ...problems },
    },
    handler: async (request, reply) => {
      return reply.status(201).send(await inviteMember(ctx, scope(request), request.body));
    },
  });

  app.get('/api/v1/collaboration/members/:id', {
    config: onOne('collaboration.read', false),
    schema: { tags, summary: 'One member', params: idParams, querystring: ownerOnly, response: { 200: memberSchema, ...problems } },
    handler: async (request) => getMember(ctx, scope(request), member(request)),
  });

  app.patch('/api/v1/collaboration/members/:id', {
    config: onOne('collaboration.update'),
    schema: {
      tags,
      summary: "Set the owner's private alias for a member (null or blank clears it)",
      params: idParams,
      querystring: ownerOnly,
      body: z.strictObject({ displayName: aliasSchema.nullable() }),
      response: { 200: memberSchema, ...problems },
    },
    handler: async (request) => renameMember(ctx, scope(request), member(request), request.body.displayName),
  });

  const actions = [
    ['resend', 'Send a pending invitation again: new link, new expiry; the old link dies', resendInvitation],
    ['suspend', 'Suspend an active member: access ends at once, shares are kept', suspendMember],
    ['activate', 'Re-activate a suspended member', activateMember],
  ] as const;
  for (const [action, summary, run] of actions) {
    app.post(`/api/v1/collaboration/members/:id/${action}`, {
      config: onOne(`collaboration.${action}`),
      schema: { tags, summary, params: idParams, querystring: ownerOnly, response: { 200: memberSchema, ...problems } },
      handler: async (request) => run(ctx, scope(request), member(request)),
    });
  }

  app.delete('/api/v1/collaboration/members/:id', {
    config: onOne('collaboration.remove'),
    schema: {
      tags,
      summary: 'Remove (unlink) a member: the collaboration and all its shares are deleted; a pending link dies',
      params: idParams,
      querystring: ownerOnly,
      response: { 204: noContent, ...problems },
    },
    handler: async (request, reply) => {
      await removeMember(ctx, scope(request), member(request));
      return reply.status(204).send(null);
    },
  });
}
