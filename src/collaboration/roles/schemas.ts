import { z } from 'zod';
import { isPermission, permissions } from '../../access/catalog.js';

/** A role's permissions: known catalog ids only; an unknown one is a 400 naming it. Duplicates are merged. */
export const permissionListSchema = z
  .array(z.string().max(100).describe('A permission id from GET /api/v1/permissions'))
  .min(1, 'must name at least one permission')
  .max(100)
  .superRefine((list, ctx) => {
    list.forEach((permission, index) => {
      if (!isPermission(permission)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `unknown permission "${permission}"; see GET /api/v1/permissions` });
      }
    });
  })
  .transform((list) => permissions.filter((permission) => list.includes(permission)));

const roleName = z.string().trim().min(1, 'must not be empty').max(100, 'must have at most 100 characters');
const roleDescription = z.string().trim().max(500, 'must have at most 500 characters');

export const createRoleBody = z.strictObject({
  name: roleName,
  description: roleDescription.optional(),
  permissions: permissionListSchema,
  receiveAlerts: z.boolean().optional(),
});

export const updateRoleBody = z
  .strictObject({
    name: roleName.optional(),
    description: roleDescription.optional(),
    permissions: permissionListSchema.optional(),
    receiveAlerts: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'send at least one field to change');

export type CreateRoleInput = z.infer<typeof createRoleBody>;
export type UpdateRoleInput = z.infer<typeof updateRoleBody>;
