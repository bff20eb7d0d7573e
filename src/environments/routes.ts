import { z } from 'zod';
import { accessPreviewSchema } from '../collaboration/arrange/preview.js';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/auth.js';
import { loaded } from '../http/authorize/authorized.js';
import { atDestination, body, inAccount, onEnvironment, param, rule } from '../http/authorize/rules.js';
import { authorizedOf } from '../http/authorize/step.js';
import { problemSchema } from '../http/errors.js';
import { enforce } from '../http/rate-limit.js';
import { type App, dryRunQuery, page, pageQuery } from '../http/types.js';
import { environmentActivity } from './activity.js';
import { cloneEnvironment } from './clone.js';
import { createEnvironment } from './create.js';
import { deployEnvironment } from './deploy.js';
import { execCommand } from './exec.js';
import { groupRoutes } from './groups/routes.js';
import { transferRoutes } from './transfer/routes.js';
import { deleteEnvironment, requestLifecycleAction } from './lifecycle.js';
import { getEnvironment, listEnvironments } from './list.js';
import { presentationColumns } from './present.js';
import { readLogs } from './logs.js';
import { renameEnvironment } from './rename.js';
import {
  cloneEnvironmentBody,
  createEnvironmentBody,
  deployBody,
  environmentParams,
  environmentSchema,
  execAnswer,
  execBody,
  listEnvironmentsQuery,
  logLineSchema,
  logsQuery,
  renameEnvironmentBody,
  topologyBody,
  variablesAnswer,
  variablesBody,
} from './schemas.js';
import { changeTopology } from './topology.js';
import { readVariables, replaceVariables } from './variables.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
const tags = ['Environments'];
const access = 'activeAccount' as const;
// Every route on one environment declares the permission it needs there; the rule step loads it for the caller.
const on = (action: string, permission: Parameters<typeof onEnvironment>[0]) => ({ access, rule: rule(`environment.${action}`, onEnvironment(permission)) });
const arrangeQuery = z.strictObject(dryRunQuery);
const activitySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ kind: z.enum(['you', 'owner', 'member', 'system']), label: z.string() }),
    action: z.string(),
    outcome: z.enum(['ok', 'denied', 'failed']),
  })
  .describe('One thing someone did (or tried) on the environment');
const env = (request: Parameters<typeof authorizedOf>[0]) => loaded(authorizedOf(request), 'environment');

