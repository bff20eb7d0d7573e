import { z } from 'zod';
import { personLabel } from '../access/load/people.js';
import { heldShareSchema } from './held.js';
import { permissions } from '../access/catalog.js';
import { environmentStatuses } from '../db/schema/index.js';

/** Limits of one environment's topology. */
export const TOPOLOGY_LIMITS = { roles: 10, count: 20, cloudlets: 64 } as const;

/** A DNS label: the environment's domain prefix. */
export const environmentNameSchema = z
  .string()
  .min(3, 'must have at least 3 characters')
  .max(40, 'must have at most 40 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter')
  .refine((name) => !name.endsWith('-'), 'must not end with a dash');

export const displayNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must have at most 100 characters');

const idSchema = z.string().min(1).max(100);

// An image reference as registries accept it: [registry/]path[:tag][@digest].
const imageSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, 'must be an image reference like nginx:1.27');

export const nodeSpecSchema = z.strictObject({
  role: z
    .string()
    .min(1)
    .max(30)
    .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter'),
  image: imageSchema,
  count: z.number().int().min(1).max(TOPOLOGY_LIMITS.count),
  cloudlets: z.number().int().min(1).max(TOPOLOGY_LIMITS.cloudlets),
});

/** The topology: at least one role, each role once. */
export const nodesSchema = z
  .array(nodeSpecSchema)
  .min(1, 'an environment needs at least one node')
  .max(TOPOLOGY_LIMITS.roles, `at most ${TOPOLOGY_LIMITS.roles} roles`)
  .superRefine((specs, context) => {
    const seen = new Set<string>();
    specs.forEach((spec, index) => {
      if (seen.has(spec.role)) context.addIssue({ code: 'custom', path: [index, 'role'], message: 'each role may appear once' });
      seen.add(spec.role);
    });
  });

export const createEnvironmentBody = z.strictObject({
  name: environmentNameSchema,
  displayName: displayNameSchema.optional(),
  ownerId: idSchema.optional(),
  groupId: idSchema.optional(),
  nodes: nodesSchema,
});

export const cloneEnvironmentBody = z.strictObject({ name: environmentNameSchema, displayName: displayNameSchema.optional() });
export const renameEnvironmentBody = z.strictObject({ displayName: displayNameSchema });
export const topologyBody = z.strictObject({ nodes: nodesSchema });

export const deployBody = z.strictObject({
  source: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .regex(/^(https?:\/\/|git:\/\/|ssh:\/\/|git@)\S+$/, 'must be an archive URL or a git repository (https://, git://, ssh:// or git@)')
    // The source is shown to everyone who sees the environment, logged and audited: it must carry no secret.
    .refine((source) => !/^https?:\/\/[^/\s]*@/.test(source) && !/^[a-z]+:\/\/[^/\s@]*:[^/\s@]*@/.test(source), {
      message: 'must not contain credentials (user:password@ or token@); give the platform access to the repository instead',
    }),
});

const variableName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores, not starting with a digit');

export const variablesSchema = z
  .record(variableName, z.string().max(4096, 'must have at most 4096 characters'))
  .refine((variables) => Object.keys(variables).length <= 200, 'at most 200 variables');

export const variablesBody = z.strictObject({ variables: variablesSchema });

export const execBody = z.strictObject({
  command: z.string().trim().min(1).max(1000),
  role: z.string().min(1).max(30).optional(),
});

export const listEnvironmentsQuery = z.strictObject({
  ownerId: idSchema.optional(),
  groupId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
});

export const logsQuery = z.strictObject({
  source: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(30).optional(),
});

export const environmentParams = z.strictObject({ id: idSchema });

const person = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const environmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string(),
    domain: z.string(),
    status: z.enum(environmentStatuses),
    statusReason: z.string().nullable(),
    owner: person,
    createdBy: person
      .extend({ email: z.string().optional().describe('Only for the owner and those who manage its members'), label: personLabel })
      .nullable(),
    nodes: z.array(
      z.object({
        role: z.string(),
        image: z.string(),
        count: z.number().int(),
        cloudlets: z.number().int(),
        instances: z.array(z.object({ id: z.string(), ordinal: z.number().int(), status: z.string(), address: z.string().nullable() })),
      }),
    ),
    cloudlets: z.number().int().describe('Total cloudlets of the topology (what metering charges per hour while running)'),
    deployedSource: z.string().nullable(),
    groups: z.array(z.object({ id: z.string(), name: z.string() })),
    permissions: z.array(z.enum(permissions)).describe("The caller's effective permissions on it"),
    access: z.enum(['owner', 'direct', 'group', 'account']),
    heldThrough: z
      .array(heldShareSchema)
      .describe("The caller's shares that decide its access here (direct, group or all-environments), with roles and expiry; empty for the owner"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe('An environment as the caller sees it');

export type EnvironmentView = z.infer<typeof environmentSchema>;

export const variablesAnswer = z.object({ variables: z.record(z.string(), z.string()) });

export const execAnswer = z.object({
  command: z.string(),
  results: z.array(z.object({ node: z.string(), role: z.string(), ordinal: z.number().int(), exitCode: z.number().int(), output: z.string() })),
});

export const logLineSchema = z.object({ id: z.string(), at: z.string(), source: z.string(), line: z.string() });
