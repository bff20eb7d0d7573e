import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner, PASSWORD, signIn, signUpAndIn, uniqueEmail } from '../factories.js';
import { invite } from '../factories/collaboration.js';
import { auditEvents, collaborations } from '../../src/db/schema/index.js';
import { DAY, ManualClock } from '../../src/clock.js';

let smtp: SmtpCapture;
let t: TestApp;
const clock = new ManualClock('2031-03-01T09:00:00Z');

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startTestApp({ smtp, clock });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const PUBLIC = 'http://shareplane.test';

const tokenOf = (link: string) => link.slice(`${PUBLIC}/invitations/`.length);

async function audit(ownerId: string, action?: string) {
  const rows = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.ownerId, ownerId));
  return rows.filter((row) => !action || row.action === action).map((row) => ({ action: row.action, outcome: row.outcome, actorId: row.actorId }));
}

async function memberStatus(id: string) {
  const [row] = await t.ctx.db.select().from(collaborations).where(eq(collaborations.id, id));
  return row?.status;
}

/** Every way to use a link; each must say the same thing. */
async function everyUse(token: string) {
  const other = await signUpAndIn(t);
  return [
    (await t.http.get(`/api/v1/invitations/${token}`)).status,
    (await t.http.as(other).post(`/api/v1/invitations/${token}/accept`)).status,
    (await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'X', password: PASSWORD })).status,
    (await t.http.post(`/api/v1/invitations/${token}/reject`)).status,
  ];
}

