import { z } from 'zod';
import { permissions } from '../../access/catalog.js';
import { dryRunQuery } from '../../http/types.js';

const idSchema = z.string().min(1).max(100);

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must have at most 100 characters')
  .refine((name) => !name.includes('/'), 'must not contain a slash');

export const createGroupBody = z.strictObject({ name: groupNameSchema, parentId: idSchema.nullable().optional(), ownerId: idSchema.optional() });

export const updateGroupBody = z
  .strictObject({ name: groupNameSchema.optional(), parentId: idSchema.nullable().optional() })
  .refine((body) => body.name !== undefined || body.parentId !== undefined, 'give a new name, a new parentId (null for the top level), or both');

export const listGroupsQuery = z.strictObject({
  ownerId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
  cursor: z.string().max(100).optional(),
});

export const deleteGroupQuery = z.strictObject({
  ...dryRunQuery,
  recursive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export const groupParams = z.strictObject({ id: idSchema });
export const arrangeQuery = z.strictObject(dryRunQuery);
export const membershipParams = z.strictObject({ id: idSchema, envId: idSchema });

export const groupSchema = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    name: z.string(),
    parentId: z.string().nullable().describe('The parent group; null at the top level, or when the parent is not visible to the caller'),
    permissions: z.array(z.enum(permissions)).describe("The caller's effective permissions for environments created in this group"),
    createdAt: z.string(),
  })
  .describe('A group of environments');

export type GroupView = z.infer<typeof groupSchema>;
