import { z } from 'zod';
import { accessPreviewSchema } from '../../collaboration/arrange/preview.js';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { atDestination, body, inAccount, onEnvironment, onGroup, param, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { problemSchema } from '../../http/errors.js';
import { type App, noContent, page } from '../../http/types.js';
import { environmentSchema } from '../schemas.js';
import { createGroup } from './create.js';
import { deleteGroup } from './delete.js';
import { listGroups } from './list.js';
import { setGroupMembership } from './membership.js';
import {
  arrangeQuery,
  createGroupBody,
  deleteGroupQuery,
  groupParams,
  groupSchema,
  listGroupsQuery,
  membershipParams,
  updateGroupBody,
} from './schemas.js';
import { updateGroup } from './update.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const tags = ['Groups'];
const access = 'activeAccount' as const;
const arranging =
  'An arrangement (DESIGN.md section 6b): for anyone but the owner it is 403 would_widen_access when it would give any member a permission it did not hold (a suspended member, or one whose trial ended, as it will stand once woken); ?dryRun=true answers the access changes and changes nothing.';

/** Nested groups of environments, per owner, and environments' membership in them. */
export function groupRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/groups', {
    config: { access, rule: rule('group.list', inAccount('member')) },
    schema: {
      tags,
      summary: "An owner's groups the caller can see (its own by default; ?ownerId= for an account it collaborates with)",
      querystring: listGroupsQuery,
      response: { 200: page(groupSchema), ...errors },
    },
    handler: async (request) => listGroups(ctx, loaded(authorizedOf(request), 'account'), request.query),
  });

  app.post('/api/v1/groups', {
    config: { access, rule: rule('group.create', inAccount('member', body('ownerId')), atDestination('env.groups', body('parentId'))) },
    schema: {
      tags,
      summary: 'Create a group, at the top level or under parentId (env.groups there)',
      body: createGroupBody,
      response: { 201: groupSchema, ...errors },
    },
    handler: async (request, reply) => {
      const group = await createGroup(ctx, authorizedOf(request), request.body);
      return reply.status(201).send(group);
    },
  });

  app.patch('/api/v1/groups/:id', {
    config: { access, rule: rule('group.update', onGroup('env.groups')) },
    schema: {
      tags,
      summary: 'Rename a group or move it under another parent (parentId null: the top level); no cycles',
      description: `Moving needs env.groups on the group and on the new parent. ${arranging}`,
      params: groupParams,
      querystring: arrangeQuery,
      body: updateGroupBody,
      response: { 200: z.union([groupSchema, accessPreviewSchema]), ...errors },
    },
    handler: async (request) => updateGroup(ctx, loaded(authorizedOf(request), 'group'), request.body, request.query.dryRun),
  });

  app.delete('/api/v1/groups/:id', {
    config: { access, rule: rule('group.delete', onGroup('env.groups')) },
    schema: {
      tags,
      summary: 'Delete a group; its environments stay. A group with subgroups needs ?recursive=true',
      description: `The shares on deleted groups end, each member told. ${arranging}`,
      params: groupParams,
      querystring: deleteGroupQuery,
      response: { 200: accessPreviewSchema, 204: noContent, ...errors },
    },
    handler: async (request, reply) => {
      const preview = await deleteGroup(ctx, loaded(authorizedOf(request), 'group'), request.query);
      return preview ? reply.status(200).send(preview) : reply.status(204).send(null);
    },
  });

  const membership = (member: boolean) => ({
    config: { access, rule: rule(member ? 'group.environment_add' : 'group.environment_remove', onEnvironment('env.groups', param('envId')), onGroup('env.groups')) },
    schema: {
      tags,
      summary: `${member ? 'Put an environment into' : 'Take an environment out of'} the group (env.groups on both); answers the environment`,
      description: arranging,
      params: membershipParams,
      querystring: arrangeQuery,
      response: { 200: z.union([environmentSchema, accessPreviewSchema]), ...errors },
    },
  });
  app.put('/api/v1/groups/:id/environments/:envId', {
    ...membership(true),
    handler: async (request) => setGroupMembership(ctx, loaded(authorizedOf(request), 'environment', 'group'), true, request.query.dryRun),
  });
  app.delete('/api/v1/groups/:id/environments/:envId', {
    ...membership(false),
    handler: async (request) => setGroupMembership(ctx, loaded(authorizedOf(request), 'environment', 'group'), false, request.query.dryRun),
  });
}