describe('inviting', () => {
  it('mails the invitee a single-use link with who invites and when it expires; only the hash is stored', async () => {
    const owner = await createOwner(t, 'alice');
    const email = uniqueEmail('bob');
    const answer = await t.http.as(owner).post('/api/v1/collaboration/members', { email: email.toUpperCase(), displayName: 'Bobby' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ email, displayName: 'Bobby', status: 'pending', user: null, acceptedAt: null, invitationExpired: false });
    expect(new Date(answer.body.expiresAt).getTime() - clock.now().getTime()).toBe(7 * DAY);

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe(`${owner.name} invited you to collaborate on Shareplane`);
    expect(mail.text).toContain(owner.email);
    expect(mail.text).toContain('expires on 2031-03-08 09:00 UTC');
    const link = linkIn(mail, `${PUBLIC}/invitations/`);
    expect(tokenOf(link)).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [row] = await t.ctx.db.select().from(collaborations).where(eq(collaborations.id, answer.body.id));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(tokenOf(link));
    expect(await audit(owner.id, 'collaboration.invite')).toEqual([{ action: 'collaboration.invite', outcome: 'ok', actorId: owner.id }]);
  });

  it('a GET of the link shows the invitation and changes nothing, however often it is opened', async () => {
    const owner = await createOwner(t);
    const { email, token } = await invite(t, owner);
    await expectNoChange(t, async () => {
      for (let i = 0; i < 3; i++) {
        const preview = await t.http.get(`/api/v1/invitations/${token}`);
        expect(preview.status).toBe(200);
        expect(preview.body).toEqual({ email, owner: { name: owner.name }, expiresAt: expect.any(String), accountExists: false });
      }
    });
    const signup = await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Still Works', password: PASSWORD });
    expect(signup.status).toBe(201);
  });

  it('says whether the invited address already has an account', async () => {
    const owner = await createOwner(t);
    const existing = await createOwner(t, 'existing');
    const { token } = await invite(t, owner, { email: existing.email });
    expect((await t.http.get(`/api/v1/invitations/${token}`)).body.accountExists).toBe(true);
  });

  it('refuses inviting yourself, an address already pending, active or suspended, and bad input; writes nothing', async () => {
    const owner = await createOwner(t);
    const pending = await invite(t, owner);
    const active = await invite(t, owner);
    await t.http.post(`/api/v1/invitations/${active.token}/signup`, { name: 'Active', password: PASSWORD });
    const suspended = await invite(t, owner);
    await t.http.post(`/api/v1/invitations/${suspended.token}/signup`, { name: 'Suspended', password: PASSWORD });
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${suspended.memberId}/suspend`)).status).toBe(200);

    await expectNoChange(t, async () => {
      const self = await t.http.as(owner).post('/api/v1/collaboration/members', { email: owner.email.toUpperCase() });
      expect(self.status).toBe(400);
      expect(self.body.errors[0].path).toBe('email');
      for (const [email, status] of [[pending.email, 'pending'], [active.email, 'active'], [suspended.email, 'suspended']] as const) {
        const again = await t.http.as(owner).post('/api/v1/collaboration/members', { email: email.toUpperCase() });
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'conflict', status: 409 });
        expect(again.body.detail).toContain(status);
      }
      const bad = await t.http.as(owner).post('/api/v1/collaboration/members', { email: 'nope', role: 'admin' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'role']);
    });
  });

  it('lets only one of two simultaneous invitations of one address through', async () => {
    const owner = await createOwner(t);
    const email = uniqueEmail('race');
    const answers = await Promise.all([0, 1, 2].map(() => t.http.as(owner).post('/api/v1/collaboration/members', { email })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('answers 401 without a session', async () => {
    expect((await t.http.post('/api/v1/collaboration/members', { email: uniqueEmail() })).status).toBe(401);
    expect((await t.http.get('/api/v1/collaboration/members')).status).toBe(401);
    expect((await t.http.post('/api/v1/invitations/whatever/accept')).status).toBe(401);
  });
});

describe('accepting', () => {
  it('an existing verified account accepts by the link: it becomes an active member, the owner is told', async () => {
    const owner = await createOwner(t, 'owner');
    const member = await createOwner(t, 'carol');
    const { memberId, token } = await invite(t, owner, { email: member.email });
    const accepted = await t.http.as(member).post(`/api/v1/invitations/${token}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.collaboration).toEqual({
      id: memberId,
      owner: { id: owner.id, name: owner.name, email: owner.email },
      status: 'active',
      invitedAt: expect.any(String),
      acceptedAt: clock.now().toISOString(),
      expiresAt: null,
    });
    const listed = await t.http.as(owner).get(`/api/v1/collaboration/members/${memberId}`);
    expect(listed.body).toMatchObject({ status: 'active', user: { id: member.id, name: member.name, email: member.email }, expiresAt: null });

    const mail = await smtp.waitFor(owner.email, (m) => m.subject.includes('accepted'));
    expect(linkIn(mail, PUBLIC)).toBe(`${PUBLIC}/settings/collaboration/members/${memberId}`);
    expect(await audit(owner.id, 'collaboration.accept')).toEqual([{ action: 'collaboration.accept', outcome: 'ok', actorId: member.id }]);
    expect(await everyUse(token)).toEqual([404, 404, 404, 404]);
  });

  it('another account gets 403 naming the invited email, the refusal is audited, and the link stays valid', async () => {
    const owner = await createOwner(t);
    const intended = await createOwner(t, 'intended');
    const intruder = await createOwner(t, 'intruder');
    const { memberId, token } = await invite(t, owner, { email: intended.email });
    await expectNoChange(t, async () => {
      const wrong = await t.http.as(intruder).post(`/api/v1/invitations/${token}/accept`);
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe('invitation_email_mismatch');
      expect(wrong.body.detail).toContain(intended.email);
    });
    expect(await audit(owner.id, 'collaboration.accept')).toEqual([{ action: 'collaboration.accept', outcome: 'denied', actorId: intruder.id }]);
    expect(await memberStatus(memberId)).toBe('pending');
    expect((await t.http.as(intended).post(`/api/v1/invitations/${token}/accept`)).status).toBe(200);
  });

  it('an account that has not verified the invited address gets 403 email_unverified', async () => {
    const owner = await createOwner(t);
    const unverified = await signUpAndIn(t, { label: 'unverified' });
    const { memberId, token } = await invite(t, owner, { email: unverified.email });
    await expectNoChange(t, async () => {
      const answer = await t.http.as(unverified).post(`/api/v1/invitations/${token}/accept`);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('email_unverified');
    });
    expect(await memberStatus(memberId)).toBe('pending');
  });

  it('of two simultaneous accepts of one link, exactly one wins', async () => {
    const owner = await createOwner(t);
    const member = await createOwner(t, 'racer');
    const { memberId, token } = await invite(t, owner, { email: member.email });
    const answers = await Promise.all([0, 1, 2].map(() => t.http.as(member).post(`/api/v1/invitations/${token}/accept`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404, 404]);
    expect(await audit(owner.id, 'collaboration.accept')).toHaveLength(1);
    expect(await memberStatus(memberId)).toBe('active');
  });
});

