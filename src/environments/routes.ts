import type { AppContext } from '../context.js';
import { callerOf } from '../http/auth.js';
import { problemSchema } from '../http/errors.js';
import { enforce } from '../http/rate-limit.js';
import { requestMeta } from '../http/request-meta.js';
import { type App, page } from '../http/types.js';
import { cloneEnvironment } from './clone.js';
import { createEnvironment } from './create.js';
import { deployEnvironment } from './deploy.js';
import { execCommand } from './exec.js';
import { groupRoutes } from './groups/routes.js';
import { requestLifecycleAction } from './lifecycle.js';
import { getEnvironment, listEnvironments } from './list.js';
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
// Every route here decides the permission on the loaded environment (loadEnvironmentFor); the hook only checks the account.
const config = { access: 'activeAccount' } as const;

/** The environment routes of API.md, and the group routes beside them. */
export function environmentRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/environments', {
    config,
    schema: {
      tags,
      summary: "The environments the caller can see: its own and those shared with it, each with the caller's permissions",
      querystring: listEnvironmentsQuery,
      response: { 200: page(environmentSchema), ...errors },
    },
    handler: async (request) => listEnvironments(ctx, callerOf(request), request.query),
  });

  app.post('/api/v1/environments', {
    config,
    schema: {
      tags,
      summary: "Create an environment (in an owner's account with ownerId, where a share grants env.create); the runtime provisions it",
      body: createEnvironmentBody,
      response: { 201: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      await enforce(ctx.db, ctx.clock, `environment.create:user:${callerOf(request).user.id}`, ctx.rateLimits.environmentCreatePerUser);
      const created = await createEnvironment(ctx, requestMeta(request), callerOf(request), request.body);
      return reply.status(201).send(created);
    },
  });

  app.get('/api/v1/environments/:id', {
    config,
    schema: { tags, summary: 'One environment (env.view)', params: environmentParams, response: { 200: environmentSchema, ...errors } },
    handler: async (request) => getEnvironment(ctx, callerOf(request), request.params.id),
  });

  app.patch('/api/v1/environments/:id', {
    config,
    schema: {
      tags,
      summary: 'Change the display name (env.rename)',
      params: environmentParams,
      body: renameEnvironmentBody,
      response: { 200: environmentSchema, ...errors },
    },
    handler: async (request) => renameEnvironment(ctx, requestMeta(request), callerOf(request), request.params.id, request.body.displayName),
  });

  app.delete('/api/v1/environments/:id', {
    config,
    schema: {
      tags,
      summary: 'Delete the environment (env.delete): answers 202 in deleting; the runtime removes its nodes',
      params: environmentParams,
      response: { 202: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      const env = await requestLifecycleAction(ctx, requestMeta(request), callerOf(request), request.params.id, 'delete');
      return reply.status(202).send(env);
    },
  });

  for (const action of ['start', 'stop', 'restart'] as const) {
    app.post(`/api/v1/environments/:id/${action}`, {
      config,
      schema: {
        tags,
        summary: `${action[0]?.toUpperCase()}${action.slice(1)} the environment (env.${action}): answers 202 with the new status`,
        params: environmentParams,
        response: { 202: environmentSchema, ...errors },
      },
      handler: async (request, reply) => {
        const env = await requestLifecycleAction(ctx, requestMeta(request), callerOf(request), request.params.id, action);
        return reply.status(202).send(env);
      },
    });
  }

  app.post('/api/v1/environments/:id/clone', {
    config,
    schema: {
      tags,
      summary: "Clone (env.clone, and env.create in the source's groups): same owner, topology, variables and application",
      params: environmentParams,
      body: cloneEnvironmentBody,
      response: { 201: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      await enforce(ctx.db, ctx.clock, `environment.create:user:${callerOf(request).user.id}`, ctx.rateLimits.environmentCreatePerUser);
      const clone = await cloneEnvironment(ctx, requestMeta(request), callerOf(request), request.params.id, request.body);
      return reply.status(201).send(clone);
    },
  });

  app.put('/api/v1/environments/:id/topology', {
    config,
    schema: {
      tags,
      summary: 'Replace the topology (env.topology): roles, images, node counts and cloudlets',
      params: environmentParams,
      body: topologyBody,
      response: { 200: environmentSchema, ...errors },
    },
    handler: async (request) => changeTopology(ctx, requestMeta(request), callerOf(request), request.params.id, request.body.nodes),
  });

  app.post('/api/v1/environments/:id/deploy', {
    config,
    schema: {
      tags,
      summary: 'Deploy an archive URL or a git repository to a running environment (env.deploy); answers 202',
      params: environmentParams,
      body: deployBody,
      response: { 202: environmentSchema, ...errors },
    },
    handler: async (request, reply) => {
      const env = await deployEnvironment(ctx, requestMeta(request), callerOf(request), request.params.id, request.body.source);
      return reply.status(202).send(env);
    },
  });

  app.get('/api/v1/environments/:id/variables', {
    config,
    schema: { tags, summary: 'The environment variables (env.config)', params: environmentParams, response: { 200: variablesAnswer, ...errors } },
    handler: async (request) => ({ variables: await readVariables(ctx, callerOf(request), request.params.id, requestMeta(request)) }),
  });

  app.put('/api/v1/environments/:id/variables', {
    config,
    schema: {
      tags,
      summary: 'Replace the environment variables (env.config); running processes see them after a restart',
      params: environmentParams,
      body: variablesBody,
      response: { 200: variablesAnswer, ...errors },
    },
    handler: async (request) => ({
      variables: await replaceVariables(ctx, requestMeta(request), callerOf(request), request.params.id, request.body.variables),
    }),
  });

  app.get('/api/v1/environments/:id/logs', {
    config,
    schema: {
      tags,
      summary: 'The log lines of the environment and its nodes, newest first (env.logs)',
      params: environmentParams,
      querystring: logsQuery,
      response: { 200: page(logLineSchema), ...errors },
    },
    handler: async (request) => {
      const logs = await readLogs(ctx, requestMeta(request), callerOf(request), request.params.id, request.query);
      return { items: logs.items.map((line) => ({ ...line, at: line.at.toISOString() })), nextCursor: logs.nextCursor };
    },
  });

  app.post('/api/v1/environments/:id/exec', {
    config,
    schema: {
      tags,
      summary: "Run a command on the running environment's nodes, all or those of one role (env.exec)",
      params: environmentParams,
      body: execBody,
      response: { 200: execAnswer, ...errors },
    },
    handler: async (request) => {
      await enforce(ctx.db, ctx.clock, `exec:user:${callerOf(request).user.id}`, ctx.rateLimits.execPerUser);
      return {
        command: request.body.command,
        results: await execCommand(ctx, requestMeta(request), callerOf(request), request.params.id, request.body),
      };
    },
  });

  groupRoutes(app, ctx);
}
