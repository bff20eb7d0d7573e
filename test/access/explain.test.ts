import { describe, expect, it } from 'vitest';
import { systemRoles } from '../../src/access/catalog.js';
import { explain } from '../../src/access/explain.js';
import { accessIn, at, createIn, environment, onAccount, onEnvironment, role, share, theAccount, world } from './builders.js';

const roleNames = new Map([...systemRoles.map((r) => [r.id, r.name] as const), ['deployer', 'Deployer']]);
const prod = { id: 'prod', groupIds: [] };

describe('explain()', () => {
  it('names the level, the shares and their roles that decided', () => {
    const direct = share(onEnvironment('prod'), ['viewer', 'deployer']);
    const w = world({ environments: [prod], customRoles: [role('deployer', ['env.deploy'])], shares: [share(onAccount, ['admin']), direct] });
    expect(explain(accessIn(w, environment('prod')), roleNames)).toEqual({
      allowed: true,
      level: 'direct',
      permissions: ['env.view', 'env.deploy', 'env.logs'],
      via: [{ shareId: direct.id, resource: onEnvironment('prod'), roles: [{ id: 'viewer', name: 'Viewer' }, { id: 'deployer', name: 'Deployer' }], team: null }],
    });
  });

  it('answers for the permission asked, without a blockedBy when a share decided', () => {
    const w = world({ environments: [prod], shares: [share(onAccount, ['viewer'])] });
    const explanation = explain(accessIn(w, environment('prod')), roleNames, { permission: 'env.stop' });
    expect(explanation).toMatchObject({ allowed: false, permission: 'env.stop', level: 'account' });
    expect(explanation).not.toHaveProperty('blockedBy');
  });

  it('says what blocked access when nothing granted it', () => {
    const w = world({ environments: [prod], shares: [share(onEnvironment('prod'), ['admin'], at(-1))] });
    expect(explain(accessIn(w, environment('prod')), roleNames)).toEqual({ allowed: false, level: null, permissions: [], via: [], blockedBy: 'share_expired' });
  });

  it('without a permission asked, answers whether the target is reached: seen, creatable, any permission on the account', () => {
    const w = world({ environments: [prod], customRoles: [role('accountant', ['billing.view'])], shares: [share(onAccount, ['accountant'])] });
    expect(explain(accessIn(w, environment('prod')), roleNames).allowed).toBe(false);
    expect(explain(accessIn(w, createIn(null)), roleNames, { on: 'create' }).allowed).toBe(false);
    expect(explain(accessIn(w, theAccount), roleNames, { on: 'account' }).allowed).toBe(true);
  });

  it('shows a role it has no name for by its id', () => {
    const w = world({ environments: [prod], shares: [share(onAccount, ['gone'])] });
    expect(explain(accessIn(w, environment('prod')), roleNames).via[0]?.roles).toEqual([{ id: 'gone', name: 'gone' }]);
  });

  it('names the team a share came through (issue 13)', () => {
    const theirs = share(onEnvironment('prod'), ['viewer']);
    const w = world({ environments: [prod], teams: [{ id: 'ops', memberIds: ['member'], shares: [theirs] }] });
    expect(explain(accessIn(w, environment('prod')), roleNames, {}, new Map([['ops', 'Operations']])).via).toEqual([
      { shareId: theirs.id, resource: onEnvironment('prod'), roles: [{ id: 'viewer', name: 'Viewer' }], team: { id: 'ops', name: 'Operations' } },
    ]);
  });
});
