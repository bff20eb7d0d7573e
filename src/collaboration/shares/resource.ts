import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { environments, groups, type ShareResourceType } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';

export type ResourceInput = { type: 'account' } | { type: 'group'; id: string } | { type: 'environment'; id: string };

/** A share's resource checked against the owner's account, with the words mails and answers use for it. */
export interface ResolvedResource {
  type: ShareResourceType;
  groupId: string | null;
  environmentId: string | null;
  /** The group name or the environment display name; absent for the whole account. */
  name: string | undefined;
}

/** Checks that a group or environment belongs to the owner: another owner's is the same 404 as none. */
export async function resolveResource(db: Db, ownerId: string, resource: ResourceInput): Promise<ResolvedResource> {
  if (resource.type === 'account') return { type: 'account', groupId: null, environmentId: null, name: undefined };
  if (resource.type === 'group') {
    const [group] = await db
      .select({ id: groups.id, name: groups.name })
      .from(groups)
      .where(and(eq(groups.id, resource.id), eq(groups.ownerId, ownerId)))
      .limit(1);
    if (!group) throw notFound('group');
    return { type: 'group', groupId: group.id, environmentId: null, name: group.name };
  }
  const [environment] = await db
    .select({ id: environments.id, displayName: environments.displayName })
    .from(environments)
    .where(and(eq(environments.id, resource.id), eq(environments.ownerId, ownerId), isNull(environments.deletedAt)))
    .limit(1);
  if (!environment) throw notFound('environment');
  return { type: 'environment', groupId: null, environmentId: environment.id, name: environment.displayName };
}

/** How a mail names a share's resource. */
export function describeResource(resource: Pick<ResolvedResource, 'type' | 'name'>, ownerName: string): string {
  if (resource.type === 'account') return `all environments of ${ownerName}'s account`;
  return `the ${resource.type} "${resource.name ?? 'unnamed'}"`;
}
