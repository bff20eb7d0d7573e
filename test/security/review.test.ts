import { loadConfig } from '../../src/config.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/accounts/admin.js';
import { HOUR } from '../../src/clock.js';
import { apiTokens, auditEvents, collaborations, emailTokens, sessions } from '../../src/db/schema/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { newestMail, tokenFromLink } from '../support/mail.js';
import { type Account, adminOf, convertAccount, createOwner, PASSWORD, signIn, signUpAndIn, uniqueEmail, verifyEmail } from '../factories.js';
import { createRole, invitationToken, invite, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createEnvironment, createRunningEnvironment, envName, settleRuntime } from '../factories/environments.js';

// The security review of the whole server. "Findings" fail until the problem they name is fixed (each names the
// place in the code in the review report); "Sound" pins down what was checked and found right, so a change that
// breaks it fails here. Everything goes through HTTP, as an attacker would.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ config: { invitationsPerDay: 100_000 } });
}, 60_000);
afterAll(() => t.close());


/** A member of `owner` holding collaboration.manage (plus view and logs) on the whole account, and nothing more. */
async function manager(owner: Account): Promise<Member> {
  const role = await createRole(t, owner, ['collaboration.manage', 'env.view', 'env.logs']);
  const member = await inviteAndAccept(t, owner, { name: 'Manager' });
  await share(t, owner, member.memberId, { type: 'account' }, [role]);
  return member;
}

/** Audit events of one actor with one outcome (read from the table the log is served from). */
async function auditBy(actorId: string, outcome: 'ok' | 'denied' | 'failed') {
  return t.ctx.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorId, actorId), eq(auditEvents.outcome, outcome)));
}

const shown = (answer: { status: number; body: unknown }) => `${answer.status} ${JSON.stringify(answer.body)}`;

