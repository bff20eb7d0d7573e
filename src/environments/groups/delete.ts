import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { type AccessPreview, previewOr } from '../../collaboration/arrange/preview.js';
import { beginArrangement, settleArrangement } from '../../collaboration/arrange/settle.js';
import { revokeSharesOn } from '../../collaboration/shares/revoke.js';
import type { AppContext } from '../../context.js';
import { groupEnvironments, groups } from '../../db/schema/index.js';
import { loaded } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { conflict, notFound } from '../../http/errors.js';
import { assertMayArrangeIn } from './access.js';
import { descendants, parentLinks } from './tree.js';
import { environmentsFiledIn, type GroupAuthorized } from './update.js';

/**
 * Deletes a group; its environments stay (they only leave it). A group with subgroups needs `recursive`, which
 * deletes them too, and `env.groups` on each. The shares on deleted groups end as revocations (notice, mail, audit
 * each). An arrangement: refused for anyone but the owner when it would widen anyone's access; `dryRun` previews it.
 */
export async function deleteGroup(ctx: AppContext, authorized: GroupAuthorized, options: { recursive: boolean; dryRun: boolean }): Promise<AccessPreview | null> {
  const now = ctx.clock.now();
  return previewOr(() =>
    ctx.db.transaction(async (tx) => {
      const fresh = loaded(await decideUnderLock(tx, now, authorized, 'everyone'), 'group');
      const { group, snapshot } = fresh.group;
      const doomed = descendants(await parentLinks(tx, group.ownerId), group.id);
      if (doomed.length > 0 && !options.recursive) {
        throw conflict(`The group has ${doomed.length} subgroup(s). Delete them first, or pass recursive=true to delete them too.`);
      }
      for (const subgroup of doomed) assertMayArrangeIn(snapshot, subgroup);
      const all = [...doomed, group.id];
      const filed = await environmentsFiledIn(tx, all);
      const arrangement = await beginArrangement(tx, now, fresh, snapshot, { environmentIds: filed }, options.dryRun);
      const who = { caller: authorized.caller, meta: authorized.meta, action: authorized.rule.action };
      const revokedFor = await revokeSharesOn(tx, ctx, who, group.ownerId, { groupIds: all });
      let environmentsReleased = 0;
      // Children before parents: the parent link refuses to leave orphans.
      for (const groupId of all) {
        const released = await tx.delete(groupEnvironments).where(eq(groupEnvironments.groupId, groupId)).returning();
        environmentsReleased += released.length;
        const [deleted] = await tx.delete(groups).where(eq(groups.id, groupId)).returning({ id: groups.id });
        if (!deleted) throw notFound('group');
      }
      await settleArrangement(arrangement, { environmentIds: filed });
      await recordAudit(tx, {
        at: now,
        actor: authorized.caller.user,
        ownerId: group.ownerId,
        action: authorized.rule.action,
        targetType: 'group',
        targetId: group.id,
        outcome: 'ok',
        requestId: authorized.meta.requestId,
        details: { name: group.name, recursive: options.recursive, subgroups: doomed, environmentsReleased, sharesEndedFor: revokedFor },
      });
      return null;
    }),
  ).finally(() => ctx.wake.mail());
}
