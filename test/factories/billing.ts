import { eq, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { balances, type EnvironmentStatus, environments, usageRecords } from '../../src/db/schema/index.js';
import type { TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createAdmin } from '../factories.js';
import { createVerifiedOwner } from './collaboration.js';

export interface NodeInput {
  role: string;
  image?: string;
  count: number;
  cloudlets: number;
}

export interface TestEnvironment {
  id: string;
  name: string;
}

/** A DNS-label environment name no other test uses. */
export function uniqueEnvName(label = 'env'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

const withImages = (nodes: NodeInput[]) => nodes.map((node) => ({ image: 'nginx:1.27', ...node }));

/** Waits until the runtime worker has settled the environment in `status`. */
export async function waitForStatus(t: TestApp, environmentId: string, status: EnvironmentStatus, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await t.ctx.db.select({ status: environments.status }).from(environments).where(eq(environments.id, environmentId));
    if (row?.status === status) return;
    if (Date.now() > deadline) throw new Error(`environment ${environmentId} is ${row?.status ?? 'gone'}, not ${status}`);
    t.ctx.wake.runtime();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Creates an environment through POST /api/v1/environments (in `ownerId`'s account when given) and waits until the
 * runtime has it running: its run opens at the clock's now.
 */
export async function createRunningEnvironment(
  t: TestApp,
  as: Account,
  options: { name?: string; nodes?: NodeInput[]; ownerId?: string; groupId?: string } = {},
): Promise<TestEnvironment> {
  const name = options.name ?? uniqueEnvName();
  const answer = await t.http.as(as).post('/api/v1/environments', {
    name,
    nodes: withImages(options.nodes ?? [{ role: 'app', count: 1, cloudlets: 4 }]),
    ...(options.ownerId ? { ownerId: options.ownerId } : {}),
    ...(options.groupId ? { groupId: options.groupId } : {}),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  await waitForStatus(t, answer.body.id, 'running');
  return { id: answer.body.id, name };
}

/** Starts, stops, restarts or deletes an environment through the API and waits for the runtime to settle it. */
export async function lifecycle(t: TestApp, as: Account, environmentId: string, action: 'start' | 'stop' | 'restart'): Promise<void> {
  const answer = await t.http.as(as).post(`/api/v1/environments/${environmentId}/${action}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  await waitForStatus(t, environmentId, action === 'stop' ? 'stopped' : 'running');
}

/** Changes an environment's topology through the API (node counts and cloudlets). */
export async function changeTopology(t: TestApp, as: Account, environmentId: string, nodes: NodeInput[]): Promise<void> {
  const answer = await t.http.as(as).put(`/api/v1/environments/${environmentId}/topology`, { nodes: withImages(nodes) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

const admins = new WeakMap<TestApp, Promise<Account>>();

/** The platform admin of a test app, made on first use. */
export function adminOf(t: TestApp): Promise<Account> {
  let admin = admins.get(t);
  if (!admin) {
    admin = createAdmin(t);
    admins.set(t, admin);
  }
  return admin;
}

/** Converts an account through the admin API (`paid` or `collaborator`). */
export async function convertAccount(t: TestApp, account: Pick<Account, 'id'>, type: 'paid' | 'collaborator'): Promise<void> {
  const answer = await t.http.as(await adminOf(t)).post(`/api/v1/admin/users/${account.id}/convert`, { type });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** A verified owner on a paid account: tests that move the clock by weeks must not end its trial. */
export async function createPaidOwner(t: TestApp, label = 'owner'): Promise<Account> {
  const owner = await createVerifiedOwner(t, label);
  await convertAccount(t, owner, 'paid');
  return owner;
}

/** Delivers all due mail now, so the background mail worker changes nothing while a test compares the database. */
export async function drainMail(t: TestApp): Promise<void> {
  if (!t.workers) return;
  while ((await t.workers.mail.runOnce()) > 0);
}

/** Asserts that `act` changes no business table, once the mail already queued has gone out. */
export async function expectUnchanged(t: TestApp, act: () => Promise<unknown>): Promise<void> {
  await drainMail(t);
  await expectNoChange(t, act);
}

/**
 * Stops the automatic passes of the metering and trial loops (runOnce still works), so that a pass happens only
 * where the test runs one and never in the middle of a before/after comparison.
 */
export async function manualBillingWorkers(t: TestApp): Promise<void> {
  await t.workers?.metering.stop();
  await t.workers?.trial.stop();
}

/** Runs one pass of this app's metering worker. */
export async function meter(t: TestApp): Promise<number> {
  if (!t.workers) throw new Error('start the test app with workers to meter');
  return t.workers.metering.runOnce();
}

/** The usage rows of one environment, oldest hour first. */
export async function usageOf(t: TestApp, environmentId: string) {
  return t.ctx.db.select().from(usageRecords).where(eq(usageRecords.environmentId, environmentId)).orderBy(usageRecords.hour);
}

/** An account's balance as stored, '0' when metering never touched it. */
export async function storedBalance(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.ctx.db.select({ amount: balances.amount }).from(balances).where(eq(balances.userId, userId));
  return row?.amount ?? '0';
}

/** The balance as the API shows it to `account`. */
export async function balanceOf(t: TestApp, account: Account, ownerId?: string): Promise<string> {
  const answer = await t.http.as(account).get('/api/v1/billing/balance', { query: { ownerId } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.amount;
}

/** A custom role of the owner, through POST /api/v1/roles. Returns its id. */
export async function createRole(t: TestApp, owner: Account, permissions: string[], receiveAlerts = false): Promise<string> {
  const name = `Role ${randomBytes(3).toString('hex')}`;
  const answer = await t.http.as(owner).post('/api/v1/roles', { name, permissions, receiveAlerts });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

/** Suspends a member (the owner's side) or leaves (the member's side) through the API. */
export async function endMembership(t: TestApp, how: 'suspend' | 'leave', owner: Account, member: Account, memberId: string): Promise<void> {
  const answer =
    how === 'suspend'
      ? await t.http.as(owner).post(`/api/v1/collaboration/members/${memberId}/suspend`)
      : await t.http.as(member).post(`/api/v1/collaborations/${memberId}/leave`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Moves a trial's end through the admin API; the account becomes a trial ending then. */
export async function setTrialEnd(t: TestApp, account: Pick<Account, 'id'>, endsAt: Date): Promise<void> {
  const answer = await t.http.as(await adminOf(t)).post(`/api/v1/admin/users/${account.id}/trial`, { endsAt: endsAt.toISOString() });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Sums numeric strings exactly, in the database, as money is summed everywhere else. */
export async function sumMoney(t: TestApp, amounts: string[]): Promise<string> {
  if (amounts.length === 0) return '0.000000';
  const values = sql.join(
    amounts.map((amount) => sql`(${amount}::numeric)`),
    sql`, `,
  );
  const result = (await t.ctx.db.execute(sql`select coalesce(sum(v), 0)::numeric(18, 6)::text as s from (values ${values}) as x(v)`)) as unknown as {
    rows: Array<{ s: string }>;
  };
  return result.rows[0]?.s ?? '0.000000';
}
