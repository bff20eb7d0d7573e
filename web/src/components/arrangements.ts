import { api, ok } from '../api/client';
import type { HolderRef } from '../collaboration/holder';
import type { Arrangement } from './AccessChanges';

// Every change that can move access without being a grant (API.md, "Previews of access changes"), as the dashboard
// asks it: first with ?dryRun=true for its confirmation, then for real.

const dry = (dryRun: boolean) => (dryRun ? { dryRun: 'true' as const } : {});
const owner = (ownerId: string | undefined) => (ownerId ? { ownerId } : {});

/** Files an environment into a group (`file`), or takes it out of one. */
export function filing(groupId: string, envId: string, file: boolean): Arrangement {
  return {
    key: ['filing', groupId, envId, file],
    run: (dryRun) => {
      const params = { params: { path: { id: groupId, envId }, query: dry(dryRun) } };
      return file ? ok(api.PUT('/api/v1/groups/{id}/environments/{envId}', params)) : ok(api.DELETE('/api/v1/groups/{id}/environments/{envId}', params));
    },
  };
}

/** Deletes a group (with its subgroups when `recursive`); its environments stay. */
export function groupDeletion(groupId: string, recursive: boolean): Arrangement {
  return {
    key: ['group-delete', groupId, recursive],
    run: (dryRun) =>
      ok(api.DELETE('/api/v1/groups/{id}', { params: { path: { id: groupId }, query: { ...dry(dryRun), ...(recursive ? { recursive: 'true' as const } : {}) } } })),
  };
}

/** Renames a group and/or moves it under another parent (null: the top level). */
export function groupChange(groupId: string, body: { name: string; parentId: string | null }): Arrangement {
  return {
    key: ['group-change', groupId, body.parentId],
    run: (dryRun) => ok(api.PATCH('/api/v1/groups/{id}', { params: { path: { id: groupId }, query: dry(dryRun) }, body })),
  };
}

/** Deletes an environment (202: it goes through `deleting`). */
export function environmentDeletion(envId: string): Arrangement {
  return {
    key: ['environment-delete', envId],
    run: (dryRun) => ok(api.DELETE('/api/v1/environments/{id}', { params: { path: { id: envId }, query: dry(dryRun) } })),
  };
}

/** Removes one share of a member or a team; `ownerId` for a manager (teams are the owner's alone). */
export function shareRemoval(holder: HolderRef, shareId: string, ownerId: string | undefined): Arrangement {
  return {
    key: ['share-delete', holder.kind, holder.id, shareId],
    run: (dryRun) => {
      const query = { ...owner(ownerId), ...dry(dryRun) };
      return holder.kind === 'team'
        ? ok(api.DELETE('/api/v1/collaboration/teams/{id}/shares/{shareId}', { params: { path: { id: holder.id, shareId }, query: dry(dryRun) } }))
        : ok(api.DELETE('/api/v1/collaboration/members/{id}/shares/{shareId}', { params: { path: { id: holder.id, shareId }, query } }));
    },
  };
}

/** Replaces the roles, and the expiry when given (null: never ends), of a member's or a team's share; `ownerId` for a manager. */
export function shareChange(holder: HolderRef, shareId: string, ownerId: string | undefined, body: { roleIds: string[]; expiresAt?: string | null }): Arrangement {
  return {
    key: ['share-change', holder.kind, holder.id, shareId, [...body.roleIds].sort().join(','), body.expiresAt === undefined ? 'kept' : body.expiresAt],
    run: (dryRun) =>
      holder.kind === 'team'
        ? ok(api.PATCH('/api/v1/collaboration/teams/{id}/shares/{shareId}', { params: { path: { id: holder.id, shareId }, query: dry(dryRun) }, body }))
        : ok(
            api.PATCH('/api/v1/collaboration/members/{id}/shares/{shareId}', {
              params: { path: { id: holder.id, shareId }, query: { ...owner(ownerId), ...dry(dryRun) } },
              body,
            }),
          ),
  };
}
