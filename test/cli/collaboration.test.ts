import { describe, expect, it } from 'vitest';
import { createGroup } from '../factories/environments.js';
import { invitationToken } from '../factories/collaboration.js';
import { createOwner, PASSWORD } from '../factories.js';
import { cliWorld, type Terminal } from './support.js';

const world = cliWorld();

// Each step is a process of its own (about a second on a busy machine): the first test runs some thirty.
const LONG = { timeout: 120_000 };

async function ownerTerminal(): Promise<{ terminal: Terminal; owner: Awaited<ReturnType<typeof createOwner>> }> {
  const owner = await createOwner(world.server);
  const terminal = await world.terminal();
  const login = await terminal.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password });
  expect(login.code, login.stderr).toBe(0);
  return { terminal, owner };
}

describe('shareplane against a running server: the owner invites, aliases, shares and explains', () => {
  it('invites a@b.test as A, shares prod-web, and explains access by alias, email and id', LONG, async () => {
    const { terminal, owner } = await ownerTerminal();
    const group = await createGroup(world.server, owner, { name: 'production' });
    const created = await terminal.json(['envs', 'create', 'prod-web', '--group', 'production', '--node', 'app:nginx:1.27:1:2', '--wait']);
    expect(created).toMatchObject({ name: 'prod-web', status: 'running', nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }] });
    expect(created.groups.map((g: any) => g.id)).toEqual([group.id]);

    const table = await terminal.run(['envs', 'ls']);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'OWNER', 'ACCESS', 'ID']);
    expect(row?.split(/\s+/)).toEqual(['prod-web', 'running', owner.email, 'owner', created.id]);
    expect((await terminal.json(['groups', 'ls'])).map((g: any) => g.name)).toEqual(['production']);
    expect(await terminal.json(['envs', 'ls', '--group', 'production'])).toEqual([expect.objectContaining({ id: created.id })]);
    expect((await terminal.json(['envs', 'stop', 'prod-web', '--wait'])).status).toBe('stopped');
    expect((await terminal.json(['envs', 'start', created.id, '--wait'])).status).toBe('running');

    const invite = await terminal.run(['members', 'invite', 'a@b.test', '--alias', 'A']);
    expect(invite.code, invite.stderr).toBe(0);
    expect(invite.stdout).toMatch(/^Invited A {2}a@b\.test {2}pending /);
    const [pending] = await terminal.json(['members', 'ls']);
    expect(pending).toMatchObject({ email: 'a@b.test', displayName: 'A', status: 'pending' });
    const token = await invitationToken(world.server, 'a@b.test');
    const signup = await world.server.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Collaborator', password: PASSWORD });
    expect(signup.status).toBe(201);

    const roles = await terminal.json(['roles', 'ls']);
    expect(roles.filter((role: any) => role.system).map((role: any) => role.id)).toEqual(expect.arrayContaining(['viewer', 'operator', 'developer', 'admin']));
    const share = await terminal.json(['shares', 'add', 'A', '--env', 'prod-web', '--role', 'viewer']);
    expect(share).toMatchObject({ resource: { type: 'environment', id: created.id }, roles: [{ id: 'viewer' }] });

    const explained = await terminal.json(['access', 'explain', 'A', 'prod-web']);
    expect(explained).toMatchObject({ allowed: true, level: 'direct', via: [{ shareId: share.id, resource: { type: 'environment', id: created.id } }] });
    expect(explained.permissions).toContain('env.view');
    expect(explained.permissions).not.toContain('env.stop');
    expect(await terminal.json(['access', 'explain', 'a@b.test', created.id])).toEqual(explained);
    expect(await terminal.json(['access', 'explain', pending.id, 'prod-web'])).toEqual(explained);
    const stop = await terminal.json(['access', 'explain', 'A', 'prod-web', '--permission', 'env.stop']);
    expect(stop).toMatchObject({ allowed: false, permission: 'env.stop' });
    const words = await terminal.run(['access', 'explain', 'A', 'prod-web']);
    expect(words.stdout).toContain('A can reach prod-web, through the direct level');
    expect(words.stdout).toContain(`via share ${share.id} on environment prod-web: ${share.roles[0].name}`);

    const suspended = await terminal.json(['members', 'suspend', 'A']);
    expect(suspended.status).toBe('suspended');
    expect(await terminal.json(['access', 'explain', 'A', 'prod-web'])).toMatchObject({ allowed: false, blockedBy: 'suspended' });
    expect((await terminal.json(['members', 'activate', 'A'])).status).toBe('active');

    expect((await terminal.json(['members', 'alias', 'A', 'Contractor'])).displayName).toBe('Contractor');
    expect((await terminal.json(['members', 'alias', 'Contractor'])).displayName).toBeNull();
    const [listed] = await terminal.json(['shares', 'ls', 'a@b.test']);
    expect(listed.id).toBe(share.id);
    const preview = await terminal.json(['shares', 'rm', 'a@b.test', share.id, '--dry-run']);
    expect(preview.accessChanges).toEqual([expect.objectContaining({ environmentId: created.id, lost: expect.arrayContaining(['env.view']) })]);
    expect(await terminal.json(['shares', 'ls', 'a@b.test'])).toHaveLength(1);
    expect((await terminal.run(['shares', 'rm', 'a@b.test', share.id])).code).toBe(0);
    expect(await terminal.json(['shares', 'ls', 'a@b.test'])).toEqual([]);

    expect((await terminal.run(['members', 'unlink', 'a@b.test'])).code).toBe(0);
    expect(await terminal.json(['members', 'ls'])).toEqual([]);
  });

  it('a viewer sees the environment through its own login, and is refused a stop with exit 5 and the detail', LONG, async () => {
    const { terminal, owner } = await ownerTerminal();
    await terminal.json(['envs', 'create', 'shop-web', '--wait']);
    await terminal.json(['members', 'invite', 'viewer@b.test', '--alias', 'V']);
    const token = await invitationToken(world.server, 'viewer@b.test');
    const signup = await world.server.http.post(`/api/v1/invitations/${token}/signup`, { name: 'Viewer', password: PASSWORD });
    await terminal.json(['shares', 'add', 'V', '--account', '--role', 'viewer']);

    const member = await world.terminal();
    expect((await member.run(['login', '--token', signup.body.token])).code).toBe(0);
    const seen = await member.json(['envs', 'ls', '--owner', owner.email]);
    expect(seen.map((env: any) => [env.name, env.access])).toEqual([['shop-web', 'account']]);
    const refused = await member.run(['envs', 'stop', 'shop-web', '--json']);
    expect(refused.code).toBe(5);
    const { error } = JSON.parse(refused.stdout);
    expect(error).toMatchObject({ status: 403, code: 'missing_permission', permission: 'env.stop' });
    expect(refused.stderr).toBe(`shareplane: ${error.detail}\n`);
    // the owner's side of the account is not the viewer's to list
    const members = await member.run(['members', 'ls', '--owner', owner.id]);
    expect(members.code).toBe(5);
    expect(members.stderr).toMatch(/^shareplane: \S/);
  });

  it('answers what it cannot find with exit 4, conflicts with exit 6 and bad input with exit 2', LONG, async () => {
    const { terminal, owner } = await ownerTerminal();
    await terminal.json(['envs', 'create', 'api-web']);
    await terminal.json(['members', 'invite', 'dup@b.test', '--alias', 'D']);

    const nobody = await terminal.run(['access', 'explain', 'Nobody', 'api-web']);
    expect(nobody).toMatchObject({ code: 4, stderr: 'shareplane: no member Nobody\n' });
    expect((await terminal.run(['envs', 'start', 'no-such-env'])).code).toBe(4);
    const unknownId = await terminal.run(['tokens', 'revoke', 'no-such-token'], { env: { SHAREPLANE_PASSWORD: owner.password } });
    expect(unknownId.code).toBe(4);
    expect(unknownId.stderr).toMatch(/^shareplane: \S/);

    const again = await terminal.run(['members', 'invite', 'dup@b.test', '--json']);
    expect(again.code).toBe(6);
    expect(JSON.parse(again.stdout).error).toMatchObject({ status: 409, code: 'conflict' });

    const badEmail = await terminal.run(['members', 'invite', 'not-an-email']);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toBe('shareplane: email: must be an email address\n');
    const noResource = await terminal.run(['shares', 'add', 'D', '--role', 'viewer']);
    expect(noResource).toMatchObject({ code: 2, stderr: 'shareplane: pass exactly one of --account, --group <group> or --env <environment>\n' });
    expect((await terminal.run(['envs', 'create', 'x-web', '--node', 'app'])).code).toBe(2);
    expect((await terminal.run(['members', 'bogus'])).code).toBe(2);
    expect((await terminal.run(['access', 'explain', 'D'])).code).toBe(2);
  });
});
