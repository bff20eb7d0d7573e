import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onMember, onShare, onTeam, param, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, noContent, page, pageQuery } from '../../http/types.js';
import { accessPreviewSchema } from '../arrange/preview.js';
import { problems } from '../http.js';
import { ownerQuery, shareSchema } from '../schemas.js';
import { scopeOf } from '../scope.js';
import { arrangeQuery, createShareBody, updateShareBody } from '../shares/bodies.js';
import { createShare } from '../shares/create.js';
import { deleteShare } from '../shares/delete.js';
import { teamHolder } from '../shares/holder.js';
import { listShares } from '../shares/list.js';
import { updateShare } from '../shares/update.js';
import { listTeams, presentTeam } from './load.js';
import { addTeamMember, removeTeamMember } from './membership.js';
import { createTeam, deleteTeam, updateTeam } from './write.js';

const tags = ['Collaboration — teams'];
const access = 'activeAccount' as const;
// Teams are the owner's: one change to a team moves many members' access, so managers (who manage members one by
// one, within their own limits) get 403 here.
const onAccount = (action: string) => ({ access, rule: rule(action, inAccount('owner')) });
const onOneTeam = (action: string) => ({ access, rule: rule(action, inAccount('owner'), onTeam()) });
const onTeamMember = (action: string) => ({ access, rule: rule(action, inAccount('owner'), onTeam(), onMember(param('memberId'), false)) });
const onTeamShare = (action: string) => ({ access, rule: rule(action, inAccount('owner'), onTeam(), onShare()) });
const ownerOnly = z.strictObject(ownerQuery);
const name = z.string().trim().min(1).max(100);
const externalId = z.string().trim().min(1).max(200).nullable().describe('An id of the matching group in a directory, for a later mapping; unique in the account');

