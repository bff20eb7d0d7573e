import { canSee, effectiveAccess } from '../access/decide.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import { groupIdsColumn, possiblyVisible } from '../access/load/environments.js';
import type { Db } from '../db/client.js';
import { environments } from '../db/schema/index.js';
import { missingPermission } from '../http/errors.js';

const BILLING_VIEW = 'billing.view';

/** What of an owner's billing the caller may read: all of it, or the usage of some environments only. */
export type BillingScope = { ownerId: string; all: true } | { ownerId: string; all: false; environmentIds: string[] };

/**
 * The caller's billing scope at account level only (the balance): the owner, or a member with billing.view there. The
 * snapshot is the caller's in the account (the route's rule refused anyone else with the 404 of an unknown id).
 */
export function accountBillingScope(snapshot: AccessSnapshot): BillingScope {
  const ownerId = snapshot.ownerId;
  if (snapshot.subject.id === ownerId) return { ownerId, all: true };
  if (!effectiveAccess(snapshot, { kind: 'account' }).permissions.includes(BILLING_VIEW)) {
    throw missingPermission(BILLING_VIEW, "Seeing this account's balance needs the billing.view permission on all its environments.");
  }
  return { ownerId, all: true };
}

/**
 * The caller's usage scope: the whole account with billing.view at account level, otherwise the environments where
 * the caller's effective access (DESIGN.md section 6) holds billing.view. None at all is a 403 naming it.
 */
export async function usageBillingScope(db: Db, snapshot: AccessSnapshot): Promise<BillingScope> {
  const ownerId = snapshot.ownerId;
  if (snapshot.subject.id === ownerId) return { ownerId, all: true };
  if (effectiveAccess(snapshot, { kind: 'account' }).permissions.includes(BILLING_VIEW)) return { ownerId, all: true };

  // The environments it could see at all (deleted ones too: their usage stays), each with its groups, then decided.
  const candidates = possiblyVisible(db, snapshot);
  const rows = candidates === null ? [] : await db.select({ id: environments.id, groupIds: groupIdsColumn }).from(environments).where(candidates);
  const environmentIds = rows
    .filter(({ id, groupIds }) => {
      const access = effectiveAccess(snapshot, { kind: 'environment', environmentId: id, groupIds });
      return canSee(access) && access.permissions.includes(BILLING_VIEW);
    })
    .map((row) => row.id);
  if (environmentIds.length === 0) {
    throw missingPermission(BILLING_VIEW, 'Seeing usage in this account needs the billing.view permission on some of its environments.');
  }
  return { ownerId, all: false, environmentIds };
}
