/**
 * DESIGN.md sections 6 and 6b over sequences of operations: random actors — the owner, managers, members holding
 * env.groups somewhere, suspended members, a member whose trial ends, and members acting through scoped API tokens
 * (scope ∩ access, issue 12; sequence-cast.ts names the scopes) — perform random operations through the real
 * HTTP app (sequence-ops.ts), teams among them (issue 13, sequence-teams.ts: the owner's teams, their members and
 * shares, which count with each member's own at every level). Every answer must be the one the reference model predicts (sequence-rules.ts), and
 * after every step:
 * - each member's permissions on each environment, on the account and where it may create, as the server decides
 *   them from the database (sequence-cast.ts: readRealAccess), equal the model's;
 * - no escalation: a step by anyone but the owner never gives anyone a permission on an environment (or the
 *   account) it did not hold, unless the step is a grant by a manager to that member within the manager's own
 *   account-level permissions; a clone gives nobody more than it held on the source; a refused step changes nothing.
 * At the end of each sequence each member's GET /environments, and its token's, must say the same.
 *
 * MODEL_RUNS (sequences, default 300), MODEL_STEPS (default 25) and MODEL_SEED replay or lengthen a run;
 * `npm run test:model -- --runs 5000 --seed 42` does the same. MODEL_SHRINK=1 shrinks a failure to a shorter one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../src/access/catalog.js';
import { HOUR } from '../../src/clock.js';
import { type AccountModel, memberWorld, modelAccess, onEnvironmentAt, PLACE_PERMISSIONS } from './model.js';
import { accessDigest, MEMBERS, openStage, type PermissionsByEnvironment, type RealAccess, readListings, readRealAccess, resetStage, type Stage, START } from './sequence-cast.js';
import { type Op, sequenceArb, trialEndArb } from './sequence-ops.js';
import { modelMember, perform, type Sequence, type StepRecord } from './sequence-steps.js';

const SEQUENCES = Number(process.env.MODEL_RUNS ?? 300);
const STEPS = Number(process.env.MODEL_STEPS ?? 25);
const SEED = Number(process.env.MODEL_SEED ?? Date.now() % 2_147_483_647);
const SHRINK = process.env.MODEL_SHRINK === '1';

let stage: Stage;
beforeAll(async () => {
  stage = await openStage();
}, 120_000);
afterAll(() => stage?.t.close());

const sorted = (values: Iterable<string>) => [...values].sort();
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** The model's reading of the same moment, in readRealAccess's shape. */
function modelReading(model: AccountModel): RealAccess {
  const environments: RealAccess['environments'] = {};
  const places: RealAccess['places'] = {};
  const teamShares = new Set(model.teams.flatMap((team) => team.shares.map((s) => s.id)));
  for (const cast of stage.members) {
    const world = memberWorld(model, modelMember(model, cast));
    const onEnvironments: PermissionsByEnvironment = {};
    const onPlaces: Record<string, string[]> = {};
    environments[cast.key] = onEnvironments;
    places[cast.key] = onPlaces;
    for (const env of model.environments) {
      const answer = modelAccess(world, { kind: 'environment', environmentId: env.id });
      if (answer.permissions.size > 0) onEnvironments[env.id] = sorted(answer.permissions);
      // The readings must reach access that a team share decides, or teams would be checked in name only.
      if ([...answer.shareIds].some((id) => teamShares.has(id))) count(`reading: ${answer.level} access through a team`);
    }
    const questions = [
      ['account', { kind: 'account' as const }],
      ['root', { kind: 'create' as const, groupId: null }],
      ...model.groups.map((g) => [`group:${g.id}`, { kind: 'create' as const, groupId: g.id }] as const),
    ] as const;
    for (const [name, question] of questions) {
      const held = modelAccess(world, question).permissions;
      if (held.size > 0) onPlaces[name] = sorted(held);
    }
  }
  return { environments, places, environmentIds: sorted(model.environments.map((e) => e.id)) };
}

/** What a member holds on an environment or the account that it did not hold before, beyond an entitled grant. */
function escalations(before: RealAccess, after: RealAccess, step: StepRecord): string[] {
  if (!step.acceptedStep) return canonical(before) === canonical(after) ? [] : ['a refused step changed access'];
  if (step.by === 'owner' || step.by === 'platform' || step.by === 'time') return [];
  const found: string[] = [];
  for (const cast of stage.members) {
    const allowed = step.grant?.memberKey === cast.key ? step.grant.limit : new Set<Permission>();
    const compare = (what: string, had: readonly string[] = [], has: readonly string[] = []) => {
      const gained = has.filter((p) => !had.includes(p) && !PLACE_PERMISSIONS.includes(p as Permission) && !allowed.has(p as Permission));
      if (gained.length > 0) found.push(`${cast.key} gained ${gained.join(', ')} on ${what}`);
    };
    for (const environmentId of before.environmentIds) compare(`environment ${environmentId}`, before.environments[cast.key]?.[environmentId], after.environments[cast.key]?.[environmentId]);
    if (step.clone) compare(`the clone ${step.clone.id} (its source ${step.clone.sourceId})`, before.environments[cast.key]?.[step.clone.sourceId], after.environments[cast.key]?.[step.clone.id]);
    compare('the account', before.places[cast.key]?.account, after.places[cast.key]?.account);
  }
  return found;
}