describe('findings: fail until fixed', () => {
  it('the dev mailbox, which holds every reset link, never faces a network by default', async () => {
    // Bound to all interfaces without SMTP: no dev mailbox unless the operator asks for it by name.
    const exposed = loadConfig({ HOST: '0.0.0.0' });
    expect(exposed.devMailbox).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', DEV_MAILBOX: 'on' }).devMailbox).toBe(true);
    expect(loadConfig({ HOST: '127.0.0.1' }).devMailbox).toBe(true);
    expect(loadConfig({ HOST: '127.0.0.1', SMTP_URL: 'smtp://mail.internal:25', DEV_MAILBOX: 'on' }).devMailbox).toBe(false);

    const server = await startTestApp({ config: { host: '0.0.0.0', devMailbox: exposed.devMailbox } });
    try {
      const victim = await createOwner(server, 'victim');
      expect((await server.http.post('/api/v1/auth/forgot', { email: victim.email })).status).toBe(202);
      const mailbox = await server.http.get('/api/v1/dev/mail', { query: { to: victim.email } });
      expect(mailbox.status).toBe(404);
      expect(JSON.stringify(mailbox.body)).not.toContain('reset-password');
    } finally {
      await server.close();
    }
  });

  it('ADMIN_EMAIL never makes platform admin an account someone else registered with that address', async () => {
    // Someone signs up with the address the operator later names in ADMIN_EMAIL (unverified, its own password).
    const email = uniqueEmail('ops');
    const squatter = await signUpAndIn(t, { email });
    // The next start runs ensureAdmin, as `shareplane serve` does.
    await ensureAdmin({ ...t.ctx, config: { ...t.ctx.config, adminEmail: email, adminPassword: 'the operator chose this' } });

    const me = await t.http.as(squatter).get('/api/v1/me');
    expect(me.status === 200 && me.body.isAdmin, "the squatter's session is a platform admin").toBe(false);
    const login = await t.http.post('/api/v1/auth/login', { email, password: PASSWORD });
    expect(login.status === 200 && login.body.user.isAdmin, "the squatter's password opens an admin session").toBe(false);
    const users = await t.http.as(squatter).get('/api/v1/admin/users');
    expect(users.status, shown(users)).not.toBe(200);
  });

  it('a password reset ends every way into the account, API tokens included', async () => {
    // Someone registers the victim's address first (unverified) and mints an API token.
    const email = uniqueEmail('victim');
    const squatter = await signUpAndIn(t, { email });
    const minted = await t.http.as(squatter).post('/api/v1/tokens', { name: 'kept' });
    expect(minted.status).toBe(201);
    // The address's real holder cannot sign up (409 account_exists), so it resets the password from its mailbox,
    // which also verifies the address.
    expect((await t.http.post('/api/v1/auth/forgot', { email })).status).toBe(202);
    const token = tokenFromLink(await newestMail(t, email, 'account.reset'), `${t.ctx.config.publicUrl}/reset-password?token=`);
    const reset = await t.http.post('/api/v1/auth/reset', { token, password: 'the real holder chose this' });
    expect(reset.status, shown(reset)).toBe(200);
    expect(reset.body.user.emailVerified).toBe(true);

    expect((await t.http.as(squatter).get('/api/v1/me')).status).toBe(401);
    const viaToken = await t.http.as(minted.body.token).get('/api/v1/me');
    expect(viaToken.status, "the squatter's API token still opens the now verified account").toBe(401);
  });

  it("the owner's alias for a member never reaches that member, even when it manages the account", async () => {
    const owner = await createOwner(t);
    const alias = `Slow contractor ${envName('x')}`;
    const invited = await invite(t, owner, { displayName: alias });
    const signup = await t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name: 'Manager', password: PASSWORD });
    expect(signup.status).toBe(201);
    const role = await createRole(t, owner, ['collaboration.manage', 'env.view']);
    await share(t, owner, invited.memberId, { type: 'account' }, [role]);
    const env = await createEnvironment(t, owner);
    const m = t.http.as(signup.body.token);

    const answers = [
      await m.get('/api/v1/collaboration/members', { query: { ownerId: owner.id } }),
      await m.get(`/api/v1/collaboration/members/${invited.memberId}`, { query: { ownerId: owner.id } }),
      await m.get(`/api/v1/environments/${env.id}/access`),
    ];
    for (const answer of answers) {
      expect(answer.status, shown(answer)).toBe(200);
      expect(JSON.stringify(answer.body), 'the alias reached the member it names').not.toContain(alias);
    }
  });

  it('a manager cannot make a share it could not grant outlive its expiry', async () => {
    const owner = await createOwner(t);
    const m = await manager(owner);
    const member = await inviteAndAccept(t, owner);
    const env = await createEnvironment(t, owner);
    const expiresAt = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const adminShare = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['admin'], { expiresAt });

    await expectNoChange(t, async () => {
      const forever = await t.http
        .as(m)
        .patch(`/api/v1/collaboration/members/${member.memberId}/shares/${adminShare}`, { expiresAt: null }, { query: { ownerId: owner.id } });
      expect(forever.status, shown(forever)).toBe(403);
      expect(forever.body.code).toBe('missing_permission');
    });
  });

  it('a manager cannot lift a restriction to give a member permissions it does not hold itself', async () => {
    const owner = await createOwner(t);
    const m = await manager(owner);
    const member = await inviteAndAccept(t, owner);
    const production = await createEnvironment(t, owner);
    // "Developer on everything, but only viewer on production" (DESIGN.md section 6).
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    const restriction = await share(t, owner, member.memberId, { type: 'environment', id: production.id }, ['viewer']);
    expect((await t.http.as(member).get(`/api/v1/environments/${production.id}/variables`)).status).toBe(403);

    await expectNoChange(t, async () => {
      const lifted = await t.http.as(m).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${restriction}`, { query: { ownerId: owner.id } });
      expect(lifted.status, shown(lifted)).toBe(403);
      expect(lifted.body.code).toBe('missing_permission');
    });
    expect((await t.http.as(member).get(`/api/v1/environments/${production.id}/variables`)).status).toBe(403);
  });

  it('env.clone without env.config does not hand over the environment variables', async () => {
    const owner = await createOwner(t);
    const source = await createRunningEnvironment(t, owner);
    expect((await t.http.as(owner).put(`/api/v1/environments/${source.id}/variables`, { variables: { DB_PASSWORD: 'hunter2-prod' } })).status).toBe(200);
    const member = await inviteAndAccept(t, owner);
    const cloner = await createRole(t, owner, ['env.view', 'env.clone']);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    await share(t, owner, member.memberId, { type: 'environment', id: source.id }, [cloner]);
    expect((await t.http.as(member).get(`/api/v1/environments/${source.id}/variables`)).status).toBe(403);

    const clone = await t.http.as(member).post(`/api/v1/environments/${source.id}/clone`, { name: envName('clone') });
    const copied = clone.status === 201 ? (await t.http.as(member).get(`/api/v1/environments/${clone.body.id}/variables`)).body.variables : {};
    expect(copied, 'the clone carries variables the member may not read on the source').not.toHaveProperty('DB_PASSWORD');
  });

  it("a member does not see another member's email through the environments it created", async () => {
    const owner = await createOwner(t);
    const creator = await inviteAndAccept(t, owner, { name: 'Creator' });
    await share(t, owner, creator.memberId, { type: 'account' }, ['developer']);
    const onlooker = await inviteAndAccept(t, owner, { name: 'Onlooker' });
    await share(t, owner, onlooker.memberId, { type: 'account' }, ['viewer']);
    const env = await createEnvironment(t, creator, { ownerId: owner.id });

    const one = await t.http.as(onlooker).get(`/api/v1/environments/${env.id}`);
    const list = await t.http.as(onlooker).get('/api/v1/environments', { query: { ownerId: owner.id } });
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).not.toContain(creator.email);
    expect(JSON.stringify(list.body)).not.toContain(creator.email);
  });

  it('a collaborator account cannot come to own a new environment by cloning one it kept', async () => {
    const owner = await createOwner(t);
    const kept = await createRunningEnvironment(t, owner);
    await convertAccount(t, owner, 'collaborator');
    await expectNoChange(t, async () => {
      const clone = await t.http.as(owner).post(`/api/v1/environments/${kept.id}/clone`, { name: envName('clone') });
      expect(clone.status, shown(clone)).toBe(403);
      expect(clone.body.code).toBe('collaborator_cannot_own');
    });
  });

  it('a refused billing read is audited as denied', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    const usage = await t.http.as(member).get('/api/v1/billing/usage', { query: { ownerId: owner.id } });
    const balance = await t.http.as(member).get('/api/v1/billing/balance', { query: { ownerId: owner.id } });
    expect([usage.status, balance.status]).toEqual([403, 403]);
    expect((await auditBy(member.id, 'denied')).length).toBeGreaterThanOrEqual(2);
  });

  it("a refused attempt on the platform admin's routes is audited as denied", async () => {
    const victim = await createOwner(t, 'victim');
    const intruder = await signUpAndIn(t, { label: 'intruder' });
    const convert = await t.http.as(intruder).post(`/api/v1/admin/users/${intruder.id}/convert`, { type: 'paid' });
    const trial = await t.http.as(intruder).post(`/api/v1/admin/users/${victim.id}/trial`, { endsAt: t.clock.now().toISOString() });
    expect([convert.status, trial.status]).toEqual([403, 403]);
    expect((await auditBy(intruder.id, 'denied')).length).toBeGreaterThanOrEqual(2);
  });

  it("a viewer cannot read the environment's secrets from the logs after someone ran a command", async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    expect((await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { variables: { STRIPE_KEY: 'sk_live_do_not_leak' } })).status).toBe(200);
    expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'printenv' })).status).toBe(200);
    const viewer = await inviteAndAccept(t, owner);
    await share(t, owner, viewer.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect((await t.http.as(viewer).get(`/api/v1/environments/${env.id}/variables`)).status).toBe(403);

    const logs = await t.http.as(viewer).get(`/api/v1/environments/${env.id}/logs`, { query: { limit: 1000 } });
    expect(logs.status).toBe(200);
    expect(JSON.stringify(logs.body), 'env.logs reveals what env.config guards').not.toContain('sk_live_do_not_leak');
  });

  it('a deploy URL carrying credentials is refused, so they never reach viewers, logs or the audit', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    for (const source of ['https://deploy:ghp_NotForViewers123@git.example.test/acme/shop.git', 'https://ghp_NotForViewers123@git.example.test/acme/shop.git']) {
      await expectNoChange(t, async () => {
        const answer = await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source });
        expect(answer.status).toBe(400);
        expect(answer.body.errors[0].path).toBe('source');
        expect(JSON.stringify(answer.body)).not.toContain('ghp_NotForViewers123');
      });
    }
    // Repositories reached with a key or a public URL are fine.
    for (const source of ['git@git.example.test:acme/shop.git', 'ssh://git@git.example.test/acme/shop.git', 'https://git.example.test/acme/shop.git']) {
      expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source })).status, source).toBe(202);
      await settleRuntime(t);
    }
  });

  it("the admins' view of the outbox does not hand out live reset links", async () => {
    const victim = await createOwner(t, 'victim');
    expect((await t.http.post('/api/v1/auth/forgot', { email: victim.email })).status).toBe(202);
    const token = tokenFromLink(await newestMail(t, victim.email, 'account.reset'), `${t.ctx.config.publicUrl}/reset-password?token=`);
    const outbox = await t.http.as(await adminOf(t)).get('/api/v1/admin/mail', { query: { to: victim.email } });
    expect(outbox.status).toBe(200);
    expect(JSON.stringify(outbox.body), 'a platform admin can reset any account with this').not.toContain(token);
  });

  it('a list cursor out of the database range is a 400, not a 500', async () => {
    const owner = await createOwner(t);
    const cursor = Buffer.from('-271821-04-20T00:00:00.000Z|x').toString('base64url');
    for (const path of ['/api/v1/notifications', '/api/v1/collaboration/members', '/api/v1/collaborations']) {
      const answer = await t.http.as(owner).get(path, { query: { cursor } });
      expect(answer.status, `${path}: ${shown(answer)}`).toBe(400);
    }
  });
});

describe('sound: invitation tokens', () => {
  it('opening the link (GET) changes nothing, however often, even signed in as the invitee', async () => {
    const owner = await createOwner(t);
    const invitee = await createOwner(t, 'invitee');
    const invited = await invite(t, owner, { email: invitee.email });
    await expectNoChange(t, async () => {
      for (let i = 0; i < 3; i++) {
        expect((await t.http.get(`/api/v1/invitations/${invited.token}`)).status).toBe(200);
        expect((await t.http.as(invitee).get(`/api/v1/invitations/${invited.token}`)).status).toBe(200);
      }
    });
  });

  it('an unverified account with the invited email cannot accept, by link or by id, and does not even see it', async () => {
    const owner = await createOwner(t);
    const squatter = await signUpAndIn(t, { label: 'unverified' });
    const invited = await invite(t, owner, { email: squatter.email });
    await expectNoChange(t, async () => {
      const byLink = await t.http.as(squatter).post(`/api/v1/invitations/${invited.token}/accept`);
      expect(byLink.status, shown(byLink)).toBe(403);
      expect(byLink.body.code).toBe('email_unverified');
      const byId = await t.http.as(squatter).post(`/api/v1/collaborations/${invited.memberId}/accept`);
      expect(byId.status, shown(byId)).toBe(403);
      const mine = await t.http.as(squatter).get('/api/v1/collaborations');
      expect(mine.body.items).toEqual([]);
    });
    // The link stays valid: once verified, the same account accepts.
    await verifyEmail(t, squatter);
    expect((await t.http.as(squatter).post(`/api/v1/invitations/${invited.token}/accept`)).status).toBe(200);
  });

  it('another account gets 403 naming the invited email and the link stays valid', async () => {
    const owner = await createOwner(t);
    const intruder = await createOwner(t, 'intruder');
    const invited = await invite(t, owner);
    await expectNoChange(t, async () => {
      const answer = await t.http.as(intruder).post(`/api/v1/invitations/${invited.token}/accept`);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('invitation_email_mismatch');
      expect(answer.body.detail).toContain(invited.email);
    });
    expect((await t.http.get(`/api/v1/invitations/${invited.token}`)).status).toBe(200);
  });

  it('a link is dead (404) after accept, reject, resend or remove, on every token route; nothing changes', async () => {
    const owner = await createOwner(t);
    const dead: string[] = [];
    const accepted = await invite(t, owner);
    expect((await t.http.post(`/api/v1/invitations/${accepted.token}/signup`, { name: 'A', password: PASSWORD })).status).toBe(201);
    dead.push(accepted.token);
    const rejected = await invite(t, owner);
    expect((await t.http.post(`/api/v1/invitations/${rejected.token}/reject`)).status).toBe(200);
    dead.push(rejected.token);
    const resent = await invite(t, owner);
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${resent.memberId}/resend`)).status).toBe(200);
    dead.push(resent.token);
    expect(await invitationToken(t, resent.email)).not.toBe(resent.token);
    const removed = await invite(t, owner);
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${removed.memberId}`)).status).toBe(204);
    dead.push(removed.token);

    const other = await createOwner(t, 'replayer');
    await expectNoChange(t, async () => {
      for (const token of dead) {
        const answers = [
          await t.http.get(`/api/v1/invitations/${token}`),
          await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Replay', password: PASSWORD }),
          await t.http.post(`/api/v1/invitations/${token}/reject`),
          await t.http.as(other).post(`/api/v1/invitations/${token}/accept`),
        ];
        expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404]);
      }
    });
  });

  it('an expired link is 410 and the resend replaces it; the expired one is then unknown (404)', async () => {
    // Its own app: moving this clock by a week must not end other tests' sessions.
    const x = await startTestApp();
    try {
      const owner = await createOwner(x);
      const invited = await invite(x, owner);
      x.clock.advance(x.ctx.config.invitationTtlSeconds * 1000 + 1000);
      const again = await signIn(x, owner.email);
      await expectNoChange(x, async () => {
        const expired = await x.http.post(`/api/v1/invitations/${invited.token}/signup`, { name: 'Late', password: PASSWORD });
        expect(expired.status).toBe(410);
        expect(expired.body.code).toBe('invitation_expired');
      });
      expect((await x.http.as(again).post(`/api/v1/collaboration/members/${invited.memberId}/resend`)).status).toBe(200);
      expect((await x.http.get(`/api/v1/invitations/${invited.token}`)).status).toBe(404);
      expect((await x.http.get(`/api/v1/invitations/${await invitationToken(x, invited.email)}`)).status).toBe(200);
    } finally {
      await x.close();
    }
  });

  it('of two sign-ups through one link at once, exactly one wins; the email is the invited one and cannot be set', async () => {
    const owner = await createOwner(t);
    const invited = await invite(t, owner);
    await expectNoChange(t, async () => {
      const forged = await t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name: 'X', password: PASSWORD, email: 'attacker@example.test' });
      expect(forged.status).toBe(400);
    });
    const answers = await Promise.all(
      [1, 2].map((n) => t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name: `Racer ${n}`, password: PASSWORD })),
    );
    const statuses = answers.map((answer) => answer.status);
    // The loser finds the link used (404) or the address taken (409 account_exists), depending on timing.
    expect(statuses.filter((status) => status === 201), shown({ status: 0, body: statuses })).toHaveLength(1);
    expect(statuses.filter((status) => status !== 201).every((status) => status === 404 || status === 409)).toBe(true);
    const winner = answers.find((answer) => answer.status === 201);
    expect(winner?.body.user).toMatchObject({ email: invited.email, type: 'collaborator', emailVerified: true, isAdmin: false });
    const rows = await t.ctx.db.select().from(collaborations).where(eq(collaborations.id, invited.memberId));
    expect(rows[0]).toMatchObject({ status: 'active', memberId: winner?.body.user.id, tokenHash: null });
  });

  it("the member's own list never carries the owner's alias", async () => {
    const owner = await createOwner(t);
    const invited = await invite(t, owner, { displayName: 'Nickname only the owner sees' });
    const signup = await t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name: 'Member', password: PASSWORD });
    const mine = await t.http.as(signup.body.token).get('/api/v1/collaborations');
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).not.toContain('Nickname only the owner sees');
    expect(JSON.stringify(signup.body)).not.toContain('Nickname only the owner sees');
  });
});

describe('sound: privilege escalation', () => {
  it('a manager cannot grant, on any resource, a role holding a permission it lacks; refusals are audited', async () => {
    const owner = await createOwner(t);
    const m = await manager(owner);
    const member = await inviteAndAccept(t, owner);
    const env = await createEnvironment(t, owner);
    const sneaky = await createRole(t, owner, ['env.view', 'env.exec']);
    await expectNoChange(t, async () => {
      for (const [resource, roleIds] of [
        [{ type: 'account' }, ['developer']],
        [{ type: 'environment', id: env.id }, ['admin']],
        [{ type: 'environment', id: env.id }, [sneaky]],
      ] as const) {
        const answer = await t.http.as(m).post(`/api/v1/collaboration/members/${member.memberId}/shares`, { resource, roleIds }, { query: { ownerId: owner.id } });
        expect(answer.status, shown(answer)).toBe(403);
        expect(answer.body.code).toBe('missing_permission');
      }
    });
    expect((await auditBy(m.id, 'denied')).map((event) => event.action)).toEqual(['share.create', 'share.create', 'share.create']);
  });

  it('a member changes neither its own shares nor its membership, manager or not', async () => {
    const owner = await createOwner(t);
    const m = await manager(owner);
    const plain = await inviteAndAccept(t, owner);
    await share(t, owner, plain.memberId, { type: 'account' }, ['viewer']);
    await expectNoChange(t, async () => {
      for (const who of [m, plain]) {
        const q = { query: { ownerId: owner.id } };
        const answers = [
          await t.http.as(who).post(`/api/v1/collaboration/members/${who.memberId}/shares`, { resource: { type: 'account' }, roleIds: ['admin'] }, q),
          await t.http.as(who).patch(`/api/v1/collaboration/members/${who.memberId}`, { displayName: 'Boss' }, q),
          await t.http.as(who).post(`/api/v1/roles`, { name: 'Everything', permissions: ['collaboration.manage'] }, q),
        ];
        expect(answers.map((answer) => answer.status), answers.map(shown).join('\n')).toEqual([403, 403, 403]);
      }
    });
  });

  it('a custom role holds only catalog permissions, and a body holds only known fields', async () => {
    const owner = await createOwner(t);
    await expectNoChange(t, async () => {
      const answers = [
        await t.http.as(owner).post('/api/v1/roles', { name: 'Root', permissions: ['platform.admin'] }),
        await t.http.as(owner).post('/api/v1/roles', { name: 'Root', permissions: ['env.view'], ownerId: 'someone' }),
        await t.http.as(owner).patch('/api/v1/me', { name: 'Me', isAdmin: true }),
        await t.http.as(owner).patch('/api/v1/me', { name: 'Me', email: 'other@example.test' }),
        await t.http.post('/api/v1/auth/signup', { email: uniqueEmail(), password: PASSWORD, name: 'N', type: 'paid', isAdmin: true }),
        await t.http.as(owner).post('/api/v1/environments', { name: envName(), nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }], createdBy: 'x' }),
      ];
      expect(answers.map((answer) => answer.status), answers.map(shown).join('\n')).toEqual([400, 400, 400, 400, 400, 400]);
    });
  });

  it('a collaborator account owns nothing: no environment and no group in its own account', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await expectNoChange(t, async () => {
      const env = await t.http.as(member).post('/api/v1/environments', { name: envName(), nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }] });
      const group = await t.http.as(member).post('/api/v1/groups', { name: 'Mine' });
      expect([env.body.code, group.body.code]).toEqual(['collaborator_cannot_own', 'collaborator_cannot_own']);
    });
  });

  it('a member without collaboration.manage sees no member list, emails or access lists', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    const other = await inviteAndAccept(t, owner);
    const env = await createEnvironment(t, owner);
    const answers = [
      await t.http.as(member).get('/api/v1/collaboration/members', { query: { ownerId: owner.id } }),
      await t.http.as(member).get(`/api/v1/collaboration/members/${other.memberId}`, { query: { ownerId: owner.id } }),
      await t.http.as(member).get(`/api/v1/environments/${env.id}/access`),
      await t.http.as(member).get('/api/v1/access/explain', { query: { memberId: other.memberId, ownerId: owner.id } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toContain(other.email);
  });
});

describe('sound: sessions, tokens and secrets', () => {
  it('stores only hashes of session, API, invitation and mailed tokens', async () => {
    const owner = await createOwner(t);
    const apiToken = (await t.http.as(owner).post('/api/v1/tokens', { name: 'ci' })).body.token as string;
    const invited = await invite(t, owner);
    expect((await t.http.post('/api/v1/auth/forgot', { email: owner.email })).status).toBe(202);
    const resetToken = tokenFromLink(await newestMail(t, owner.email, 'account.reset'), `${t.ctx.config.publicUrl}/reset-password?token=`);
    const stored = JSON.stringify([
      await t.ctx.db.select().from(sessions).where(eq(sessions.userId, owner.id)),
      await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, owner.id)),
      await t.ctx.db.select().from(emailTokens).where(eq(emailTokens.userId, owner.id)),
      await t.ctx.db.select().from(collaborations).where(eq(collaborations.ownerId, owner.id)),
    ]);
    for (const secret of [owner.token, apiToken, invited.token, resetToken]) expect(stored).not.toContain(secret);
  });

  it('no answer carries a password hash or a token hash', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['admin']);
    const admin = await adminOf(t);
    const answers = [
      await t.http.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD }),
      await t.http.as(owner).get('/api/v1/me'),
      await t.http.as(owner).get('/api/v1/tokens'),
      await t.http.as(owner).get('/api/v1/collaboration/members'),
      await t.http.as(member).get('/api/v1/collaborations'),
      await t.http.as(admin).get('/api/v1/admin/users', { query: { email: owner.email } }),
    ];
    for (const answer of answers) {
      expect(answer.status, shown(answer)).toBe(200);
      const text = JSON.stringify(answer.body);
      expect(text).not.toMatch(/argon2|passwordHash|password_hash|tokenHash|token_hash/);
    }
  });

  it('sign-in always starts a new session; a password change ends the others; a reset ends all of them', async () => {
    const account = await createOwner(t);
    const second = await signIn(t, account.email);
    expect(second.token).not.toBe(account.token);
    const change = await t.http.as(account).post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(change.status).toBe(204);
    expect((await t.http.as(second).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.as(account).get('/api/v1/me')).status).toBe(200);

    expect((await t.http.post('/api/v1/auth/forgot', { email: account.email })).status).toBe(202);
    const token = tokenFromLink(await newestMail(t, account.email, 'account.reset'), `${t.ctx.config.publicUrl}/reset-password?token=`);
    expect((await t.http.post('/api/v1/auth/reset', { token, password: 'after the reset 123' })).status).toBe(200);
    expect((await t.http.as(account).get('/api/v1/me')).status).toBe(401);
    // Single use.
    expect((await t.http.post('/api/v1/auth/reset', { token, password: 'once more 1234567' })).status).toBe(400);
  });

  it('a cookie session needs same-origin proof for every change, on every kind of route', async () => {
    const account = await createOwner(t);
    const login = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
    const jar = ([] as string[]).concat(login.headers['set-cookie'] as string[]).map((line) => line.split(';')[0]).join('; ');
    const env = await createEnvironment(t, account);
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/environments', { name: envName(), nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }] }],
      ['DELETE', `/api/v1/environments/${env.id}`, undefined],
      ['POST', '/api/v1/collaboration/members', { email: uniqueEmail() }],
      ['POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'csrf changed this' }],
      ['POST', '/api/v1/auth/logout', {}],
    ];
    await expectNoChange(t, async () => {
      for (const [method, path, body] of attempts) {
        const proofs: Array<Record<string, string>> = [{ cookie: jar }, { cookie: jar, origin: 'https://evil.example' }, { cookie: jar, origin: 'null' }];
        for (const headers of proofs) {
          const answer = await t.http.request(method, path, body, { headers });
          expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
        }
      }
    });
  });

  it('error answers carry the JSON headers and hide internals; a 500 names only its request id', async () => {
    const owner = await createOwner(t);
    const cursor = Buffer.from('-271821-04-20T00:00:00.000Z|x').toString('base64url');
    const answers = [
      await t.http.get('/api/v1/me'),
      await t.http.as(owner).get('/api/v1/environments/nope'),
      await t.http.as(owner).get('/api/v1/notifications', { query: { cursor } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(JSON.stringify(answer.body)).not.toMatch(/select |insert |timestamp|\bat .*\.ts:|node_modules|stack/i);
    }
  });

  it('a hidden environment and a missing one answer the same 404 body on every method', async () => {
    const victim = await createOwner(t, 'victim');
    const stranger = await createOwner(t, 'stranger');
    const env = await createEnvironment(t, victim);
    const missing = 'f0e1d2c3-0000-4000-8000-000000000000';
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { displayName: 'x' }],
      ['POST', '/exec', { command: 'ls' }],
      ['GET', '/variables', undefined],
      ['GET', '/access', undefined],
    ] as const) {
      const theirs = await t.http.as(stranger).request(method, `/api/v1/environments/${env.id}${suffix}`, body);
      const none = await t.http.as(stranger).request(method, `/api/v1/environments/${missing}${suffix}`, body);
      expect([theirs.status, theirs.body], `${method} ${suffix}`).toEqual([none.status, none.body]);
      expect(theirs.status).toBe(404);
    }
  });
});

describe('sound: a second node', () => {
  let node2: TestApp;
  beforeAll(async () => {
    node2 = await startTestApp({ database: t.db, clock: t.clock });
  });
  afterAll(() => node2.close());

  it('a revoke, suspension, sign-out or token revocation on one node holds on the other at the very next request', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    const shareId = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    const apiToken = (await t.http.as(owner).post('/api/v1/tokens', { name: 'ci' })).body;
    const session = await signIn(t, owner.email);
    // Node 2 answers first, so anything it could keep in memory is warm.
    expect((await node2.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    expect((await node2.http.as(apiToken.token).get('/api/v1/me')).status).toBe(200);
    expect((await node2.http.as(session).get('/api/v1/me')).status).toBe(200);

    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${shareId}`)).status).toBe(204);
    expect((await node2.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect((await node2.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`)).status).toBe(200);
    expect((await node2.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(404);

    expect((await t.http.as(owner).delete(`/api/v1/tokens/${apiToken.id}`)).status).toBe(204);
    expect((await node2.http.as(apiToken.token).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.as(session).post('/api/v1/auth/logout')).status).toBe(204);
    expect((await node2.http.as(session).get('/api/v1/me')).status).toBe(401);
  });

  it('rate limits count hits from every node together', async () => {
    const limits = { signInFailuresPerEmailAndIp: { max: 3, windowSeconds: 900 }, invitationTokenPerIp: { max: 4, windowSeconds: 600 } };
    const a = await startTestApp({ rateLimits: limits });
    const b = await startTestApp({ database: a.db, clock: a.clock, rateLimits: limits });
    try {
      a.clock.set(new Date(Math.ceil(a.clock.now().getTime() / 900_000) * 900_000));
      const account = await signUpAndIn(a);
      const statuses: number[] = [];
      for (const node of [a, b, a, b]) statuses.push((await node.http.post('/api/v1/auth/login', { email: account.email, password: 'wrong password' })).status);
      statuses.push((await b.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status);
      // Three failures from this address on either node hold it back, even with the right password.
      expect(statuses).toEqual([401, 401, 401, 429, 429]);

      const guesses: number[] = [];
      for (const node of [a, b, a, b, a]) guesses.push((await node.http.get(`/api/v1/invitations/guess${guesses.length}`)).status);
      expect(guesses).toEqual([404, 404, 404, 404, 429]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('settles runtime work on either node without changing who may see it', async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t, 'stranger');
    const env = await createEnvironment(t, owner);
    await settleRuntime(node2);
    expect((await node2.http.as(owner).get(`/api/v1/environments/${env.id}`)).body.status).toBe('running');
    expect((await node2.http.as(stranger).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
  });
});