describe('signing up through the link', () => {
  it('creates a verified collaborator account with the invited email, accepts and signs in, in one step', async () => {
    const owner = await createOwner(t);
    const { email, memberId, token } = await invite(t, owner);
    const signup = await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'The Invitee', password: PASSWORD });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ email, name: 'The Invitee', type: 'collaborator', emailVerified: true, trialEndsAt: null, trialExpired: false });
    expect(signup.body.collaboration).toMatchObject({ id: memberId, status: 'active', owner: { id: owner.id } });
    const cookies = ([] as string[]).concat(signup.headers['set-cookie'] as string[]);
    expect(cookies.find((c) => c.startsWith('sp_session='))).toMatch(/HttpOnly/i);
    const me = await t.http.as(signup.body.token).get('/api/v1/me');
    expect(me.body).toMatchObject({ id: signup.body.user.id, type: 'collaborator' });
    const mine = await t.http.as(signup.body.token).get('/api/v1/collaborations');
    expect(mine.body.items).toEqual([expect.objectContaining({ id: memberId, status: 'active', owner: { id: owner.id, name: owner.name, email: owner.email } })]);
    expect(JSON.stringify(mine.body)).not.toContain('displayName');
    await smtp.waitFor(owner.email, (m) => m.subject.includes('The Invitee accepted'));
    expect(await everyUse(token)).toEqual([404, 404, 404, 404]);
  });

  it('cannot change the email: an email field is an unknown field (400) and nothing is written', async () => {
    const owner = await createOwner(t);
    const { token } = await invite(t, owner);
    await expectNoChange(t, async () => {
      const answer = await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Impostor', password: PASSWORD, email: uniqueEmail('other') });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ path: 'email', message: 'unknown field' }]);
      const short = await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Invitee', password: 'short' });
      expect(short.status).toBe(400);
    });
    expect((await t.http.get(`/api/v1/invitations/${token}`)).status).toBe(200);
  });

  it('is refused with 409 account_exists when the address already has an account', async () => {
    const owner = await createOwner(t);
    const existing = await signUpAndIn(t);
    const { token } = await invite(t, owner, { email: existing.email });
    await expectNoChange(t, async () => {
      const answer = await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Twin', password: PASSWORD });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('account_exists');
    });
  });
});