/**
 * Dormant access: what a suspended member, or one whose trial has ended, would hold once woken (re-activated, its
 * trial extended). A step by anyone but the owner must not widen that either, or an arrangement made while a member
 * sleeps would hand it access nobody granted the moment the owner or the billing team wakes it.
 */
function dormantEscalations(before: AccountModel, after: AccountModel, step: StepRecord): string[] {
  if (!step.acceptedStep || step.by === 'owner' || step.by === 'platform' || step.by === 'time') return [];
  const found: string[] = [];
  for (const cast of stage.members) {
    const [was, is] = [modelMember(before, cast), modelMember(after, cast)];
    const asleep = (m: AccountModel['members'][number], model: AccountModel) =>
      m.membership === 'suspended' || (m.membership === 'active' && m.trialEndsAt !== null && m.trialEndsAt.getTime() <= model.now.getTime());
    if (!asleep(was, before) || !asleep(is, after)) continue;
    const allowed = step.grant?.memberKey === cast.key ? step.grant.limit : new Set<Permission>();
    const awake = (m: AccountModel['members'][number]) => ({ ...m, membership: 'active' as const, trialEndsAt: null });
    for (const env of before.environments) {
      if (!after.environments.some((e) => e.id === env.id)) continue;
      const had = onEnvironmentAt(before, awake(was), env.id);
      const gained = [...onEnvironmentAt(after, awake(is), env.id)].filter((p) => !had.has(p) && !allowed.has(p));
      if (gained.length > 0) found.push(`${cast.key} (${was.membership === 'suspended' ? 'suspended' : 'trial ended'}) would gain ${gained.join(', ')} on environment ${env.id} once woken`);
    }
  }
  return found;
}

/** Each member's listing (and its token's) as the model predicts it: the environments it sees, or trial_expired. */
function expectedListings(model: AccountModel): Record<string, PermissionsByEnvironment | { status: number; code: string }> {
  const listings: Record<string, PermissionsByEnvironment | { status: number; code: string }> = {};
  for (const cast of stage.members) {
    const member = modelMember(model, cast);
    const listers = [{ key: cast.key, as: member }, ...(cast.token ? [{ key: `${cast.key} token`, as: { ...member, tokenScope: cast.token.scope } }] : [])];
    for (const lister of listers) {
      if (member.trialEndsAt !== null && member.trialEndsAt.getTime() <= model.now.getTime()) {
        listings[lister.key] = { status: 403, code: 'trial_expired' };
        continue;
      }
      const world = memberWorld(model, lister.as);
      const seen: PermissionsByEnvironment = {};
      for (const env of model.environments) {
        const held = modelAccess(world, { kind: 'environment', environmentId: env.id }).permissions;
        if (held.has('env.view')) seen[env.id] = sorted(held);
      }
      listings[lister.key] = seen;
    }
  }
  return listings;
}

const tally = new Map<string, number>();
const spent = new Map<string, number>();
const time = (what: string, since: number) => spent.set(what, (spent.get(what) ?? 0) + performance.now() - since);
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

