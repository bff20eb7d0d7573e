/**
 * The operations of the sequence test, drawn by fast-check as plain numbers and turned into requests against the
 * state of the moment: who acts (the owner or a member), on which group, environment, share, role or member.
 * Each operation names the answer the reference model expects (sequence-rules.ts) and changes the model the way
 * the accepted request changed the account.
 */
import fc from 'fast-check';
import { permissions, type Permission } from '../../src/access/catalog.js';

/** 0 is the owner; 1..6 the members m0..m5. */
export type ActorPick = number;

export type Op = BaseOp & {
  /** Draw the actor and targets among those holding what the operation needs (most steps), or from everyone. */
  aim?: boolean;
  /** A member with a scoped API token acts through it (its scope ∩ its access), not its session. */
  token?: boolean;
};

type BaseOp =
  | { kind: 'wait'; hours: number; toNextExpiry: boolean }
  | { kind: 'groupCreate'; actor: ActorPick; parent: number | null }
  | { kind: 'groupMove'; actor: ActorPick; group: number; parent: number | null }
  | { kind: 'groupDelete'; actor: ActorPick; group: number; recursive: boolean }
  | { kind: 'file' | 'unfile'; actor: ActorPick; env: number; group: number }
  | { kind: 'envCreate'; actor: ActorPick; group: number | null }
  | { kind: 'envClone' | 'envDelete' | 'envTransfer'; actor: ActorPick; env: number }
  | { kind: 'shareCreate'; actor: ActorPick; member: number; on: 'account' | 'group' | 'environment'; pick: number; roles: number[]; expiresInHours: number | null }
  | { kind: 'shareUpdate'; actor: ActorPick; member: number; share: number; roles: number[] | null; expiry: 'keep' | 'never' | number }
  | { kind: 'shareDelete'; actor: ActorPick; member: number; share: number }
  /** A member asks for roles on an environment it sees for some hours; the actor approves it (issue 13). */
  | { kind: 'requestApprove'; actor: ActorPick; member: number; pick: number; roles: number[]; hours: number }
  | { kind: 'roleCreate'; actor: ActorPick; permissions: Permission[] }
  | { kind: 'roleEdit'; actor: ActorPick; role: number; permissions: Permission[] }
  | { kind: 'roleDelete'; actor: ActorPick; role: number }
  | { kind: 'suspend' | 'activate' | 'unlink' | 'rejoin'; actor: ActorPick; member: number }
  | { kind: 'leave'; member: number }
  /** Teams (issue 13): the owner's; members (managers too) are refused. */
  | { kind: 'teamCreate'; actor: ActorPick }
  | { kind: 'teamJoin' | 'teamLeave'; actor: ActorPick; team: number; member: number }
  | { kind: 'teamShareCreate'; actor: ActorPick; team: number; on: 'account' | 'group' | 'environment'; pick: number; roles: number[]; expiresInHours: number | null }
  | { kind: 'teamShareUpdate'; actor: ActorPick; team: number; share: number; roles: number[] | null; expiry: 'keep' | 'never' | number }
  | { kind: 'teamShareDelete'; actor: ActorPick; team: number; share: number }
  | { kind: 'teamDelete'; actor: ActorPick; team: number }
  | { kind: 'trialEnd'; hours: number };

// The owner acts in about a third of the steps: it builds what the members then try to use or get around.
const actor = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 7, arbitrary: fc.integer({ min: 1, max: 6 }) });
const target = fc.nat({ max: 5 });
// Team routes are the owner's: it acts in most team steps, so teams hold members and shares worth deciding on.
const teamActor = fc.oneof({ weight: 7, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }) });
const teamPick = fc.nat({ max: 3 });
const shareOn = fc.constantFrom('account' as const, 'group' as const, 'group' as const, 'environment' as const);
const pick = fc.nat({ max: 30 });
const maybePick = fc.option(pick, { nil: null, freq: 3 });

// Role sets for custom roles, leaning towards what makes managers with limits and members who arrange.
const roleSet: fc.Arbitrary<Permission[]> = fc.oneof(
  fc.subarray([...permissions], { minLength: 1 }),
  fc.constantFrom<Permission[]>(
    ['collaboration.manage', 'env.view'],
    ['collaboration.manage', 'env.groups', 'env.create', 'env.view'],
    ['collaboration.manage', 'env.groups', 'env.delete', 'env.create'],
    ['env.groups', 'env.view'],
    ['env.groups', 'env.create', 'env.clone'],
    ['env.delete', 'env.logs'],
    ['env.create'],
  ),
);

// Role picks index [viewer, operator, developer, admin, ...custom roles]; the system roles come up most.
const rolePicks = fc.array(fc.nat({ max: 8 }), { minLength: 1, maxLength: 2 });

