import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { type AccountNeed, inAccount, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, noContent, page } from '../../http/types.js';
import { problems } from '../http.js';
import { scopeOf } from '../scope.js';
import { ownerPageQuery, ownerQuery, permissionSchema, roleSchema } from '../schemas.js';
import { deleteRole } from './delete.js';
import { listPermissions, listRoles } from './list.js';
import { createRoleBody, updateRoleBody } from './schemas.js';
import { createRole, updateRole } from './write.js';

const tags = ['Collaboration — owner side'];
const ownerOnly = z.strictObject(ownerQuery);
// Managers read the roles to share them; only the owner defines them.
const inRoles = (action: string, needs: AccountNeed) => ({ access: 'activeAccount' as const, rule: rule(action, inAccount(needs)) });
const scope = (request: Parameters<typeof authorizedOf>[0]) => scopeOf(loaded(authorizedOf(request), 'account'));

/** The permission catalog, the system roles and the owner's custom roles. */
export function roleRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/permissions', {
    config: { access: 'signedIn' },
    schema: {
      tags,
      summary: 'The permission catalog, with categories and descriptions',
      response: {
        200: z.object({ items: z.array(permissionSchema), categories: z.array(z.object({ name: z.string(), permissions: z.array(z.string()) })) }),
        ...problems,
      },
    },
    handler: async () => listPermissions(),
  });

  app.get('/api/v1/roles', {
    config: inRoles('role.list', 'manager'),
    schema: {
      tags,
      summary: 'System roles (read-only, first page) and the custom roles of the owner, with where each is used',
      querystring: ownerPageQuery,
      response: { 200: page(roleSchema), ...problems },
    },
    handler: async (request) => {
      return listRoles(ctx, scope(request), request.query.limit, request.query.cursor);
    },
  });

  app.post('/api/v1/roles', {
    config: inRoles('role.create', 'owner'),
    schema: { tags, summary: 'Create a custom role (owner only)', querystring: ownerOnly, body: createRoleBody, response: { 201: roleSchema, ...problems } },
    handler: async (request, reply) => {
      return reply.status(201).send(await createRole(ctx, scope(request), request.body));
    },
  });

  app.patch('/api/v1/roles/:id', {
    config: inRoles('role.update', 'owner'),
    schema: {
      tags,
      summary: 'Change a custom role; every share using it changes with it',
      params: idParams,
      querystring: ownerOnly,
      body: updateRoleBody,
      response: { 200: roleSchema, ...problems },
    },
    handler: async (request) => updateRole(ctx, scope(request), request.params.id, request.body),
  });

  app.delete('/api/v1/roles/:id', {
    config: inRoles('role.delete', 'owner'),
    schema: { tags, summary: 'Delete a custom role no share uses (409 lists the shares that do)', params: idParams, querystring: ownerOnly, response: { 204: noContent, ...problems } },
    handler: async (request, reply) => {
      await deleteRole(ctx, scope(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}