async function runSequence(trialEndHours: number, ops: Op[]): Promise<void> {
  const trialEndsAt = new Date(START.getTime() + trialEndHours * HOUR);
  const resetting = performance.now();
  await resetStage(stage, trialEndsAt);
  time('reset', resetting);
  const seq: Sequence = {
    stage,
    model: {
      now: START,
      ownerId: stage.owner.id,
      groups: [],
      environments: [],
      customRoles: [],
      members: stage.members.map((m) => ({ userId: m.account.id, membership: 'active', trialEndsAt: m.trial ? trialEndsAt : null, shares: [] })),
      teams: [],
    },
    collaborationIds: new Map(stage.members.map((m) => [m.account.id, m.collaborationId])),
    gone: { groups: [], environments: [] },
    names: 0,
    aiming: false,
  };
  const log: string[] = [];
  const fail = (why: string): never => {
    throw new Error(`${why}\n  steps:\n    ${log.join('\n    ')}`);
  };
  let before = await readRealAccess(stage);
  let [lastDigest, readAt] = [await accessDigest(stage), stage.clock.now().getTime()];
  let modelBefore = seq.model;
  for (const [i, op] of ops.entries()) {
    let step: StepRecord;
    try {
      const began = performance.now();
      modelBefore = structuredClone(seq.model);
      step = await perform(seq, op);
      time('step', began);
      if (process.env.MODEL_PROFILE) time(`step ${step.kind} ${step.outcome.status}`, began);
    } catch (error) {
      log.push(`${i + 1}. ${(error as Error).message}`);
      return fail(`step ${i + 1}: the server's answer is not the model's`);
    }
    log.push(`${i + 1}. ${step.text} → ${step.outcome.status}${step.outcome.code ? ` ${step.outcome.code}` : ''}`);
    count(`${step.kind} ${step.by === 'owner' ? 'owner' : step.by === 'time' || step.by === 'platform' ? step.by : 'member'} ${step.outcome.status}${step.outcome.code ? ` ${step.outcome.code}` : ''}`);
    if (step.grant) count('grant by a manager');
    if (step.by.endsWith(' token')) count(`via a token ${step.outcome.status}${step.outcome.code ? ` ${step.outcome.code}` : ''}`);
    const reading = performance.now();
    const digest = await accessDigest(stage);
    const unchanged = digest === lastDigest && stage.clock.now().getTime() === readAt;
    const after = unchanged ? before : await readRealAccess(stage);
    count(unchanged ? 'reading: unchanged rows, the previous one stands' : 'reading: read again');
    [lastDigest, readAt] = [digest, stage.clock.now().getTime()];
    time('read', reading);
    const want = modelReading(seq.model);
    if (canonical(after) !== canonical(want)) fail(`after step ${i + 1}, the server's access differs from the model's\n  server: ${canonical(after)}\n  model:  ${canonical(want)}`);
    const escalated = escalations(before, after, step);
    if (escalated.length > 0) fail(`step ${i + 1} escalated access: ${escalated.join('; ')}`);
    const woken = dormantEscalations(modelBefore, seq.model, step);
    if (woken.length > 0) fail(`step ${i + 1} escalated dormant access: ${woken.join('; ')}`);
    before = after;
  }
  spent.set('settle', (spent.get('settle') ?? 0) + (seq.settled ?? 0));
  const listing = performance.now();
  const listings = await readListings(stage);
  time('listings', listing);
  const wanted = expectedListings(seq.model);
  if (canonical(listings) !== canonical(wanted)) fail(`at the end, GET /environments differs from the model\n  server: ${canonical(listings)}\n  model:  ${canonical(wanted)}`);
}

describe('access over sequences of operations (DESIGN.md sections 6 and 6b)', () => {
  it(`${SEQUENCES} sequences of ${STEPS} steps by the owner, managers and members agree with the model and never escalate (seed ${SEED})`, async () => {
    const started = Date.now();
    const cpu = process.cpuUsage();
    try {
      await fc.assert(
        fc.asyncProperty(trialEndArb, sequenceArb(STEPS), (trialEndHours, ops) => runSequence(trialEndHours, ops)),
        { numRuns: SEQUENCES, seed: SEED, endOnFailure: !SHRINK, ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}) },
      );
    } catch (error) {
      console.error(`sequence test failed on ${stage.t.ctx.database.kind}: replay with MODEL_SEED=${SEED} (MODEL_PATH=<the path fast-check prints> for the failing sequence alone, MODEL_SHRINK=1 to shrink)`);
      throw error;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const used = process.cpuUsage(cpu);
    const cpuSeconds = ((used.user + used.system) / 1e6).toFixed(1);
    const lines = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key}: ${n}`);
    console.info(`sequence test on ${stage.t.ctx.database.kind}: ${SEQUENCES} sequences × ${STEPS} steps, ${MEMBERS} members, in ${seconds} s, ${cpuSeconds} s of this process's CPU (seed ${SEED}; ms spent: ${[...spent].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')})\n  ${lines.join('\n  ')}`);
    // The draws must reach the outcomes that matter, or agreeing would prove little.
    const seen = (fragment: string) => [...tally.keys()].some((key) => key.includes(fragment));
    if (SEQUENCES >= 100) {
      for (const fragment of ['would_widen_access', 'missing_permission', 'trial_expired', 'not_found', 'grant by a manager', 'groupMove member 200', 'file member 200', 'via a token 20', 'via a token 403',
        'teamJoin owner 200', 'teamLeave owner 204', 'teamShareCreate owner 201', 'teamShareUpdate owner 200', 'teamShareDelete owner 204', 'teamDelete owner 204',
        'team_share_cannot_manage', 'teamShareCreate member 403', 'direct access through a team', 'group access through a team', 'account access through a team']) {
        expect(seen(fragment), fragment).toBe(true);
      }
    }
  }, 1_800_000);
});
