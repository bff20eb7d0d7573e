import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEmailToken } from '../../src/accounts/email-tokens.js';
import { HOUR, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { SoftAuthenticator } from '../support/webauthn.js';
import { type Account, signUpAndIn } from '../factories.js';

let t: TestApp;
const origin = 'http://shareplane.test';

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Registers a new software passkey for the account. */
async function register(account: Account, name = 'Laptop', authenticator = new SoftAuthenticator(origin)) {
  const options = await t.http.as(account).post('/api/v1/me/passkeys/options');
  expect(options.status).toBe(200);
  const created = await t.http.as(account).post('/api/v1/me/passkeys', { name, response: authenticator.create(options.body) });
  expect(created.status).toBe(201);
  return { authenticator, passkey: created.body };
}

async function signInWith(authenticator: SoftAuthenticator, settings?: Parameters<SoftAuthenticator['get']>[1]) {
  const options = await t.http.post('/api/v1/auth/passkey/options');
  expect(options.status).toBe(200);
  return t.http.post('/api/v1/auth/passkey', { response: authenticator.get(options.body, settings) });
}

describe('passkeys', () => {
  it('registers a discoverable passkey for this site and lists it, never with its key', async () => {
    const account = await signUpAndIn(t);
    const options = await t.http.as(account).post('/api/v1/me/passkeys/options');
    expect(options.body).toMatchObject({ rp: { id: 'shareplane.test' }, user: { name: account.email }, authenticatorSelection: { residentKey: 'required' } });
    const { passkey } = await register(account);
    expect(passkey).toMatchObject({ name: 'Laptop', backedUp: false, transports: ['internal'], lastUsedAt: null });
    const list = await t.http.as(account).get('/api/v1/me/passkeys');
    expect(list.body.items).toEqual([passkey]);
    expect(JSON.stringify(list.body)).not.toMatch(/publicKey|credentialId/);
    // The next registration excludes the passkey already there, so one authenticator is not registered twice.
    const again = await t.http.as(account).post('/api/v1/me/passkeys/options');
    expect(again.body.excludeCredentials).toHaveLength(1);
  });

  it('signs in without a password, spends each challenge once and records the use', async () => {
    const account = await signUpAndIn(t);
    const { authenticator, passkey } = await register(account);
    const options = await t.http.post('/api/v1/auth/passkey/options');
    const answer = authenticator.get(options.body);
    const signedIn = await t.http.post('/api/v1/auth/passkey', { response: answer });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.id).toBe(account.id);
    expect(signedIn.body.token).toMatch(/^sps_/);
    expect((await t.http.as(signedIn.body.token).get('/api/v1/me')).body.email).toBe(account.email);
    expect(([] as string[]).concat(signedIn.headers['set-cookie'] as string[]).some((line) => line.startsWith('sp_session='))).toBe(true);

    const replayed = await t.http.post('/api/v1/auth/passkey', { response: answer });
    expect(replayed.status).toBe(400);
    expect(replayed.body.code).toBe('webauthn_failed');

    const listed = await t.http.as(account).get('/api/v1/me/passkeys');
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    const audit = await t.http.as(account).get('/api/v1/audit', { query: { action: 'account.login' } });
    expect(audit.body.items.some((event: { details: { passkeyId?: string } | null }) => event.details?.passkeyId === passkey.id)).toBe(true);
  });

  it('refuses another origin, a cloned key (counter going back), an unknown passkey and an expired challenge', async () => {
    const account = await signUpAndIn(t);
    const { authenticator } = await register(account);
    const elsewhere = await signInWith(authenticator, { origin: 'https://phishing.example' });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.code).toBe('invalid_credentials');

    expect((await signInWith(authenticator, { counter: 10 })).status).toBe(200);
    const cloned = await signInWith(authenticator, { counter: 5 });
    expect(cloned.status).toBe(401);

    const stranger = await signInWith(new SoftAuthenticator(origin));
    expect(stranger.status).toBe(401);

    const options = await t.http.post('/api/v1/auth/passkey/options');
    t.clock.advance(6 * MINUTE);
    const late = await t.http.post('/api/v1/auth/passkey', { response: authenticator.get(options.body) });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('webauthn_failed');
  });

  it("renames and removes only the caller's own passkeys; a removed one signs in no more", async () => {
    const account = await signUpAndIn(t);
    const other = await signUpAndIn(t);
    const { authenticator, passkey } = await register(account);
    expect((await t.http.as(other).patch(`/api/v1/me/passkeys/${passkey.id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await t.http.as(other).delete(`/api/v1/me/passkeys/${passkey.id}`)).status).toBe(404);
    const renamed = await t.http.as(account).patch(`/api/v1/me/passkeys/${passkey.id}`, { name: 'Phone' });
    expect(renamed.body.name).toBe('Phone');
    expect((await t.http.as(account).delete(`/api/v1/me/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await signInWith(authenticator)).status).toBe(401);
    const audit = await t.http.as(account).get('/api/v1/audit', { query: { action: 'account.passkey_*' } });
    expect(audit.body.items.map((event: { action: string }) => event.action).sort()).toEqual(['account.passkey_add', 'account.passkey_remove', 'account.passkey_rename']);
  });

  it('refuses a registration answered for another challenge, another person or twice', async () => {
    const account = await signUpAndIn(t);
    const other = await signUpAndIn(t);
    const authenticator = new SoftAuthenticator(origin);
    const options = await t.http.as(account).post('/api/v1/me/passkeys/options');
    const answer = authenticator.create(options.body);
    const byOther = await t.http.as(other).post('/api/v1/me/passkeys', { name: 'Stolen', response: answer });
    expect(byOther.status).toBe(400);
    expect(byOther.body.code).toBe('webauthn_failed');
    const forged = authenticator.create({ challenge: 'bm90LWlzc3VlZA' });
    expect((await t.http.as(account).post('/api/v1/me/passkeys', { name: 'Laptop', response: forged })).body.code).toBe('webauthn_failed');
    const bad = await t.http.as(account).post('/api/v1/me/passkeys', { name: 'Laptop', response: { id: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    // The challenge was issued to the account: the other person's try did not spend it, the account's answer counts once.
    expect((await t.http.as(account).post('/api/v1/me/passkeys', { name: 'Laptop', response: answer })).status).toBe(201);
    expect((await t.http.as(account).post('/api/v1/me/passkeys', { name: 'Laptop', response: answer })).body.code).toBe('webauthn_failed');
  });

  it('are credentials: an API token neither lists nor registers them', async () => {
    const account = await signUpAndIn(t);
    const token = await t.http.as(account).post('/api/v1/tokens', { name: 'ci' });
    for (const answer of [await t.http.as(token.body.token).get('/api/v1/me/passkeys'), await t.http.as(token.body.token).post('/api/v1/me/passkeys/options')]) {
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('token_cannot_manage_credentials');
    }
  });
});

describe('a password reset', () => {
  it('removes the passkeys too: one registered by whoever held the account before is a way in', async () => {
    const account = await signUpAndIn(t);
    const { authenticator } = await register(account);
    // The token the reset mail would carry (test/accounts/password-reset.test.ts follows the mail itself).
    const token = await issueEmailToken(t.ctx.db, account.id, 'reset', t.clock.now(), HOUR);
    expect((await t.http.post('/api/v1/auth/reset', { token, password: 'a brand new password 1' })).status).toBe(200);
    expect((await signInWith(authenticator)).status).toBe(401);
  });
});
