/**
 * Team steps of the sequence test (sequence-steps.ts, issue 13): teams created and deleted, members put in and taken
 * out, and shares given to a team, changed and deleted — by the owner, and by members (managers included) whom the
 * team routes refuse. The model keeps each team's members (by user id) and shares; `modelAccess` counts them with
 * each member's own shares, so every later step and reading checks what the server makes of them.
 */
import { HOUR } from '../../src/clock.js';
import type { ShareFacts, ShareResource } from '../../src/access/snapshot.js';
import type { TeamFacts } from './world.js';
import type { Op } from './sequence-ops.js';
import type { CastMember } from './sequence-cast.js';
import { accepted, accountGate, permissionsOfRoles, refused } from './sequence-rules.js';
import { acting, castOf, environmentPick, groupPick, modelMember, nth, type Planned, roleIdsOf, type Sequence } from './sequence-picks.js';

export type TeamOp = Extract<Op, { kind: 'teamCreate' | 'teamJoin' | 'teamLeave' | 'teamShareCreate' | 'teamShareUpdate' | 'teamShareDelete' | 'teamDelete' }>;

const TEAM_KINDS: ReadonlySet<string> = new Set(['teamCreate', 'teamJoin', 'teamLeave', 'teamShareCreate', 'teamShareUpdate', 'teamShareDelete', 'teamDelete']);
export const isTeamOp = (op: Op): op is Op & TeamOp => TEAM_KINDS.has(op.kind);

const cannotManage = refused(400, 'team_share_cannot_manage');
const key = (r: ShareResource) => (r.type === 'account' ? 'account' : `${r.type}:${r.id}`);

/** Takes a member out of every team: leaving the account or being removed from it leaves its teams. */
export function leaveTeams(teams: TeamFacts[], userId: string): void {
  for (const team of teams) team.memberIds = team.memberIds.filter((id) => id !== userId);
}

/** Roles for a team share by pick; aiming, among those without collaboration.manage (which a team never holds). */
function teamRoles(seq: Sequence, picks: number[]): string[] {
  const all = roleIdsOf(seq.model);
  const within = seq.aiming ? all.filter((id) => !permissionsOfRoles(seq.model, [id]).has('collaboration.manage')) : [];
  const from = within.length > 0 ? within : all;
  return [...new Set(picks.map((p) => nth(from, p) ?? 'viewer'))];
}

/** A team by pick: now and then one deleted before (a 404 for the owner too). */
function teamPick(seq: Sequence, n: number): { id: string; team?: TeamFacts } | undefined {
  const gone = seq.goneTeams ?? [];
  if (n % 11 === 10 && gone.length > 0) return { id: nth(gone, n) as string };
  const team = nth(seq.model.teams, n);
  return team && { id: team.id, team };
}

export function planTeam(seq: Sequence, op: TeamOp): Planned {
  return { kind: op.kind, ...planTeamOne(seq, op) };
}