/** Team steps (issue 13), in the weights the whole sequence draws them with. */
const teamOps: Array<{ weight: number; arbitrary: fc.Arbitrary<BaseOp> }> = [
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('teamCreate' as const), actor: teamActor }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('teamJoin' as const), actor: teamActor, team: teamPick, member: target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('teamLeave' as const), actor: teamActor, team: teamPick, member: target }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('teamShareCreate' as const),
      actor: teamActor,
      team: teamPick,
      on: shareOn,
      pick,
      roles: rolePicks,
      expiresInHours: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null, freq: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('teamShareUpdate' as const),
      actor: teamActor,
      team: teamPick,
      share: pick,
      roles: fc.option(rolePicks, { nil: null }),
      expiry: fc.oneof(fc.constant('keep' as const), fc.constant('never' as const), fc.integer({ min: 1, max: 30 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('teamShareDelete' as const), actor: teamActor, team: teamPick, share: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('teamDelete' as const), actor: teamActor, team: teamPick }) },
];

const baseOpArb: fc.Arbitrary<BaseOp> = fc.oneof(
  // First, so that shrinking turns steps that do not matter into waiting.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.constantFrom(1, 5, 25), toNextExpiry: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('groupCreate' as const), actor, parent: maybePick }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('groupMove' as const), actor, group: pick, parent: maybePick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('groupDelete' as const), actor, group: pick, recursive: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('file' as const), actor, env: pick, group: pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unfile' as const), actor, env: pick, group: pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('envCreate' as const), actor, group: maybePick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('envClone' as const), actor, env: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('envDelete' as const), actor, env: pick }) },
  // Handing an environment to another account (asked, then accepted there): it only ever takes access away here.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('envTransfer' as const), actor, env: pick }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('shareCreate' as const),
      actor,
      member: target,
      on: fc.constantFrom('account' as const, 'group' as const, 'group' as const, 'environment' as const),
      pick,
      roles: rolePicks,
      expiresInHours: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null, freq: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('shareUpdate' as const),
      actor,
      member: target,
      share: pick,
      roles: fc.option(rolePicks, { nil: null }),
      expiry: fc.oneof(fc.constant('keep' as const), fc.constant('never' as const), fc.integer({ min: 1, max: 30 })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('shareDelete' as const), actor, member: target, share: pick }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('requestApprove' as const), actor, member: target, pick, roles: rolePicks, hours: fc.integer({ min: 1, max: 8 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('roleCreate' as const), actor, permissions: roleSet }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('roleEdit' as const), actor, role: pick, permissions: roleSet }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('roleDelete' as const), actor, role: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('suspend' as const, 'activate' as const), actor, member: target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('unlink' as const, 'rejoin' as const), actor, member: target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), member: target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trialEnd' as const), hours: fc.constantFrom(0, 3, 48) }) },
  ...teamOps,
);

export const opArb: fc.Arbitrary<Op> = fc.tuple(baseOpArb, fc.nat({ max: 9 }), fc.nat({ max: 9 })).map(([op, aim, token]): Op => ({ ...op, aim: aim < 7, token: token < 3 }));

/**
 * The owner's first moves in a sequence: groups, environments, custom roles and above all shares, so that the
 * members soon hold something to use, arrange or get around. Still drawn at random, and still steps like any other.
 */
export const buildOpArb: fc.Arbitrary<Op> = fc
  .oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('groupCreate' as const), actor: fc.constant(0), parent: maybePick }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('envCreate' as const), actor: fc.constant(0), group: maybePick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('roleCreate' as const), actor: fc.constant(0), permissions: roleSet }) },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('shareCreate' as const),
        actor: fc.constant(0),
        member: target,
        on: fc.constantFrom('account' as const, 'group' as const, 'group' as const, 'environment' as const),
        pick,
        roles: rolePicks,
        expiresInHours: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null, freq: 4 }),
      }),
    },
    // A team with members and shares (with no team yet, each of these creates one first).
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('teamJoin' as const), actor: fc.constant(0), team: teamPick, member: target }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('teamShareCreate' as const),
        actor: fc.constant(0),
        team: teamPick,
        on: shareOn,
        pick,
        roles: rolePicks,
        expiresInHours: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null, freq: 4 }),
      }),
    },
  )
  .map((op): Op => ({ ...op, aim: op.kind.startsWith('team') }));

/** A sequence of `steps` operations: the owner builds for the first third, then anyone acts. */
export const sequenceArb = (steps: number): fc.Arbitrary<Op[]> => {
  const building = Math.min(8, Math.floor(steps / 3));
  return fc
    .tuple(fc.array(buildOpArb, { minLength: building, maxLength: building }), fc.array(opArb, { minLength: steps - building, maxLength: steps - building }))
    .map(([first, then]) => [...first, ...then]);
};

/** The start of a sequence: when the trial member's trial ends, in hours after the start (0: it has ended). */
export const trialEndArb = fc.constantFrom(0, 4, 12, 400);
