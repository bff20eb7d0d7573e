import type { AppContext } from '../../context.js';
import { callerOf } from '../../http/auth.js';
import { problemSchema } from '../../http/errors.js';
import { requestMeta } from '../../http/request-meta.js';
import { type App, noContent, page } from '../../http/types.js';
import { environmentSchema } from '../schemas.js';
import { createGroup } from './create.js';
import { deleteGroup } from './delete.js';
import { listGroups } from './list.js';
import { setGroupMembership } from './membership.js';
import { createGroupBody, deleteGroupQuery, groupParams, groupSchema, listGroupsQuery, membershipParams, updateGroupBody } from './schemas.js';
import { updateGroup } from './update.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const tags = ['Groups'];
// Each use case loads the group or environment for the caller and decides env.groups there.
const config = { access: 'activeAccount' } as const;

/** Nested groups of environments, per owner, and environments' membership in them. */
export function groupRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/groups', {
    config,
    schema: {
      tags,
      summary: "An owner's groups the caller can see (its own by default; ?ownerId= for an account it collaborates with)",
      querystring: listGroupsQuery,
      response: { 200: page(groupSchema), ...errors },
    },
    handler: async (request) => listGroups(ctx, callerOf(request), request.query),
  });

  app.post('/api/v1/groups', {
    config,
    schema: {
      tags,
      summary: 'Create a group, at the top level or under parentId (env.groups there)',
      body: createGroupBody,
      response: { 201: groupSchema, ...errors },
    },
    handler: async (request, reply) => {
      const group = await createGroup(ctx, requestMeta(request), callerOf(request), request.body);
      return reply.status(201).send(group);
    },
  });

  app.patch('/api/v1/groups/:id', {
    config,
    schema: {
      tags,
      summary: 'Rename a group or move it under another parent (parentId null: the top level); no cycles',
      params: groupParams,
      body: updateGroupBody,
      response: { 200: groupSchema, ...errors },
    },
    handler: async (request) => updateGroup(ctx, requestMeta(request), callerOf(request), request.params.id, request.body),
  });

  app.delete('/api/v1/groups/:id', {
    config,
    schema: {
      tags,
      summary: 'Delete a group; its environments stay. A group with subgroups needs ?recursive=true',
      params: groupParams,
      querystring: deleteGroupQuery,
      response: { 204: noContent, ...errors },
    },
    handler: async (request, reply) => {
      await deleteGroup(ctx, requestMeta(request), callerOf(request), request.params.id, request.query.recursive);
      return reply.status(204).send(null);
    },
  });

  app.put('/api/v1/groups/:id/environments/:envId', {
    config,
    schema: {
      tags,
      summary: 'Put an environment into the group (env.groups); answers the environment',
      params: membershipParams,
      response: { 200: environmentSchema, ...errors },
    },
    handler: async (request) => setGroupMembership(ctx, requestMeta(request), callerOf(request), request.params.id, request.params.envId, true),
  });

  app.delete('/api/v1/groups/:id/environments/:envId', {
    config,
    schema: {
      tags,
      summary: 'Take an environment out of the group (env.groups); answers the environment',
      params: membershipParams,
      response: { 200: environmentSchema, ...errors },
    },
    handler: async (request) => setGroupMembership(ctx, requestMeta(request), callerOf(request), request.params.id, request.params.envId, false),
  });
}