function planTeamOne(seq: Sequence, op: TeamOp): Planned {
  const model = seq.model;
  const a = acting(seq, op.actor, 'collaboration.manage');
  // Team routes are the owner's: a manager gets 403 forbidden, any other member what the account gate answers.
  const gate = accountGate(model, a.actor, 'owner');
  if (op.kind === 'teamCreate') {
    const name = `team ${(seq.names += 1)}`;
    return {
      text: `${a.by}: create ${name}`,
      expected: gate ?? accepted(201),
      send: () => a.http.post('/api/v1/collaboration/teams', { name }, { query: a.ownerQuery }),
      apply: (answer) => model.teams.push({ id: answer.body.id, memberIds: [], shares: [] }),
    };
  }
  const picked = teamPick(seq, op.team);
  if (!picked) return planTeam(seq, { kind: 'teamCreate', actor: op.actor });
  const { id: teamId, team } = picked;
  const missing = team ? null : refused(404, 'not_found');
  const teamPath = `/api/v1/collaboration/teams/${teamId}`;
  const label = `team ${teamId.slice(-6)}`;
  switch (op.kind) {
    case 'teamJoin':
    case 'teamLeave': {
      // Aiming, the member is one the step changes: an active one not in the team yet, or one in it.
      const fits = (m: CastMember) => {
        const at = modelMember(model, m);
        const inIt = team?.memberIds.includes(at.userId) ?? false;
        return op.kind === 'teamJoin' ? at.membership === 'active' && !inIt : inIt;
      };
      const aimed = seq.aiming && team ? seq.stage.members.filter(fits) : [];
      const cast = nth(aimed, op.member) ?? castOf(seq, op.member);
      const member = modelMember(model, cast);
      const path = `${teamPath}/members/${seq.collaborationIds.get(cast.account.id) as string}`;
      const inTeam = team?.memberIds.includes(member.userId) ?? false;
      const state =
        member.membership === 'none'
          ? refused(404, 'not_found')
          : op.kind === 'teamJoin'
            ? member.membership === 'active'
              ? accepted(200)
              : refused(409, 'invalid_state')
            : inTeam
              ? accepted(204)
              : refused(404, 'not_found');
      return {
        text: `${a.by}: ${op.kind === 'teamJoin' ? `put ${cast.key} in` : `take ${cast.key} out of`} ${label}`,
        expected: gate ?? missing ?? state,
        send: () => (op.kind === 'teamJoin' ? a.http.put(path, undefined, { query: a.ownerQuery }) : a.http.delete(path, { query: a.ownerQuery })),
        apply: () => {
          if (!team) return;
          if (op.kind === 'teamLeave') team.memberIds = team.memberIds.filter((id) => id !== member.userId);
          else if (!inTeam) team.memberIds.push(member.userId);
        },
      };
    }
    case 'teamShareCreate': {
      let resource: ShareResource | undefined = { type: 'account' };
      if (op.on === 'group') resource = ((id) => (id ? { type: 'group' as const, id } : undefined))(groupPick(seq, op.pick));
      if (op.on === 'environment') resource = ((id) => (id ? { type: 'environment' as const, id } : undefined))(environmentPick(seq, op.pick));
      resource ??= { type: 'account' };
      const roleIds = teamRoles(seq, op.roles);
      const expiresAt = op.expiresInHours === null ? null : new Date(model.now.getTime() + op.expiresInHours * HOUR);
      const exists = resource.type === 'account' || (resource.type === 'group' ? model.groups : model.environments).some((x) => x.id === (resource as { id: string }).id);
      const expected =
        gate ??
        missing ??
        (exists ? null : refused(404, 'not_found')) ??
        (permissionsOfRoles(model, roleIds).has('collaboration.manage') ? cannotManage : null) ??
        (team?.shares.some((s) => key(s.resource) === key(resource)) ? refused(409, 'conflict') : accepted(201));
      return {
        text: `${a.by}: share ${key(resource).slice(-18)} with ${label} as ${roleIds.join('+').slice(0, 40)}${expiresAt ? ` until +${op.expiresInHours} h` : ''}`,
        expected,
        send: () => a.http.post(`${teamPath}/shares`, { resource, roleIds, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) }, { query: a.ownerQuery }),
        apply: (answer) => team?.shares.push({ id: answer.body.id, resource, roleIds, expiresAt }),
      };
    }
    case 'teamShareUpdate':
    case 'teamShareDelete': {
      const share = team && nth(team.shares, op.share);
      if (!team || !share) {
        return planTeam(seq, { kind: 'teamShareCreate', actor: op.actor, team: op.team, on: 'group', pick: op.share, roles: [op.share], expiresInHours: null });
      }
      let roleIds = share.roleIds;
      let expiresAt = share.expiresAt;
      // As for a member's share: with nothing drawn, the same roles are sent again.
      const sendsRoles = op.kind === 'teamShareUpdate' && (op.roles !== null || op.expiry === 'keep');
      if (op.kind === 'teamShareUpdate') {
        roleIds = op.roles ? teamRoles(seq, op.roles) : share.roleIds;
        expiresAt = op.expiry === 'keep' ? share.expiresAt : op.expiry === 'never' ? null : new Date(model.now.getTime() + op.expiry * HOUR);
      }
      const expected =
        gate ?? (sendsRoles && permissionsOfRoles(model, roleIds).has('collaboration.manage') ? cannotManage : null) ?? accepted(op.kind === 'teamShareUpdate' ? 200 : 204);
      const body = { ...(sendsRoles ? { roleIds } : {}), ...(op.kind === 'teamShareUpdate' && op.expiry !== 'keep' ? { expiresAt: expiresAt?.toISOString() ?? null } : {}) };
      const path = `${teamPath}/shares/${share.id}`;
      return {
        text: `${a.by}: ${op.kind === 'teamShareUpdate' ? `change share ${share.id.slice(-6)} of ${label} to ${JSON.stringify(body).slice(0, 80)}` : `delete share ${share.id.slice(-6)} of ${label}`}`,
        expected,
        send: () => (op.kind === 'teamShareUpdate' ? a.http.patch(path, body, { query: a.ownerQuery }) : a.http.delete(path, { query: a.ownerQuery })),
        apply: () => {
          team.shares =
            op.kind === 'teamShareDelete' ? team.shares.filter((s) => s.id !== share.id) : team.shares.map((s): ShareFacts => (s.id === share.id ? { ...s, roleIds, expiresAt } : s));
        },
      };
    }
    case 'teamDelete':
      return {
        text: `${a.by}: delete ${label}`,
        expected: gate ?? missing ?? accepted(204),
        send: () => a.http.delete(teamPath, { query: a.ownerQuery }),
        apply: () => {
          model.teams = model.teams.filter((t) => t.id !== teamId);
          (seq.goneTeams ??= []).push(teamId);
        },
      };
  }
}