export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    externalId: z.string().nullable(),
    members: z.array(
      z.object({
        memberId: z.string(),
        email: z.string(),
        displayName: z.string().nullable(),
        status: z.string(),
        user: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe("A team of the owner's members: its shares count for each member as the member's own");

const teamParams = z.strictObject({ id: z.string().min(1).max(100) });
const teamMemberParams = z.strictObject({ id: z.string().min(1).max(100), memberId: z.string().min(1).max(100) });
const teamShareParams = z.strictObject({ id: z.string().min(1).max(100), shareId: z.string().min(1).max(100) });

const scopeAndTeam = (request: Parameters<typeof authorizedOf>[0]) => {
  const authorized = loaded(authorizedOf(request), 'account', 'team');
  return { scope: scopeOf(authorized), team: authorized.team };
};

/** Teams of members, their membership and their shares (issue 13). */
export function teamRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/teams', {
    config: onAccount('team.list'),
    schema: { tags, summary: "The account's teams, with their members", querystring: z.strictObject({ ...ownerQuery, ...pageQuery }), response: { 200: page(teamSchema), ...problems } },
    handler: async (request) => {
      const { owner } = loaded(authorizedOf(request), 'account').account;
      return listTeams(ctx.db, owner.id, request.query.limit, request.query.cursor);
    },
  });

  app.post('/api/v1/collaboration/teams', {
    config: onAccount('team.create'),
    schema: {
      tags,
      summary: 'Create a team',
      description: 'Names are unique in the account (409 team_name_taken), and so are external ids (409 team_external_id_taken).',
      querystring: ownerOnly,
      body: z.strictObject({ name, externalId: externalId.optional() }),
      response: { 201: teamSchema, ...problems },
    },
    handler: async (request, reply) => {
      const scope = scopeOf(loaded(authorizedOf(request), 'account'));
      return reply.status(201).send(await createTeam(ctx, scope, request.body));
    },
  });

  app.get('/api/v1/collaboration/teams/:id', {
    config: onOneTeam('team.view'),
    schema: { tags, summary: 'A team with its members', params: teamParams, querystring: ownerOnly, response: { 200: teamSchema, ...problems } },
    handler: async (request) => presentTeam(ctx.db, scopeAndTeam(request).team),
  });

  app.patch('/api/v1/collaboration/teams/:id', {
    config: onOneTeam('team.update'),
    schema: {
      tags,
      summary: "Rename a team or change its external id (null: none)",
      params: teamParams,
      querystring: ownerOnly,
      body: z.strictObject({ name: name.optional(), externalId: externalId.optional() }).refine((body) => body.name !== undefined || body.externalId !== undefined, 'send name, externalId or both'),
      response: { 200: teamSchema, ...problems },
    },
    handler: async (request) => {
      const { scope, team } = scopeAndTeam(request);
      return updateTeam(ctx, scope, team.id, request.body);
    },
  });

  app.delete('/api/v1/collaboration/teams/:id', {
    config: onOneTeam('team.delete'),
    schema: {
      tags,
      summary: "Delete a team: its shares end at once and its members are told; the members stay",
      params: teamParams,
      querystring: ownerOnly,
      response: { 204: noContent, ...problems },
    },
    handler: async (request, reply) => {
      const { scope, team } = scopeAndTeam(request);
      await deleteTeam(ctx, scope, team.id);
      return reply.status(204).send(null);
    },
  });

  app.put('/api/v1/collaboration/teams/:id/members/:memberId', {
    config: onTeamMember('team.member_add'),
    schema: {
      tags,
      summary: "Put an active member in a team; the team's shares count for it from its next request",
      description: 'Only active members join (409 invalid_state otherwise); putting a member in twice changes nothing.',
      params: teamMemberParams,
      querystring: ownerOnly,
      response: { 200: teamSchema, ...problems },
    },
    handler: async (request) => {
      const authorized = loaded(authorizedOf(request), 'account', 'team', 'member');
      return addTeamMember(ctx, scopeOf(authorized), authorized.team, authorized.member);
    },
  });

  app.delete('/api/v1/collaboration/teams/:id/members/:memberId', {
    config: onTeamMember('team.member_remove'),
    schema: {
      tags,
      summary: "Take a member out of a team; what the team's shares gave it ends at its next request",
      params: teamMemberParams,
      querystring: ownerOnly,
      response: { 204: noContent, ...problems },
    },
    handler: async (request, reply) => {
      const authorized = loaded(authorizedOf(request), 'account', 'team', 'member');
      await removeTeamMember(ctx, scopeOf(authorized), authorized.team, authorized.member);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/collaboration/teams/:id/shares', {
    config: onOneTeam('share.list'),
    schema: { tags, summary: "A team's shares", params: idParams, querystring: z.strictObject({ ...ownerQuery, ...pageQuery }), response: { 200: page(shareSchema), ...problems } },
    handler: async (request) => {
      const { scope, team } = scopeAndTeam(request);
      return listShares(ctx, scope, { teamId: team.id }, request.query.limit, request.query.cursor);
    },
  });

  app.post('/api/v1/collaboration/teams/:id/shares', {
    config: onOneTeam('share.create'),
    schema: {
      tags,
      summary: 'Share the account, a group or an environment with a team, as with a member',
      description:
        "One share per team and resource. At each level of the decision a member's own shares and its teams' count together. A team never holds collaboration.manage (400 team_share_cannot_manage): managers are named one by one.",
      params: idParams,
      querystring: ownerOnly,
      body: createShareBody,
      response: { 201: shareSchema, ...problems },
    },
    handler: async (request, reply) => {
      const { scope, team } = scopeAndTeam(request);
      return reply.status(201).send(await createShare(ctx, scope, teamHolder(team), request.body));
    },
  });

  app.patch('/api/v1/collaboration/teams/:id/shares/:shareId', {
    config: onTeamShare('share.update'),
    schema: {
      tags,
      summary: "Change a team share's roles, expiry (null: never expires) or review date",
      description: '?dryRun=true answers the access changes of every member of the team and changes nothing.',
      params: teamShareParams,
      querystring: arrangeQuery,
      body: updateShareBody,
      response: { 200: z.union([shareSchema, accessPreviewSchema]), ...problems },
    },
    handler: async (request) => {
      const { scope, team } = scopeAndTeam(request);
      return updateShare(ctx, scope, teamHolder(team), request.params.shareId, request.body, request.query.dryRun);
    },
  });

  app.delete('/api/v1/collaboration/teams/:id/shares/:shareId', {
    config: onTeamShare('share.delete'),
    schema: {
      tags,
      summary: "Delete a team share; what it gave the team's members ends at once",
      description: '?dryRun=true answers the access changes and changes nothing.',
      params: teamShareParams,
      querystring: arrangeQuery,
      response: { 200: accessPreviewSchema, 204: noContent, ...problems },
    },
    handler: async (request, reply) => {
      const { scope, team } = scopeAndTeam(request);
      const preview = await deleteShare(ctx, scope, teamHolder(team), request.params.shareId, request.query.dryRun);
      return preview ? reply.status(200).send(preview) : reply.status(204).send(null);
    },
  });
}
