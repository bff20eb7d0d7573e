import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOwner, enrolSecondFactor, totpCode } from '../factories.js';
import { freePort } from '../support/process.js';
import { cliWorld } from './support.js';

const world = cliWorld();
// Every command is a process of its own: a test running many of them needs more than the default time.
const LONG = { timeout: 120_000 };

const configFile = (configHome: string) => join(configHome, 'shareplane', 'config.json');

describe('shareplane login and logout', () => {
  it('signs in with an email and a password, keeps a minted API token in a 0600 file, and logout revokes it', async () => {
    const owner = await createOwner(world.server);
    const terminal = await world.terminal();
    const login = await terminal.run(['login', '--email', owner.email, '--password-stdin', '--json'], { input: `${owner.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ server: world.url, user: { id: owner.id, email: owner.email } });

    const path = configFile(terminal.configHome);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(stored).toMatchObject({ server: world.url, user: { email: owner.email } });
    expect(stored.token).toMatch(/^sp_pat_/);
    const tokens = await terminal.json(['tokens', 'ls', '--password-stdin'], { input: owner.password });
    const minted = tokens.find((token: any) => token.id === stored.tokenId);
    expect(minted?.name).toMatch(/^shareplane CLI on /);
    expect(Date.parse(minted.expiresAt)).toBeGreaterThan(Date.now() + 89 * 24 * 3600 * 1000);
    expect(await terminal.json(['whoami'])).toMatchObject({ id: owner.id, email: owner.email });

    const logout = await terminal.run(['logout']);
    expect(logout.code, logout.stderr).toBe(0);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    const revoked = await terminal.run(['whoami', '--token', stored.token]);
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toMatch(/^shareplane: \S/);
  });

  it('with two-factor sign-in on, takes --code (or SHAREPLANE_CODE) for the second step and refuses a wrong one', async () => {
    const owner = await createOwner(world.server);
    const { secret, recoveryCodes } = await enrolSecondFactor(world.server, owner);
    const terminal = await world.terminal();
    const env = { SHAREPLANE_PASSWORD: owner.password };
    const wrong = await terminal.run(['login', '--email', owner.email, '--code', '000000'], { env });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/code is not right/);
    world.server.clock.advance(30_000);
    const login = await terminal.run(['login', '--email', owner.email, '--code', totpCode(world.server, secret)], { env });
    expect(login.code, login.stderr).toBe(0);
    const viaEnv = await terminal.run(['login', '--email', owner.email], { env: { ...env, SHAREPLANE_CODE: recoveryCodes[0] ?? '' } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(await terminal.json(['whoami'])).toMatchObject({ id: owner.id });
  });

  it('takes the password from SHAREPLANE_PASSWORD too, and a second login replaces the token the first one minted', async () => {
    const owner = await createOwner(world.server);
    const terminal = await world.terminal();
    const env = { SHAREPLANE_PASSWORD: owner.password };
    expect((await terminal.run(['login', '--email', owner.email], { env })).code).toBe(0);
    const first = JSON.parse(await readFile(configFile(terminal.configHome), 'utf8'));
    const again = await terminal.run(['login', '--email', owner.email], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Signed in to ${world.url} as ${owner.email}`);
    const ids = (await terminal.json(['tokens', 'ls'], { env })).map((token: any) => token.id);
    expect(ids).not.toContain(first.tokenId);
    expect(ids).toHaveLength(1);
  });

  it('checks and stores a token the user brings, and refuses one the server does not know with exit 3', async () => {
    const owner = await createOwner(world.server);
    const created = await world.server.http.as(owner).post('/api/v1/tokens', { name: 'laptop' });
    const terminal = await world.terminal();
    const login = await terminal.run(['login', '--token', created.body.token]);
    expect(login.code, login.stderr).toBe(0);
    const stored = JSON.parse(await readFile(configFile(terminal.configHome), 'utf8'));
    expect(stored).toEqual({ server: world.url, token: created.body.token, user: { id: owner.id, email: owner.email } });
    // logout forgets a token it did not mint, and leaves it working
    expect((await terminal.run(['logout'])).code).toBe(0);
    expect((await terminal.run(['whoami', '--token', created.body.token])).code).toBe(0);

    const bogus = await terminal.run(['login', '--token', 'spt_not-a-token']);
    expect(bogus.code).toBe(3);
    expect(bogus.stderr).toMatch(/^shareplane: \S/);
    await expect(stat(configFile(terminal.configHome))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("answers a wrong password with exit 3 and the server's detail on stderr, and stores nothing", async () => {
    const owner = await createOwner(world.server);
    const terminal = await world.terminal();
    const refused = await terminal.run(['login', '--email', owner.email, '--password-stdin', '--json'], { input: 'wrong password' });
    expect(refused.code).toBe(3);
    const { error } = JSON.parse(refused.stdout);
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials', exitCode: 3 });
    expect(refused.stderr).toBe(`shareplane: ${error.detail}\n`);
    await expect(stat(configFile(terminal.configHome))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('tells a terminal without a login how to sign in (exit 3), and an unreachable server is exit 1', async () => {
    const terminal = await world.terminal();
    const anonymous = await terminal.run(['envs', 'ls']);
    expect(anonymous.code).toBe(3);
    expect(anonymous.stderr).toContain('run `shareplane login`');
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await terminal.run(['whoami', '--server', nowhere, '--token', 'spt_x']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach ${nowhere}`);
  });

  it('manages API tokens signed in with the password: creates one whose secret is printed once, lists it without the secret, and revokes it', LONG, async () => {
    const owner = await createOwner(world.server);
    const terminal = await world.terminal();
    expect((await terminal.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password })).code).toBe(0);
    const env = { SHAREPLANE_PASSWORD: owner.password };
    const created = await terminal.json(['tokens', 'create', 'ci', '--expires-in', '7'], { env });
    expect(created).toMatchObject({ name: 'ci', token: expect.stringMatching(/^sp_pat_/) });
    expect(Date.parse(created.expiresAt)).toBeLessThan(Date.now() + 8 * 24 * 3600 * 1000);
    const listed = await terminal.json(['tokens', 'ls'], { env });
    expect(listed.find((token: any) => token.id === created.id)).toEqual(expect.not.objectContaining({ token: expect.anything() }));
    const words = await terminal.run(['tokens', 'ls'], { env });
    expect(words.stdout.split('\n')[0]?.split(/\s{2,}/)).toEqual(['ID', 'NAME', 'SCOPE', 'CREATED', 'EXPIRES', 'LAST USED']);
    expect(words.stdout).toContain('everything I can do');
    expect(words.stdout).not.toContain(created.token);
    expect((await terminal.run(['whoami', '--token', created.token])).code).toBe(0);
    expect((await terminal.run(['tokens', 'revoke', created.id], { env })).code).toBe(0);
    expect((await terminal.run(['whoami', '--token', created.token])).code).toBe(3);
    expect((await terminal.run(['tokens', 'create', 'old', '--expires-at', 'yesterday'], { env })).code).toBe(2);
    // Each call's sign-in session is ended again: only the session the test's own sign-in started is left.
    const sessions = await world.server.http.as(owner).get('/api/v1/me/sessions');
    expect(sessions.body.items).toHaveLength(1);
  });

  it('the token commands refuse a wrong password, need an email without a stored login, and the stored token alone is refused on token routes', LONG, async () => {
    const owner = await createOwner(world.server);
    const terminal = await world.terminal();
    expect((await terminal.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password })).code).toBe(0);
    const env = { SHAREPLANE_PASSWORD: owner.password };
    const wrong = await terminal.run(['tokens', 'ls'], { env: { SHAREPLANE_PASSWORD: 'not the password' } });
    expect(wrong.code).toBe(3);
    const stored = JSON.parse(await readFile(configFile(terminal.configHome), 'utf8'));
    const direct = await fetch(`${world.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${stored.token}` } });
    expect(direct.status).toBe(403);
    expect(((await direct.json()) as { code: string }).code).toBe('token_cannot_manage_credentials');
    // Without a stored login, it needs an email to sign in with.
    const stranger = await world.terminal();
    const noEmail = await stranger.run(['tokens', 'ls'], { env });
    expect(noEmail.code).toBe(2);
    expect(noEmail.stderr).toContain('--email');
    expect((await stranger.run(['tokens', 'ls', '--email', owner.email], { env })).code).toBe(0);
  });

  it('with two-factor sign-in on, the token commands take --code (or SHAREPLANE_CODE) too', LONG, async () => {
    const owner = await createOwner(world.server);
    const { secret } = await enrolSecondFactor(world.server, owner);
    const terminal = await world.terminal();
    const env = { SHAREPLANE_PASSWORD: owner.password };
    world.server.clock.advance(30_000);
    expect((await terminal.run(['login', '--email', owner.email, '--code', totpCode(world.server, secret)], { env })).code).toBe(0);
    world.server.clock.advance(30_000);
    const created = await terminal.json(['tokens', 'create', 'ci', '--code', totpCode(world.server, secret)], { env });
    expect(created).toMatchObject({ name: 'ci' });
    const noCode = await terminal.run(['tokens', 'ls'], { env });
    expect(noCode.code).toBe(2);
    world.server.clock.advance(30_000);
    const listed = await terminal.json(['tokens', 'ls'], { env: { ...env, SHAREPLANE_CODE: totpCode(world.server, secret) } });
    expect(listed.map((token: any) => token.name)).toContain('ci');
  });
});
