import { systemRoles, type Permission } from '../../src/access/catalog.js';
import type { AccessSnapshot, AccessTarget, CollaborationState, ShareFacts } from '../../src/access/snapshot.js';
import type { TokenScope } from '../../src/access/token-scope.js';

/** How the subject stands with the owner: a collaboration status, or no collaboration at all. */
export type Membership = CollaborationState | 'none';

/** A team of the owner's members (issue 13): its shares count for each member in it as the member's own. */
export interface TeamFacts {
  id: string;
  /** The user ids of the members in the team (whatever their status: a suspended one stays in, and gets nothing). */
  memberIds: string[];
  shares: ShareFacts[];
}

/** One owner's account as the tests see it: the plain facts, before any loading or indexing. */
export interface World {
  now: Date;
  ownerId: string;
  subjectId: string;
  trialExpired: boolean;
  membership: Membership;
  groups: { id: string; parentId: string | null }[];
  environments: { id: string; groupIds: string[] }[];
  customRoles: { id: string; permissions: Permission[] }[];
  /** The collaboration's shares, whatever its status (the real loader reads none unless it is active). */
  shares: ShareFacts[];
  /** The owner's teams and their shares; absent: none. */
  teams?: TeamFacts[];
  /** The scope of the API token the subject acts through; absent or null: a session, or an unscoped token. */
  tokenScope?: TokenScope | null;
  /** The owner's policy: members must have a second factor (issue 12). Absent: off. */
  ownerRequiresTwoFactor?: boolean;
  /** Whether the subject has a second factor (a confirmed TOTP factor). Absent: none. */
  subjectHasSecondFactor?: boolean;
  /** How many days the API token the subject acts through lives (expiry minus creation). Absent: a session. */
  tokenLifetimeDays?: number;
  /** The owner's policy: the longest an API token acting in its account may live, in days. Absent: no cap. */
  ownerTokenMaxLifetimeDays?: number;
}

/** What a decision is asked about, in the model's terms: an environment by id, a creation destination, the account. */
export type Question = { kind: 'environment'; environmentId: string } | { kind: 'create'; groupId: string | null } | { kind: 'account' };

/** The snapshot `decide()` reads, built as src/collaboration/access-snapshot.ts builds it from the database. */
export function snapshotOf(world: World): AccessSnapshot {
  const rolePermissions = new Map<string, readonly Permission[]>(systemRoles.map((role) => [role.id, role.permissions]));
  for (const role of world.customRoles) rolePermissions.set(role.id, role.permissions);
  return {
    now: world.now,
    subject: {
      id: world.subjectId,
      trialExpired: world.trialExpired,
      scope: world.tokenScope ?? null,
      tokenLifetimeMs: world.tokenLifetimeDays === undefined ? null : world.tokenLifetimeDays * 24 * 3_600_000,
    },
    ownerId: world.ownerId,
    collaboration:
      world.membership === 'none'
        ? null
        : {
            id: 'collaboration',
            status: world.membership,
            lacksRequiredSecondFactor: world.ownerRequiresTwoFactor === true && world.subjectHasSecondFactor !== true,
            tokenMaxLifetimeDays: world.ownerTokenMaxLifetimeDays ?? null,
          },
    // As the loader reads them: the collaboration's own shares, then those of every team it is in, naming the team.
    shares: [...world.shares, ...(world.teams ?? []).filter((team) => team.memberIds.includes(world.subjectId)).flatMap((team) => team.shares.map((s) => ({ ...s, teamId: team.id })))],
    groups: new Map(world.groups.map((group) => [group.id, { ...group }])),
    rolePermissions,
  };
}

/** The target `decide()` takes for a question: an environment comes with the groups it is in. */
export function targetOf(world: World, question: Question): AccessTarget {
  if (question.kind !== 'environment') return question;
  const environment = world.environments.find((e) => e.id === question.environmentId);
  return { kind: 'environment', environmentId: question.environmentId, groupIds: environment?.groupIds ?? [] };
}

/** Every question worth asking about a world: each environment, each creation destination, the account. */
export function questionsOf(world: World): Question[] {
  return [
    ...world.environments.map((e): Question => ({ kind: 'environment', environmentId: e.id })),
    { kind: 'create', groupId: null },
    ...world.groups.map((g): Question => ({ kind: 'create', groupId: g.id })),
    { kind: 'account' },
  ];
}
