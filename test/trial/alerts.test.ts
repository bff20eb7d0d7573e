import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { notifications, outbox } from '../../src/db/schema/index.js';
import { type AlertedMember, alertMembers, type Alert } from '../../src/notifications/alerts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { SmtpCapture } from '../support/smtp.js';
import { type Account, createPaidOwner } from '../factories.js';
import { manualBillingWorkers } from '../factories/billing.js';
import { createRole, endMembership, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createGroup, createRunningEnvironment, type TestEnvironment } from '../factories/environments.js';

// alertMembers is the service the environments and trial code call; no route raises an alert on demand, so these
// tests call it as they do, in a transaction, and read what reached the members through SMTP and the API.
const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600 };
const clock = new ManualClock('2030-07-01T10:00:00Z');
let smtp: SmtpCapture;
let t: TestApp;
let owner: Account;
let env: TestEnvironment;
let other: TestEnvironment;
let production: { id: string };

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startTestApp({ smtp, clock, config });
  await manualBillingWorkers(t);
  owner = await createPaidOwner(t, 'alerting-owner');
  production = await createGroup(t, owner, { name: 'Production' });
  env = await createRunningEnvironment(t, owner, { name: 'alert-prod', groupId: production.id });
  other = await createRunningEnvironment(t, owner, { name: 'alert-other' });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

async function raise(alert: Omit<Alert, 'initiator'>): Promise<string[]> {
  const alerted: AlertedMember[] = await t.ctx.db.transaction((tx) => alertMembers(tx, t.ctx, owner.id, { ...alert, initiator: { kind: 'system' } }));
  t.ctx.wake.mail();
  return alerted.map((member) => member.email).sort();
}

async function memberWith(name: string, ...grants: Array<[Parameters<typeof share>[3], string[]]>): Promise<Member> {
  const member = await inviteAndAccept(t, owner, { name });
  for (const [resource, roleIds] of grants) await share(t, owner, member.memberId, resource, roleIds);
  return member;
}

describe('environment alerts', () => {
  it('reach the members holding a receiveAlerts role on the environment, by mail and in the app', async () => {
    const pager = await createRole(t, owner, ['env.view'], true);
    const quiet = await createRole(t, owner, ['env.view', 'env.logs'], false);
    const accountAdmin = await memberWith('Account Admin', [{ type: 'account' }, ['admin']]);
    const direct = await memberWith('Direct Pager', [{ type: 'environment', id: env.id }, [pager]]);
    const viaGroup = await memberWith('Group Pager', [{ type: 'group', id: (await createGroup(t, owner)).id }, [pager]]);
    const inGroup = await memberWith('Production Pager', [{ type: 'group', id: production.id }, [pager]]);
    // Admin on everything, but the direct share on this environment decides: a quiet role there, no alerts.
    const overridden = await memberWith('Overridden', [{ type: 'account' }, ['admin']], [{ type: 'environment', id: env.id }, [quiet]]);
    const viewer = await memberWith('Plain Viewer', [{ type: 'account' }, ['viewer']]);
    const elsewhere = await memberWith('Elsewhere', [{ type: 'environment', id: other.id }, ['admin']]);
    const suspended = await memberWith('Suspended Admin', [{ type: 'account' }, ['admin']]);
    await endMembership(t, 'suspend', owner, suspended, suspended.memberId);

    const alerted = await raise({ environmentId: env.id, title: 'alert-prod failed', body: 'The restart of alert-prod failed: app-1 did not start.' });
    expect(alerted).toEqual([accountAdmin.email, direct.email, inGroup.email].sort());
    for (const member of [viaGroup, overridden, viewer, elsewhere, suspended]) expect(alerted).not.toContain(member.email);

    const mail = await smtp.waitFor(direct.email, (m) => m.subject === 'alert-prod failed');
    expect(mail.text).toContain('The restart of alert-prod failed: app-1 did not start.');
    expect(mail.text).toContain(`http://shareplane.test/environments/${env.id}`);
    const bell = await t.http.as(direct).get('/api/v1/notifications');
    // The share notice has the same time (the clock stands still): find the alert by its type.
    const alert = bell.body.items.find((item: { type: string }) => item.type === 'environment.alert');
    expect(alert).toMatchObject({ title: 'alert-prod failed', link: `/environments/${env.id}`, readAt: null });
  });

  it('without an environment, reach only the members with such a role on the whole account', async () => {
    const admin = await memberWith('Whole Admin', [{ type: 'account' }, ['admin']]);
    const envOnly = await memberWith('Env Admin', [{ type: 'environment', id: env.id }, ['admin']]);
    const alerted = await raise({ title: 'Account notice', body: 'Something about the whole account.' });
    expect(alerted).toContain(admin.email);
    expect(alerted).not.toContain(envOnly.email);
    const [row] = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, admin.id), eq(notifications.type, 'environment.alert')));
    expect(row?.link).toBe('/');
    expect(await t.ctx.db.$count(outbox, and(eq(outbox.toAddress, envOnly.email), eq(outbox.kind, 'environment.alert')))).toBe(0);
  });

  it('reach nobody when the owner has no members', async () => {
    const lonely = await createPaidOwner(t, 'lonely');
    const alerted = await t.ctx.db.transaction((tx) => alertMembers(tx, t.ctx, lonely.id, { title: 'x', body: 'y', initiator: { kind: 'system' } }));
    expect(alerted).toEqual([]);
  });
});
