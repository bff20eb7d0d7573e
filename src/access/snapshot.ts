import type { Permission } from './catalog.js';
import type { TokenScope } from './token-scope.js';

export type ShareResource = { type: 'account' } | { type: 'group'; id: string } | { type: 'environment'; id: string };

export interface ShareFacts {
  id: string;
  resource: ShareResource;
  roleIds: readonly string[];
  expiresAt: Date | null;
  /** The team the share is given to, when the subject holds it through a team rather than by itself. */
  teamId?: string | null;
}

/** A share expires at `expiresAt`: from that instant on it grants nothing, as sessions and API tokens do. */
export const isLive = (share: ShareFacts, now: Date): boolean => share.expiresAt === null || share.expiresAt.getTime() > now.getTime();

export type CollaborationState = 'pending' | 'active' | 'suspended' | 'rejected' | 'left';

export interface GroupFacts {
  id: string;
  parentId: string | null;
}

/**
 * Everything the access decision needs about one person and one owner's account, loaded beforehand.
 * `decide()` reads only this and `now`: no I/O, no clock. Treat it as an immutable value: decisions over one
 * snapshot object share an index of its shares, built on its second decision.
 */
export interface AccessSnapshot {
  now: Date;
  /**
   * The person whose access is decided, the scope of the API token it acts through (none: all it can do) and that
   * token's lifetime in milliseconds (none: not through a token).
   */
  subject: { id: string; trialExpired: boolean; scope?: TokenScope | null; tokenLifetimeMs?: number | null };
  ownerId: string;
  /**
   * The collaboration between owner and subject, or null when there is none. `lacksRequiredSecondFactor`: the owner
   * requires a second factor of its members and the subject has none (accounts/factors/second-factor.ts decides "has").
   * `tokenMaxLifetimeDays`: the owner's cap on the lifetime of API tokens acting in its account.
   */
  collaboration: { id: string; status: CollaborationState; lacksRequiredSecondFactor?: boolean; tokenMaxLifetimeDays?: number | null } | null;
  /**
   * That collaboration's shares and those of the teams it is in (all of them, expired ones included: explain()
   * reports them). At each level a member's own shares and its teams' count together.
   */
  shares: readonly ShareFacts[];
  /** The owner's groups, enough of them to walk from any group of interest to its root. */
  groups: ReadonlyMap<string, GroupFacts>;
  /** Permissions of every role a share names: system roles and the owner's custom roles. */
  rolePermissions: ReadonlyMap<string, readonly Permission[]>;
}

/** The resource a decision is about: an existing environment (with its groups), or where a new one would go. */
export type AccessTarget =
  | { kind: 'environment'; environmentId: string; groupIds: readonly string[] }
  | { kind: 'create'; groupId: string | null }
  | { kind: 'account' };