describe('rejecting, resending, expiry and removal', () => {
  it('the link alone rejects; the owner is told; the link is dead afterwards', async () => {
    const owner = await createOwner(t);
    const { email, memberId, token } = await invite(t, owner);
    const answer = await t.http.post(`/api/v1/invitations/${token}/reject`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'rejected' });
    expect(await memberStatus(memberId)).toBe('rejected');
    const mail = await smtp.waitFor(owner.email, (m) => m.subject.includes('declined'));
    expect(mail.text).toContain(email);
    expect(await audit(owner.id, 'collaboration.reject')).toEqual([{ action: 'collaboration.reject', outcome: 'ok', actorId: null }]);
    expect(await everyUse(token)).toEqual([404, 404, 404, 404]);
  });

  it('resend mails a new link with a new expiry; the old link is unknown', async () => {
    const owner = await createOwner(t);
    const { email, memberId, token: old } = await invite(t, owner);
    clock.advance(6 * DAY);
    // Sessions end after 3 idle days: sign in again.
    const resent = await t.http.as(await signIn(t, owner.email)).post(`/api/v1/collaboration/members/${memberId}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.expiresAt).toBe(new Date(clock.now().getTime() + 7 * DAY).toISOString());
    const mail = await smtp.waitFor(email, (m) => m.text.includes('replaces the link'));
    const fresh = tokenOf(linkIn(mail, `${PUBLIC}/invitations/`));
    expect(fresh).not.toBe(old);
    expect(await everyUse(old)).toEqual([404, 404, 404, 404]);
    clock.advance(3 * DAY); // 9 days after the first mail, 3 after the second
    expect((await t.http.get(`/api/v1/invitations/${fresh}`)).status).toBe(200);
    expect(await audit(owner.id, 'collaboration.resend')).toHaveLength(1);
  });

  it('resend is only for pending invitations', async () => {
    const owner = await createOwner(t);
    const { memberId, token } = await invite(t, owner);
    await t.http.post(`/api/v1/invitations/${token}/reject`);
    await expectNoChange(t, async () => {
      const answer = await t.http.as(owner).post(`/api/v1/collaboration/members/${memberId}/resend`);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('invalid_state');
    });
  });

  it('an expired link is 410 invitation_expired everywhere and changes nothing; a resend revives the invitation', async () => {
    const owner = await createOwner(t);
    const invitee = await createOwner(t, 'late');
    const { memberId, token } = await invite(t, owner, { email: invitee.email });
    clock.advance(7 * DAY);
    const [ownerAgain, inviteeAgain] = [await signIn(t, owner.email), await signIn(t, invitee.email)];
    await expectNoChange(t, async () => {
      const preview = await t.http.get(`/api/v1/invitations/${token}`);
      expect(preview.status).toBe(410);
      expect(preview.body.code).toBe('invitation_expired');
      expect((await t.http.as(inviteeAgain).post(`/api/v1/invitations/${token}/accept`)).status).toBe(410);
      expect((await t.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Late', password: PASSWORD })).status).toBe(410);
      expect((await t.http.post(`/api/v1/invitations/${token}/reject`)).status).toBe(410);
    });
    const member = await t.http.as(ownerAgain).get(`/api/v1/collaboration/members/${memberId}`);
    expect(member.body).toMatchObject({ status: 'pending', invitationExpired: true });
    await t.http.as(ownerAgain).post(`/api/v1/collaboration/members/${memberId}/resend`);
    const mail = await smtp.waitFor(invitee.email, (m) => m.text.includes('replaces the link'));
    expect((await t.http.as(inviteeAgain).post(`/api/v1/invitations/${tokenOf(linkIn(mail, `${PUBLIC}/invitations/`))}/accept`)).status).toBe(200);
  });

  it('removing a pending member kills its link', async () => {
    const owner = await createOwner(t);
    const { memberId, token } = await invite(t, owner);
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${memberId}`)).status).toBe(204);
    expect(await everyUse(token)).toEqual([404, 404, 404, 404]);
  });

  it('a removed member cannot rejoin with its old link; only a new invitation brings it back', async () => {
    const owner = await createOwner(t);
    const member = await createOwner(t, 'rejoin');
    const first = await invite(t, owner, { email: member.email });
    expect((await t.http.as(member).post(`/api/v1/invitations/${first.token}/accept`)).status).toBe(200);
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${first.memberId}`)).status).toBe(204);
    expect((await t.http.as(member).post(`/api/v1/invitations/${first.token}/accept`)).status).toBe(404);
    const second = await invite(t, owner, { email: member.email });
    expect(second.memberId).not.toBe(first.memberId);
    expect((await t.http.as(member).post(`/api/v1/invitations/${first.token}/accept`)).status).toBe(404);
    expect((await t.http.as(member).post(`/api/v1/invitations/${second.token}/accept`)).status).toBe(200);
  });

  it('rejected and left members can be invited again: pending, a new link, no shares', async () => {
    const owner = await createOwner(t);
    const rejected = await invite(t, owner, { displayName: 'Once' });
    await t.http.post(`/api/v1/invitations/${rejected.token}/reject`);
    const again = await t.http.as(owner).post('/api/v1/collaboration/members', { email: rejected.email });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: rejected.memberId, status: 'pending', displayName: 'Once', user: null, acceptedAt: null });

    const leaver = await invite(t, owner);
    const signup = await t.http.post(`/api/v1/invitations/${leaver.token}/signup`, { name: 'Leaver', password: PASSWORD });
    await t.http.as(owner).post(`/api/v1/collaboration/members/${leaver.memberId}/shares`, { resource: { type: 'account' }, roleIds: ['viewer'] });
    expect((await t.http.as(signup.body.token).post(`/api/v1/collaborations/${leaver.memberId}/leave`)).status).toBe(200);
    const back = await t.http.as(owner).post('/api/v1/collaboration/members', { email: leaver.email });
    expect(back.body).toMatchObject({ status: 'pending', user: null });
    expect((await t.http.as(owner).get(`/api/v1/collaboration/members/${leaver.memberId}/shares`)).body.items).toEqual([]);
    // Pending again: the old membership grants nothing and does not show on the member's side as active.
    const mine = await t.http.as(signup.body.token).get('/api/v1/collaborations');
    expect(mine.body.items).toEqual([expect.objectContaining({ id: leaver.memberId, status: 'pending' })]);
  });
});

describe('the member side by id', () => {
  it('a verified invitee sees its pending invitation and accepts or rejects it by id; an unverified one sees nothing', async () => {
    const owner = await createOwner(t);
    const a = await createOwner(t, 'byid');
    const b = await createOwner(t, 'byid');
    const unverified = await signUpAndIn(t);
    const ia = await invite(t, owner, { email: a.email });
    const ib = await invite(t, owner, { email: b.email });
    await invite(t, owner, { email: unverified.email });

    const listed = await t.http.as(a).get('/api/v1/collaborations');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: ia.memberId, status: 'pending', expiresAt: expect.any(String) })]);
    expect((await t.http.as(unverified).get('/api/v1/collaborations')).body.items).toEqual([]);

    await expectNoChange(t, async () => {
      expect((await t.http.as(a).post(`/api/v1/collaborations/${ib.memberId}/accept`)).status).toBe(404);
    });
    const accepted = await t.http.as(a).post(`/api/v1/collaborations/${ia.memberId}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.collaboration.status).toBe('active');
    const rejected = await t.http.as(b).post(`/api/v1/collaborations/${ib.memberId}/reject`);
    expect(rejected.body.collaboration.status).toBe('rejected');
    expect((await t.http.get(`/api/v1/invitations/${ia.token}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/invitations/${ib.token}`)).status).toBe(404);
  });
});

