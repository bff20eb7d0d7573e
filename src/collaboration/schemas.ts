import { z } from 'zod';
import { permissionCatalog } from '../access/catalog.js';
import { collaborationStatuses, shareResourceTypes } from '../db/schema/index.js';
import { pageQuery } from '../http/types.js';

const idString = z.string().min(1).max(100);

/** `?ownerId=`: whose account an owner-side route acts on; the caller's own by default. */
export const ownerQuery = { ownerId: idString.optional().describe("The owner's account id; defaults to the caller") };

/** Owner query plus paging, for owner-side lists. */
export const ownerPageQuery = z.strictObject({ ...ownerQuery, ...pageQuery });

/** `:id` of a member plus `:shareId` of one of its shares. */
export const shareParams = z.strictObject({ id: idString, shareId: idString });

/** The signed-in person behind a member, when the invitation has been accepted. */
export const personSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });

/** A member as its owner (and the owner's managers) see it: alias included. */
export const memberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string().nullable(),
    status: z.enum(collaborationStatuses),
    user: personSchema.nullable(),
    invitedAt: z.string(),
    acceptedAt: z.string().nullable(),
    expiresAt: z.string().nullable().describe('When a pending invitation link stops working'),
    invitationExpired: z.boolean(),
    twoFactor: z.boolean().describe("Whether the member's account has a second factor (two-factor sign-in)"),
    manageable: z
      .boolean()
      .describe("Whether the caller may act on this member (alias, resend, suspend, activate, unlink, shares): false for a manager's own membership and for other managers"),
  })
  .describe('A member (collaboration) of an owner account');

export const roleRefSchema = z.object({ id: z.string(), name: z.string() });

export const shareResourceSchema = z.object({
  type: z.enum(shareResourceTypes),
  id: z.string().optional(),
  name: z.string().optional().describe('The group name or the environment display name'),
});

/** A collaboration as the member sees it: never the owner's private alias. */
export const collaborationSchema = z
  .object({
    id: z.string(),
    owner: personSchema,
    status: z.enum(collaborationStatuses),
    invitedAt: z.string(),
    acceptedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    permissions: z
      .array(z.string())
      .optional()
      .describe("In the list: what the caller may do at the owner's account level (empty unless active)"),
    canCreateEnvironments: z
      .boolean()
      .optional()
      .describe("In the list: whether some share lets the caller create environments in the owner's account (at the root or in a group)"),
    shares: z
      .array(
        z.object({
          id: z.string(),
          resource: shareResourceSchema,
          roles: z.array(z.object({ id: z.string(), name: z.string() })),
          expiresAt: z.string().nullable(),
        }),
      )
      .optional()
      .describe("In the list: the caller's own unexpired shares in the owner's account (empty unless active)"),
    locked: z
      .object({
        reason: z.literal('two_factor_required'),
        detail: z.string(),
        enrol: z.object({ api: z.string(), dashboard: z.string() }),
      })
      .nullable()
      .optional()
      .describe("In the list: why the caller can do nothing in the owner's account right now (the owner requires two-factor sign-in), else null"),
  })
  .describe('An account the caller collaborates with, or an invitation to one');

export const shareSchema = z
  .object({
    id: z.string(),
    memberId: z.string().nullable().describe('The member holding the share; null for a team share'),
    teamId: z.string().nullable().describe('The team holding the share; null for a member share'),
    resource: shareResourceSchema,
    roles: z.array(roleRefSchema),
    ineffectivePermissions: z
      .array(z.string())
      .describe("Permissions of the share's roles that grant nothing at this level (collaboration.manage below the account, env.create on one environment)"),
    expiresAt: z.string().nullable(),
    expired: z.boolean(),
    lastUsedAt: z.string().nullable().describe('When an allowed action last went through this share (recorded at most once an hour)'),
    reviewBy: z.string().nullable().describe("The owner's date to review this share; the owner is mailed 3 days before"),
    accessRequestId: z.string().nullable().describe('The access request whose approval made this temporary share'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe('Roles given to one member, or to one team, on one resource');

export const permissionSchema = z.object({
  id: z.enum(permissionCatalog.map((p) => p.id) as [string, ...string[]]),
  category: z.string(),
  description: z.string(),
  levels: z
    .array(z.enum(['direct', 'group', 'account']))
    .describe('Share levels where the permission grants something: direct (one environment), group, account'),
});

export const roleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    receiveAlerts: z.boolean(),
    system: z.boolean(),
    inUse: z.boolean(),
    usage: z.object({ shares: z.number().int(), members: z.number().int() }),
    createdAt: z.string().nullable(),
  })
  .describe('A named set of permissions');

export const accessLevelSchema = z.enum(['owner', 'direct', 'group', 'account']).nullable();
export const blockReasonSchema = z.enum(['not_member', 'suspended', 'trial_expired', 'share_expired', 'no_share', 'token_scope', 'two_factor_required', 'token_lifetime_exceeded']).nullable();
export const collaborationStatusSchema = z.enum(collaborationStatuses);
