import { decide } from '../access/decide.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import { missingPermission } from '../http/errors.js';

/**
 * Cloning files the clone in each of the source's groups, so it needs `env.create` in every one of them (or at the
 * root when the source is in none). Pure: it throws 403 `missing_permission` naming `env.create`.
 */
export function assertMayCloneInto(snapshot: AccessSnapshot, groupIds: readonly string[]): void {
  const destinations = groupIds.length > 0 ? groupIds : [null];
  const refused = destinations.find((groupId) => !decide(snapshot, { kind: 'create', groupId }, 'env.create').allowed);
  if (refused === undefined) return;
  throw missingPermission(
    'env.create',
    refused ? "The clone joins the source's groups: it needs the env.create permission in each of them." : 'The clone needs the env.create permission in this account.',
  );
}