describe('limits', () => {
  it('counts invitations per owner in the database: over the daily allowance is 429 rate_limited', async () => {
    const limited = await startTestApp({ config: { invitationsPerDay: 2 } });
    try {
      const owner = await createOwner(limited);
      const first = await invite(limited, owner);
      await invite(limited, owner);
      await expectNoChange(limited, async () => {
        const third = await limited.http.as(owner).post('/api/v1/collaboration/members', { email: uniqueEmail() });
        expect(third.status).toBe(429);
        expect(third.body.code).toBe('rate_limited');
        expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
        expect((await limited.http.as(owner).post(`/api/v1/collaboration/members/${first.memberId}/resend`)).status).toBe(429);
      });
      // Another owner has its own allowance, and a second node on the same database counts the same rows.
      const other = await createOwner(limited);
      await invite(limited, other);
      const second = await startTestApp({ config: { invitationsPerDay: 2 }, database: limited.db });
      try {
        expect((await second.http.as(owner).post('/api/v1/collaboration/members', { email: uniqueEmail() })).status).toBe(429);
      } finally {
        await second.close();
      }
    } finally {
      await limited.close();
    }
  });

  it('limits the public link routes per IP', async () => {
    const limited = await startTestApp({ rateLimits: { invitationTokenPerIp: { max: 3, windowSeconds: 600 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.http.get(`/api/v1/invitations/guess-${i}`)).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
      expect((await limited.http.post('/api/v1/invitations/guess/reject')).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

