/**
 * The state a sequence of the sequence test carries, and how an operation's numbers pick from it: who acts (the
 * owner or a member, aimed at those holding what the operation needs), and which group, environment or role.
 */
import type { Permission } from '../../src/access/catalog.js';
import type { Answer } from '../support/http.js';
import { type AccountMember, type AccountModel } from './model.js';
import type { CastMember, Stage } from './sequence-cast.js';
import type { Question } from './world.js';
import { type Actor, type Outcome, permissionsOf, permissionsOfRoles } from './sequence-rules.js';

export interface Sequence {
  stage: Stage;
  model: AccountModel;
  /** Each member's collaboration id: the current one, or the last one it had (a removed member's id is a 404). */
  collaborationIds: Map<string, string>;
  /** Ids of groups and environments that are gone: asked about now and then, they must be 404. */
  gone: { groups: string[]; environments: string[] };
  /** Ids of deleted teams, asked about now and then (a 404). */
  goneTeams?: string[];
  names: number;
  /** Shares made by approving access requests: temporary, they sit beside a standing share on the same resource. */
  requestShares?: Set<string>;
  /** The current step aims: its actor and targets are drawn among those holding what the operation needs. */
  aiming: boolean;
  /** The current step's member acts through its scoped API token, when it has one. */
  viaToken?: boolean;
  /** Milliseconds spent waiting for the runtime (profiling). */
  settled?: number;
}

/** What a step did, for the invariants and the log. */
export interface StepRecord {
  kind: string;
  text: string;
  /** A member's key when a member acted; 'owner', 'platform' (the billing team) or 'time' otherwise. */
  by: string;
  outcome: Outcome;
  acceptedStep: boolean;
  /** An entitled grant: a manager giving `memberKey` at most `limit` (its own account-level permissions). */
  grant?: { memberKey: string; limit: Set<Permission> };
  /** A clone: its id and its source's, so the clone can be compared with the source. */
  clone?: { id: string; sourceId: string };
}

export const nodes = [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }];
export const nth = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

export function castOf(seq: Sequence, n: number): CastMember {
  return seq.stage.members[n % seq.stage.members.length] as CastMember;
}

export function modelMember(model: AccountModel, cast: CastMember): AccountMember {
  const found = model.members.find((m) => m.userId === cast.account.id);
  if (!found) throw new Error(`${cast.key} is not in the model`);
  return found;
}

export interface Acting {
  actor: Actor;
  by: string;
  http: ReturnType<Stage['t']['http']['as']>;
  /** `?ownerId=` for a member acting in the owner's account. */
  ownerQuery: Record<string, string>;
}

export function acting(seq: Sequence, pick: number, needs?: Permission): Acting {
  if (pick === 0) return { actor: { owner: true }, by: 'owner', http: seq.stage.t.http.as(seq.stage.owner), ownerQuery: {} };
  // Aiming, the actor is one of the members holding what the operation needs somewhere (when there is one): the
  // steps then reach the arrangement and manager rules instead of stopping at a missing permission.
  const holders = needs && seq.aiming ? seq.stage.members.filter((m) => holdsSomewhere(seq.model, modelMember(seq.model, m), needs)) : [];
  const cast = holders.length > 0 ? (nth(holders, pick - 1) as CastMember) : castOf(seq, pick - 1);
  const token = seq.viaToken ? cast.token : undefined;
  const member = modelMember(seq.model, cast);
  return {
    // Through a token the member is judged by the scope ∩ its access everywhere: gates, grants and what it sees.
    actor: { owner: false, member: token ? { ...member, tokenScope: token.scope } : member },
    by: token ? `${cast.key} token` : cast.key,
    http: seq.stage.t.http.as(token ? token.secret : cast.account),
    ownerQuery: { ownerId: seq.stage.owner.id },
  };
}

export function holdsSomewhere(model: AccountModel, member: AccountMember, permission: Permission): boolean {
  const questions: Question[] = [
    { kind: 'account' },
    { kind: 'create', groupId: null },
    ...model.groups.map((g): Question => ({ kind: 'create', groupId: g.id })),
    ...model.environments.map((e): Question => ({ kind: 'environment', environmentId: e.id })),
  ];
  return questions.some((q) => permissionsOf(model, { owner: false, member }, q).has(permission));
}

export const roleIdsOf = (model: AccountModel) => ['viewer', 'operator', 'developer', 'admin', ...model.customRoles.map((r) => r.id)];
/** Roles by pick; aiming for a manager, among the roles within its own account-level permissions when there are any. */
export function rolesFrom(seq: Sequence, picks: number[], limit: ReadonlySet<Permission> | null): string[] {
  const all = roleIdsOf(seq.model);
  const within = limit && seq.aiming ? all.filter((id) => [...permissionsOfRoles(seq.model, [id])].every((p) => limit.has(p))) : [];
  const from = within.length > 0 ? within : all;
  return [...new Set(picks.map((p) => nth(from, p) ?? 'viewer'))];
}

/**
 * A group or environment id: now and then one that is gone (which must be a 404 for everyone). Aiming for an actor,
 * among those where it holds `permission` when there are any.
 */
export function groupPick(seq: Sequence, n: number, a?: Acting, permission?: Permission, besides: readonly string[] = []): string | undefined {
  if (n % 11 === 10 && seq.gone.groups.length > 0) return nth(seq.gone.groups, n);
  const actor = a?.actor;
  const aimed =
    seq.aiming && actor && permission
      ? seq.model.groups.filter((g) => !besides.includes(g.id) && permissionsOf(seq.model, actor, { kind: 'create', groupId: g.id }).has(permission))
      : [];
  return nth(aimed.length > 0 ? aimed : seq.model.groups, n)?.id;
}
export function environmentPick(seq: Sequence, n: number, a?: Acting, permission?: Permission): string | undefined {
  if (n % 11 === 10 && seq.gone.environments.length > 0) return nth(seq.gone.environments, n);
  const actor = a?.actor;
  const aimed =
    seq.aiming && actor && permission
      ? seq.model.environments.filter((e) => permissionsOf(seq.model, actor, { kind: 'environment', environmentId: e.id }).has(permission))
      : [];
  return nth(aimed.length > 0 ? aimed : seq.model.environments, n)?.id;
}

export const describe = (label: string, value: string | undefined | null) => `${label} ${value === undefined ? '-' : value === null ? 'top' : value.slice(-6)}`;

export interface Planned {
  /** The operation actually planned (one whose target is missing falls back to a related one). */
  kind?: string;
  text: string;
  expected: Outcome;
  send: () => Promise<Answer>;
  /** The model after the change, when accepted; `answer` is the accepted answer's body. */
  apply?: (answer: Answer) => void;
  grant?: StepRecord['grant'];
  settle?: boolean;
  clone?: (answer: Answer) => StepRecord['clone'];
}

