import { type AccountFacts, accessDelta, type AccessDelta } from '../../access/account-access.js';
import { canSee } from '../../access/decide.js';
import { type AccountPart, loadAccountFacts } from '../../access/load/account.js';
import { accessTo } from '../../access/load/environments.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import type { Db } from '../../db/client.js';
import type { Authorized } from '../../http/authorize/authorized.js';
import { wouldWidenAccess } from '../../http/errors.js';
import { type AccessChangeView, Previewed, presentChanges, type PreviewReader } from './preview.js';

/** An arrangement under way in its transaction: who arranges, and the account as it was before the change. */
export interface Arrangement {
  tx: Db;
  now: Date;
  /** The fresh authorization (decided under the lock) of whoever arranges. */
  authorized: Authorized;
  /** The arranger's own access in the account before the change: what it may see of the preview. */
  actor: AccessSnapshot;
  before: AccountFacts;
  dryRun: boolean;
}

/** Reads the account before an arrangement; apply the change, then `settleArrangement`. */
export async function beginArrangement(
  tx: Db,
  now: Date,
  authorized: Authorized,
  actor: AccessSnapshot,
  part: AccountPart,
  dryRun: boolean,
): Promise<Arrangement> {
  return { tx, now, authorized, actor, before: await loadAccountFacts(tx, now, actor.ownerId, part), dryRun };
}

function readerOf(arrangement: Arrangement, baselineOf: (id: string) => string): PreviewReader {
  const { actor, before } = arrangement;
  const owner = actor.subject.id === actor.ownerId;
  const environments = new Map(before.environments.map((env) => [env.id, env]));
  return {
    seesMembers: owner || arrangement.authorized.account?.managed === true,
    sees: (environmentId) => {
      if (owner) return true;
      const env = environments.get(baselineOf(environmentId));
      return env !== undefined && canSee(accessTo(actor, env, env.groupIds));
    },
  };
}

function widening(changes: readonly AccessChangeView[], hidden: boolean): string {
  const named = changes
    .slice(0, 3)
    .map((change) => `${change.memberLabel ?? 'a member'} would gain ${change.gained.join(', ')} on ${change.environmentName}`)
    .join('; ');
  const more = hidden ? ' (and access on environments you cannot see)' : '';
  return `Only the owner (signed in, or through an unscoped token) can arrange the account so that someone gains access nobody granted: ${named || 'a member would gain access'}${more}. Ask the owner, or preview with ?dryRun=true.`;
}

/** The refusal of an arrangement by anyone but the owner that gives some active member a permission; null when none gains. */
function wideningRefusal(deltas: readonly AccessDelta[], reader: PreviewReader) {
  const gains = deltas.filter((delta) => delta.gained.length > 0).map((delta) => ({ ...delta, lost: [] }));
  if (gains.length === 0) return null;
  const shown = presentChanges(gains, reader);
  return wouldWidenAccess(widening(shown, shown.length < gains.length), shown);
}

/**
 * Ends an arrangement after its change: measures the account again and compares (DESIGN.md section 6b). A dry run
 * rolls back and answers the preview; for anyone but the owner (a scoped token of the owner included), a change giving any member (a sleeping one as it
 * will stand once woken) a permission it did not hold is 403 `would_widen_access` (rolled back, audited as a
 * refusal) unless the change is a `grant`. Answers the deltas otherwise.
 */
export async function settleArrangement(
  arrangement: Arrangement,
  part: AccountPart,
  options: { baselineOf?: (environmentId: string) => string; grant?: boolean } = {},
): Promise<AccessDelta[]> {
  const baselineOf = options.baselineOf ?? ((id: string) => id);
  const { tx, now, actor, before } = arrangement;
  const after = await loadAccountFacts(tx, now, actor.ownerId, part);
  const deltas = accessDelta(before, after, baselineOf);
  const reader = readerOf(arrangement, baselineOf);
  // A grant (a share created or widened) is judged by the granting limits instead; it is only previewed here. The
  // owner through a scoped token is held to what anyone else is: its scope is all it holds.
  const asOwner = actor.subject.id === actor.ownerId && !actor.subject.scope;
  const refusal = !asOwner && !options.grant ? wideningRefusal(deltas, reader) : null;
  if (arrangement.dryRun) {
    throw new Previewed({
      dryRun: true,
      accessChanges: presentChanges(deltas, reader),
      refusal: refusal ? { code: 'would_widen_access', detail: refusal.message } : null,
    });
  }
  if (refusal) throw refusal;
  return deltas;
}
