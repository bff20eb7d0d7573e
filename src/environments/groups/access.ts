import { decide } from '../../access/decide.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import type { groups } from '../../db/schema/index.js';
import { missingPermission } from '../../http/errors.js';

export type GroupRow = typeof groups.$inferSelect;

/**
 * Arranging groups (creating, renaming, moving, deleting them, filing environments in them) needs `env.groups`
 * where it happens: in `groupId` (its share, or the nearest shared ancestor's) or, at the root, on the account share.
 * The route's rule decides it for the group it names; this decides it for a second place, such as a new parent.
 */
export function assertMayArrangeIn(snapshot: AccessSnapshot, groupId: string | null): void {
  if (decide(snapshot, { kind: 'create', groupId }, 'env.groups').allowed) return;
  throw missingPermission('env.groups', groupId ? 'Arranging groups here needs the env.groups permission on this group.' : undefined);
}
