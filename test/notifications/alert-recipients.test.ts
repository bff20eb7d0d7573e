import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, outbox } from '../../src/db/schema/index.js';
import { alertMembers } from '../../src/notifications/alerts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type Account, createPaidOwner, enrolSecondFactor } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createRunningEnvironment } from '../factories/environments.js';

// alertMembers is the service the environments and trial code call (no route raises an alert on demand): called as
// they do, in a transaction; what reached the members is read from the outbox and their notifications.
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function raise(owner: Account, environmentId: string): Promise<string[]> {
  const alerted = await t.ctx.db.transaction((tx) => alertMembers(tx, t.ctx, owner.id, { environmentId, title: 'prod failed', body: 'The restart failed.', initiator: { kind: 'system' } }));
  return alerted.map((member) => member.email).sort();
}

const alertsOf = async (account: Account) => ({
  mails: await t.ctx.db.$count(outbox, and(eq(outbox.toAddress, account.email), eq(outbox.kind, 'environment.alert'))),
  notices: await t.ctx.db.$count(notifications, and(eq(notifications.userId, account.id), eq(notifications.type, 'environment.alert'))),
});

describe('environment alerts and the two-factor policy', () => {
  it('skip members the owner locks out for lack of a second factor, until they enrol', async () => {
    const owner = await createPaidOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const enrolled = await inviteAndAccept(t, owner);
    const locked = await inviteAndAccept(t, owner);
    for (const member of [enrolled, locked]) await share(t, owner, member.memberId, { type: 'account' }, ['admin']);
    await enrolSecondFactor(t, enrolled);
    // Without the policy both hear of it.
    expect(await raise(owner, env.id)).toEqual([enrolled.email, locked.email].sort());

    expect((await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: true })).status).toBe(200);
    const before = await alertsOf(locked);
    expect(await raise(owner, env.id)).toEqual([enrolled.email]);
    expect(await alertsOf(locked)).toEqual(before);
    expect((await t.http.as(locked).get(`/api/v1/environments/${env.id}`)).body.code).toBe('two_factor_required');

    // Once it enrols, it hears of the next one.
    await enrolSecondFactor(t, locked);
    expect(await raise(owner, env.id)).toEqual([enrolled.email, locked.email].sort());
    expect(await alertsOf(locked)).toEqual({ mails: before.mails + 1, notices: before.notices + 1 });
  });
});