/** The environment routes of API.md, and the group routes beside them. */
export function environmentRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/environments', {
    config: { access },
    schema: {
      tags,
      summary: "The environments the caller can see: its own and those shared with it, each with the caller's permissions",
      querystring: listEnvironmentsQuery,
      response: { 200: page(environmentSchema), ...errors },
    },
    handler: async (request) => listEnvironments(ctx, callerOf(request), request.query),
  });

  app.post('/api/v1/environments', {
    config: { access, rule: rule('environment.create', inAccount('member', body('ownerId')), atDestination('env.create', body('groupId'))) },
    schema: {
      tags,
      summary: "Create an environment (in an owner's account with ownerId, where a share grants env.create); the runtime provisions it",
      body: createEnvironmentBody,
      response: { 201: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      await enforce(ctx.db, ctx.clock, `environment.create:user:${callerOf(request).user.id}`, ctx.rateLimits.environmentCreatePerUser);
      const created = await createEnvironment(ctx, authorizedOf(request), request.body);
      return reply.status(201).send(created);
    },
  });

  app.get('/api/v1/environments/:id', {
    // The presentation is read with the row: one statement after the session's, with a cached access snapshot.
    config: { access, rule: rule('environment.read', onEnvironment('env.view', param('id'), presentationColumns)) },
    schema: { tags, summary: 'One environment (env.view)', params: environmentParams, response: { 200: environmentSchema, ...errors } },
    handler: async (request) => getEnvironment(env(request)),
  });

  app.get('/api/v1/environments/:id/activity', {
    config: on('activity', 'env.view'),
    schema: {
      tags,
      summary: 'Who did what on the environment and when, newest first (env.view)',
      description:
        'Actors as the caller may know them: the owner and managers see members by the alias the owner gave them; ' +
        'anyone else sees "the owner", "you" or "a collaborator".',
      params: environmentParams,
      querystring: z.strictObject(pageQuery),
      response: { 200: page(activitySchema), ...errors },
    },
    handler: async (request) => {
      const target = env(request);
      return environmentActivity(ctx, callerOf(request), target.environment, request.query.limit, request.query.cursor);
    },
  });

  app.patch('/api/v1/environments/:id', {
    config: on('rename', 'env.rename'),
    schema: {
      tags,
      summary: 'Change the display name (env.rename)',
      params: environmentParams,
      body: renameEnvironmentBody,
      response: { 200: environmentSchema, ...errors },
    },
    handler: async (request) => renameEnvironment(ctx, env(request), request.body.displayName),
  });

  app.delete('/api/v1/environments/:id', {
    config: on('delete', 'env.delete'),
    schema: {
      tags,
      summary: 'Delete the environment (env.delete): answers 202 in deleting; the runtime removes its nodes',
      description: 'The shares on it end at once, each member told. ?dryRun=true answers 200 with who would lose what, and changes nothing.',
      params: environmentParams,
      querystring: arrangeQuery,
      response: { 200: accessPreviewSchema, 202: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      const answer = await deleteEnvironment(ctx, env(request), request.query.dryRun);
      return reply.status(request.query.dryRun ? 200 : 202).send(answer);
    },
  });

  for (const action of ['start', 'stop', 'restart'] as const) {
    app.post(`/api/v1/environments/:id/${action}`, {
      config: on(action, `env.${action}`),
      schema: {
        tags,
        summary: `${action[0]?.toUpperCase()}${action.slice(1)} the environment (env.${action}): answers 202 with the new status`,
        params: environmentParams,
        response: { 202: environmentSchema, ...errors },
      },
      handler: async (request, reply) => {
        return reply.status(202).send(await requestLifecycleAction(ctx, env(request), action));
      },
    });
  }

  app.post('/api/v1/environments/:id/clone', {
    config: on('clone', 'env.clone'),
    schema: {
      tags,
      summary: "Clone (env.clone, and env.create in the source's groups): same owner, topology, variables and application",
      description:
        'For anyone but the owner, 403 would_widen_access when a member would hold on the clone a permission it does not hold on the source. ?dryRun=true answers 200 with the access changes and changes nothing.',
      params: environmentParams,
      querystring: arrangeQuery,
      body: cloneEnvironmentBody,
      response: { 200: accessPreviewSchema, 201: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      await enforce(ctx.db, ctx.clock, `environment.create:user:${callerOf(request).user.id}`, ctx.rateLimits.environmentCreatePerUser);
      const clone = await cloneEnvironment(ctx, env(request), request.body, request.query.dryRun);
      return reply.status(request.query.dryRun ? 200 : 201).send(clone);
    },
  });

  app.put('/api/v1/environments/:id/topology', {
    config: on('topology', 'env.topology'),
    schema: {
      tags,
      summary: 'Replace the topology (env.topology): roles, images, node counts and cloudlets',
      params: environmentParams,
      body: topologyBody,
      response: { 200: environmentSchema, ...errors },
    },
    handler: async (request) => changeTopology(ctx, env(request), request.body.nodes),
  });

  app.post('/api/v1/environments/:id/deploy', {
    config: on('deploy', 'env.deploy'),
    schema: {
      tags,
      summary: 'Deploy an archive URL or a git repository to a running environment (env.deploy); answers 202',
      params: environmentParams,
      body: deployBody,
      response: { 202: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      return reply.status(202).send(await deployEnvironment(ctx, env(request), request.body.source));
    },
  });

  app.get('/api/v1/environments/:id/variables', {
    config: on('variables_read', 'env.config'),
    schema: { tags, summary: 'The environment variables (env.config)', params: environmentParams, response: { 200: variablesAnswer, ...errors } },
    handler: async (request) => ({ variables: readVariables(env(request)) }),
  });

  app.put('/api/v1/environments/:id/variables', {
    config: on('variables_update', 'env.config'),
    schema: {
      tags,
      summary: 'Replace the environment variables (env.config); running processes see them after a restart',
      params: environmentParams,
      body: variablesBody,
      response: { 200: variablesAnswer, ...errors },
    },
    handler: async (request) => ({
      variables: await replaceVariables(ctx, env(request), request.body.variables),
    }),
  });

  app.get('/api/v1/environments/:id/logs', {
    config: on('logs', 'env.logs'),
    schema: {
      tags,
      summary: 'The log lines of the environment and its nodes, newest first (env.logs)',
      params: environmentParams,
      querystring: logsQuery,
      response: { 200: page(logLineSchema), ...errors },
    },
    handler: async (request) => {
      const logs = await readLogs(ctx, env(request), request.query);
      return { items: logs.items.map((line) => ({ ...line, at: line.at.toISOString() })), nextCursor: logs.nextCursor };
    },
  });

  app.post('/api/v1/environments/:id/exec', {
    config: on('exec', 'env.exec'),
    schema: {
      tags,
      summary: "Run a command on the running environment's nodes, all or those of one role (env.exec)",
      params: environmentParams,
      body: execBody,
      response: { 200: execAnswer, ...errors },
    },
    handler: async (request) => {
      await enforce(ctx.db, ctx.clock, `exec:user:${callerOf(request).user.id}`, ctx.rateLimits.execPerUser);
      return { command: request.body.command, results: await execCommand(ctx, env(request), request.body) };
    },
  });

  groupRoutes(app, ctx);
  transferRoutes(app, ctx);
}
