import { and, eq, isNull } from 'drizzle-orm';
import { levelsOf, type Permission, permissions as allPermissions } from '../../access/catalog.js';
import { canSee, decide, effectiveAccess } from '../../access/decide.js';
import { accessTo, groupIdsColumn, outerEnvironmentOwnerId } from '../../access/load/environments.js';
import { isVisible, visibleGroupIds } from '../../access/load/groups.js';
import { findMember, holdsManage } from '../../access/load/members.js';
import { collaborationColumn, type CollaborationVersion, loadAccessSnapshot } from '../../access/load/snapshot.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import { accountLockOf } from './second-factor-lock.js';
import { type Caller, subjectOf } from '../../accounts/caller.js';
import type { Db } from '../../db/client.js';
import { accessRequests, environments, groups, shares, teams, users } from '../../db/schema/index.js';
import { collaboratorCannotOwn, forbidden, missingPermission, notFound, type ProblemError } from '../errors.js';
import type { RequestMeta } from '../request-meta.js';
import type { AccountScope, Authorized, RuleInput } from './authorized.js';
import type { IdSource, ResourceRule, RouteRule } from './rules.js';

/** Reads an id from the validated request; an absent or empty value is undefined. */
function read(input: RuleInput, source: IdSource): string | undefined {
  const part = input[source.from];
  const value = part && typeof part === 'object' ? (part as Record<string, unknown>)[source.field] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An account-only permission (collaboration.manage) is decided at account level wherever it is asked. */
const accountOnly = (permission: Permission) => !levelsOf(permission).includes('direct') && !levelsOf(permission).includes('group');

class Resolver {
  constructor(
    private readonly db: Db,
    private readonly now: Date,
    private readonly into: Authorized,
  ) {}

  private get caller(): Caller {
    return this.into.caller;
  }

  /** The caller's snapshot in an owner's account, read once per request. */
  private async snapshotIn(ownerId: string, collaboration?: CollaborationVersion | null): Promise<AccessSnapshot> {
    const known = this.into.account?.snapshot ?? this.into.environment?.snapshot ?? this.into.group?.snapshot;
    if (known && known.ownerId === ownerId) return known;
    const snapshot = await loadAccessSnapshot(this.db, this.now, subjectOf(this.caller), ownerId, collaboration);
    // A member the owner locks out (no second factor, a token living too long) reached the account: its refusal is
    // audited there.
    const locked = accountLockOf(snapshot);
    if (locked) {
      this.seen(ownerId, 'account', ownerId);
      throw locked;
    }
    return snapshot;
  }

  private seen(ownerId: string, type: string, id: string | null): void {
    this.into.ownerId = ownerId;
    this.into.target = { type, id };
  }

  async account(rule: Extract<ResourceRule, { kind: 'account' }>): Promise<void> {
    const named = read(this.into.input, rule.id);
    const before = this.into.environment?.env.ownerId ?? this.into.group?.group.ownerId;
    if (before !== undefined && named !== undefined && named !== before) throw notFound('account');
    const ownerId = before ?? named ?? this.caller.user.id;
    if (ownerId === this.caller.user.id) {
      const snapshot = await this.snapshotIn(ownerId);
      // The owner holds everything; through a scoped token only what the scope keeps at account level.
      const held = new Set(this.caller.tokenScope ? effectiveAccess(snapshot, { kind: 'account' }).permissions : allPermissions);
      this.seen(ownerId, 'account', ownerId);
      if (rule.needs !== 'member' && !held.has('collaboration.manage')) throw missingPermission('collaboration.manage');
      this.into.account = { owner: this.caller.user, managed: false, held, snapshot };
      return;
    }
    const [owner] = await this.db.select().from(users).where(eq(users.id, ownerId)).limit(1);
    if (!owner) throw notFound('account');
    const snapshot = await this.snapshotIn(owner.id);
    // Only an active member learns anything about the account; anyone else gets what a stranger gets.
    if (snapshot.collaboration?.status !== 'active') throw notFound('account');
    this.seen(owner.id, 'account', owner.id);
    const held = new Set(effectiveAccess(snapshot, { kind: 'account' }).permissions);
    const scope: AccountScope = { owner, managed: held.has('collaboration.manage'), held, snapshot };
    if (rule.needs === 'manager' && !scope.managed) throw missingPermission('collaboration.manage');
    if (rule.needs === 'owner') {
      if (!scope.managed) throw missingPermission('collaboration.manage');
      throw forbidden('Only the account owner can do this: managers manage members and their shares, not the account itself.');
    }
    this.into.account = scope;
  }

  async destination(rule: Extract<ResourceRule, { kind: 'destination' }>): Promise<void> {
    const account = this.into.account;
    if (!account) throw new Error('a destination rule needs an account rule before it');
    if (rule.ownsEnvironments && account.owner.type === 'collaborator') {
      throw collaboratorCannotOwn(account.owner.id === this.caller.user.id ? undefined : 'This account is a collaborator account: it cannot own environments.');
    }
    const groupId = read(this.into.input, rule.id) ?? null;
    if (groupId !== null) {
      const [group] = await this.db
        .select({ id: groups.id })
        .from(groups)
        .where(and(eq(groups.id, groupId), eq(groups.ownerId, account.owner.id)));
      if (!group || !isVisible(await visibleGroupIds(this.db, account.snapshot), group.id)) throw notFound('group');
      this.seen(account.owner.id, 'group', group.id);
    }
    if (!decide(account.snapshot, { kind: 'create', groupId }, rule.permission).allowed) {
      throw missingPermission(rule.permission, groupId ? `This needs the ${rule.permission} permission in this group.` : undefined);
    }
    this.into.destination = { groupId };
  }

  async environment(rule: Extract<ResourceRule, { kind: 'environment' }>): Promise<void> {
    const id = read(this.into.input, rule.id);
    if (id === undefined) {
      if (rule.optional) return;
      throw notFound('environment');
    }
    // One statement: the row, its groups, the caller's collaboration with its owner (the version its access is
    // decided at) and the rule's extra columns; with a cached access snapshot nothing else is read.
    const collaboration = collaborationColumn(outerEnvironmentOwnerId, this.caller.user.id);
    const [found] = await this.db
      .select({ env: environments, groupIds: groupIdsColumn, collaboration, ...(rule.columns ? { columns: rule.columns } : {}) })
      .from(environments)
      // A deleted environment is gone for everyone, its owner included (only metering still reads the row).
      .where(and(eq(environments.id, id), isNull(environments.deletedAt)));
    if (!found) throw notFound('environment');
    const { env, groupIds } = found;
    const snapshot = await this.snapshotIn(env.ownerId, found.collaboration);
    const access = accessTo(snapshot, env, groupIds);
    if (!canSee(access)) throw notFound('environment');
    this.seen(env.ownerId, 'environment', env.id);
    // Kept before the permission is judged, so a refusal's audit event can say which level decided.
    const columns = 'columns' in found ? (found.columns as Record<string, unknown>) : {};
    this.into.environment = { env, groupIds, snapshot, access, columns };
    const held = accountOnly(rule.permission) ? effectiveAccess(snapshot, { kind: 'account' }).permissions : access.permissions;
    if (!held.includes(rule.permission)) throw this.requestable(missingPermission(rule.permission), env.ownerId, { type: 'environment', id: env.id });
  }

  /**
   * A member refused a permission it could be granted is told it may ask for it (issue 13): the problem names where
   * to request access. Not for a scoped token (its own scope refuses), not for the owner (it holds everything).
   */
  private requestable(problem: ProblemError, ownerId: string, resource: { type: 'environment' | 'group'; id: string }): ProblemError {
    if (this.caller.tokenScope || ownerId === this.caller.user.id) return problem;
    const hint = {
      requestable: true,
      request: { method: 'POST', href: '/api/v1/access-requests', body: { ownerId, resource } },
      page: resource.type === 'environment' ? `/environments/${resource.id}?requestAccess=1` : `/access-requests?owner=${ownerId}`,
    };
    return missingPermission(String(problem.extra.permission), `${problem.message} You can request access: the owner or a manager may grant it for a while.`, { accessRequest: hint });
  }

  async group(rule: Extract<ResourceRule, { kind: 'group' }>): Promise<void> {
    const id = read(this.into.input, rule.id);
    const [group] = id === undefined ? [] : await this.db.select().from(groups).where(eq(groups.id, id));
    const owner = this.into.environment?.env.ownerId ?? this.into.account?.owner.id;
    if (!group || (owner !== undefined && group.ownerId !== owner)) throw notFound('group');
    const snapshot = await this.snapshotIn(group.ownerId);
    const visible = await visibleGroupIds(this.db, snapshot);
    if (!isVisible(visible, group.id)) throw notFound('group');
    this.seen(group.ownerId, 'group', group.id);
    if (!decide(snapshot, { kind: 'create', groupId: group.id }, rule.permission).allowed) {
      throw this.requestable(missingPermission(rule.permission, `This needs the ${rule.permission} permission on this group.`), group.ownerId, { type: 'group', id: group.id });
    }
    this.into.group = { group, snapshot, visible };
  }

  async member(rule: Extract<ResourceRule, { kind: 'member' }>): Promise<void> {
    const account = this.into.account;
    if (!account) throw new Error('a member rule needs an account rule before it');
    const id = read(this.into.input, rule.id);
    const member = id === undefined ? null : await findMember(this.db, account.owner.id, id);
    if (!member) throw notFound('member');
    this.seen(account.owner.id, 'collaboration', member.collaboration.id);
    if (rule.manage) await this.assertManages(account, member);
    this.into.member = member;
  }

  /** A manager manages other plain members only: never itself, never another manager (only the owner does). */
  private async assertManages(account: AccountScope, member: NonNullable<Authorized['member']>): Promise<void> {
    if (!account.managed) return;
    if (member.collaboration.memberId === this.caller.user.id) throw forbidden('You cannot manage your own membership; only the owner can.');
    if (await holdsManage(this.db, this.now, member.collaboration)) {
      throw forbidden('This member manages the account too; only the owner manages members who hold collaboration.manage.');
    }
  }

  async accessRequest(rule: Extract<ResourceRule, { kind: 'accessRequest' }>): Promise<void> {
    const account = this.into.account;
    if (!account) throw new Error('an access request rule needs an account rule before it');
    const id = read(this.into.input, rule.id);
    const [request] =
      id === undefined
        ? []
        : await this.db
            .select()
            .from(accessRequests)
            .where(and(eq(accessRequests.id, id), eq(accessRequests.ownerId, account.owner.id)))
            .limit(1);
    const member = request ? await findMember(this.db, account.owner.id, request.collaborationId) : null;
    const mine = member?.collaboration.memberId === this.caller.user.id;
    // The requester's own request, or (to answer it) the owner's and its managers': anyone else learns nothing.
    if (!request || !member || (rule.decides ? account.owner.id !== this.caller.user.id && !account.managed : !mine)) throw notFound('access request');
    this.seen(account.owner.id, 'access_request', request.id);
    if (rule.decides) {
      if (!account.managed && account.owner.id !== this.caller.user.id) throw missingPermission('collaboration.manage');
      await this.assertManages(account, member);
    }
    this.into.member = member;
    this.into.accessRequest = request;
  }

  async team(rule: Extract<ResourceRule, { kind: 'team' }>): Promise<void> {
    const account = this.into.account;
    if (!account) throw new Error('a team rule needs an account rule before it');
    const id = read(this.into.input, rule.id);
    const [team] =
      id === undefined
        ? []
        : await this.db
            .select()
            .from(teams)
            .where(and(eq(teams.id, id), eq(teams.ownerId, account.owner.id)))
            .limit(1);
    if (!team) throw notFound('team');
    this.seen(account.owner.id, 'team', team.id);
    this.into.team = team;
  }

  async share(rule: Extract<ResourceRule, { kind: 'share' }>): Promise<void> {
    const { member, team } = this.into;
    if (!member && !team) throw new Error('a share rule needs a team or member rule before it');
    const id = read(this.into.input, rule.id);
    const holder = team ? eq(shares.teamId, team.id) : eq(shares.collaborationId, member?.collaboration.id ?? '');
    const [share] = id === undefined ? [] : await this.db.select().from(shares).where(and(eq(shares.id, id), holder)).limit(1);
    if (!share) throw notFound('share');
    this.seen(team?.ownerId ?? member?.collaboration.ownerId ?? '', 'share', share.id);
    this.into.share = share;
  }
}

/** A fresh, empty authorization for a request, to be filled by `resolveRule`. */
export function authorizationFor(caller: Caller, meta: RequestMeta, rule: RouteRule, input: RuleInput): Authorized {
  return { caller, meta, rule, input, ownerId: null, target: { type: 'route', id: null } };
}

/**
 * THE way a route reaches what it acts on: loads each resource of its rule for the caller, in order, from `db` (the
 * pool before the handler runs, the write's transaction when it decides again under the lock), and refuses as
 * DESIGN.md says: 404 for what the caller cannot see (exactly like a missing id), 403 naming what it lacks for what
 * it sees. Fills `into` as it goes.
 */
export async function resolveRule(db: Db, now: Date, into: Authorized): Promise<Authorized> {
  const resolver = new Resolver(db, now, into);
  for (const step of into.rule.load) {
    if (step.kind === 'account') await resolver.account(step);
    else if (step.kind === 'destination') await resolver.destination(step);
    else if (step.kind === 'environment') await resolver.environment(step);
    else if (step.kind === 'group') await resolver.group(step);
    else if (step.kind === 'member') await resolver.member(step);
    else if (step.kind === 'accessRequest') await resolver.accessRequest(step);
    else if (step.kind === 'team') await resolver.team(step);
    else await resolver.share(step);
  }
  return into;
}
