import { and, eq } from 'drizzle-orm';
import { groupIdsOf } from '../../access/load/environments.js';
import { type AccessPreview, previewOr } from '../../collaboration/arrange/preview.js';
import { beginArrangement, settleArrangement } from '../../collaboration/arrange/settle.js';
import type { AppContext } from '../../context.js';
import { groupEnvironments } from '../../db/schema/index.js';
import type { GroupFor } from '../../http/authorize/authorized.js';
import { changeEnvironment, type EnvironmentAuthorized, presentChanged } from '../change.js';
import type { EnvironmentView } from '../schemas.js';

/**
 * Puts an environment into one of its owner's groups, or takes it out (`env.groups` on the environment and on the
 * group: the route's rule). Both are idempotent. Filing is an arrangement: for anyone but the owner it is refused
 * when it would widen anyone's access, and `dryRun` previews it. The answer is the environment, whose groups — and
 * so the caller's access — changed.
 */
export async function setGroupMembership(
  ctx: AppContext,
  authorized: EnvironmentAuthorized & { group: GroupFor },
  member: boolean,
  dryRun: boolean,
): Promise<EnvironmentView | AccessPreview> {
  const groupId = authorized.group.group.id;
  return previewOr(async () => {
    const spec = { fits: 'groups', change: 'everyone' } as const;
    const { loaded, env, result: groupIds } = await changeEnvironment(ctx, authorized, spec, async (tx, current, now, fresh) => {
      const part = { environmentIds: [current.id] };
      const arrangement = await beginArrangement(tx, now, fresh, fresh.environment.snapshot, part, dryRun);
      if (member) {
        await tx.insert(groupEnvironments).values({ groupId, environmentId: current.id }).onConflictDoNothing();
      } else {
        await tx.delete(groupEnvironments).where(and(eq(groupEnvironments.groupId, groupId), eq(groupEnvironments.environmentId, current.id)));
      }
      await settleArrangement(arrangement, part);
      const filed = (await groupIdsOf(tx, [current.id])).get(current.id) ?? [];
      return { env: current, result: filed, details: { groupId, groupName: authorized.group.group.name } };
    });
    return presentChanged(ctx, loaded, env, groupIds);
  });
}
