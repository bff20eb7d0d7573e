import { effectiveAccess } from '../../access/decide.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import type { GroupRow } from './access.js';
import type { GroupView } from './schemas.js';
import { isVisible } from '../../access/load/groups.js';

/** A group as one caller sees it: a parent it cannot see is shown as none, so no hidden group's id leaks. */
export function presentGroup(group: GroupRow, snapshot: AccessSnapshot, visible: 'all' | Set<string>): GroupView {
  return {
    id: group.id,
    ownerId: group.ownerId,
    name: group.name,
    parentId: group.parentId && isVisible(visible, group.parentId) ? group.parentId : null,
    permissions: effectiveAccess(snapshot, { kind: 'create', groupId: group.id }).permissions,
    createdAt: group.createdAt.toISOString(),
  };
}
