import type { Permission } from '../access/catalog.js';
import type { Caller, User } from '../accounts/caller.js';
import type { AccountScope, Authorized } from '../http/authorize/authorized.js';
import type { Db } from '../db/client.js';
import { missingPermission } from '../http/errors.js';
import { type Initiator, initiatorOf } from '../notifications/initiator.js';
import type { RequestMeta } from '../http/request-meta.js';

/** Whose account an owner-side request acts on, who acts, and with which account-level permissions. */
export interface OwnerScope {
  owner: User;
  actor: Caller;
  meta: RequestMeta;
  /** True when a member with collaboration.manage acts for the owner. */
  managed: boolean;
  /** What the actor holds at account level: everything for the owner. */
  held: ReadonlySet<Permission>;
  /** The route's authorization, to decide again under the lock inside the write. */
  authorized: Authorized & { account: AccountScope };
}

/** Who a notice of this scope's change names: the owner, or the manager acting for it (with the owner's alias). */
export async function noticeBy(db: Db, scope: OwnerScope): Promise<{ initiator: Initiator; ownerId: string }> {
  return { initiator: await initiatorOf(db, scope.owner.id, scope.actor.user, scope.managed), ownerId: scope.owner.id };
}

/** The owner-side scope of a route whose rule loaded the account (as owner or manager). */
export function scopeOf(authorized: Authorized & { account: AccountScope }): OwnerScope {
  const { owner, managed, held } = authorized.account;
  return { owner, actor: authorized.caller, meta: authorized.meta, managed, held, authorized };
}

/**
 * Whether the actor grants only within what it holds at account level (`held`): a manager, and the owner acting
 * through a scoped API token (the token's scope is all it holds, so it cannot grant its way past it).
 */
export const grantsWithinHeld = (scope: OwnerScope): boolean => scope.managed || scope.actor.tokenScope !== null;

/** A manager (or a scoped token) may never grant a permission it does not hold itself at account level (the route step audits the refusal). */
export function assertCanGrant(scope: OwnerScope, granted: Iterable<Permission>): void {
  if (!grantsWithinHeld(scope)) return;
  for (const permission of granted) {
    if (!scope.held.has(permission)) {
      const whose = scope.managed ? 'you do not hold it on the whole account yourself' : "this token's scope does not hold it on the whole account";
      throw missingPermission(permission, `You cannot grant ${permission}: ${whose}.`);
    }
  }
}
