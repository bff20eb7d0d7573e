import { describe, expect, it } from 'vitest';
import type { TokenScope } from '../../src/access/token-scope.js';
import { accessIn, createIn, environment, onAccount, share, theAccount, world } from './builders.js';

// Issue 12: a request made with a scoped token gets the intersection of the scope and its holder's live access.
const scoped = (resources: TokenScope['resources'], permissions: TokenScope['permissions']): TokenScope => ({ ownerId: 'owner', resources, permissions });
const groups = [
  { id: 'prod', parentId: null },
  { id: 'prod-eu', parentId: 'prod' },
];
const environments = [
  { id: 'web', groupIds: ['prod-eu'] },
  { id: 'lab', groupIds: [] },
];
const developer = [share(onAccount, ['developer'])];

describe('scoped tokens: the intersection of scope and holder', () => {
  it('a token scoped to one environment with env.deploy deploys there, sees it, and reaches nothing else', () => {
    const w = world({ groups, environments, shares: developer, tokenScope: scoped([{ type: 'environment', id: 'web' }], ['env.deploy']) });
    expect(accessIn(w, environment('web')).permissions).toEqual(['env.view', 'env.deploy']);
    expect(accessIn(w, environment('lab')).blockedBy).toBe('token_scope');
    expect(accessIn(w, theAccount).blockedBy).toBe('token_scope');
    expect(accessIn(w, createIn(null)).blockedBy).toBe('token_scope');
  });

  it('a group scope reaches its subgroups, and creation only there', () => {
    const w = world({ groups, environments, shares: developer, tokenScope: scoped([{ type: 'group', id: 'prod' }], ['env.create', 'env.restart']) });
    expect(accessIn(w, environment('web')).permissions).toEqual(['env.view', 'env.restart', 'env.create']);
    expect(accessIn(w, createIn('prod-eu')).permissions).toContain('env.create');
    expect(accessIn(w, createIn(null)).blockedBy).toBe('token_scope');
  });

  it('never more than the holder: a viewer holder keeps only what both allow, and a suspended one nothing', () => {
    const scope = scoped([{ type: 'account' }], ['env.view', 'env.deploy']);
    const viewer = world({ groups, environments, shares: [share(onAccount, ['viewer'])], tokenScope: scope });
    expect(accessIn(viewer, environment('web')).permissions).toEqual(['env.view']);
    const suspended = world({ groups, environments, shares: developer, membership: 'suspended', tokenScope: scope });
    expect(accessIn(suspended, environment('web')).blockedBy).toBe('suspended');
  });

  it("the owner's own token is cut down too, and a token of another account reaches nothing here", () => {
    const own = world({ subjectId: 'owner', groups, environments, tokenScope: scoped([{ type: 'environment', id: 'lab' }], ['env.logs']) });
    expect(accessIn(own, environment('lab')).permissions).toEqual(['env.view', 'env.logs']);
    expect(accessIn(own, environment('web')).blockedBy).toBe('token_scope');
    const elsewhere = world({ groups, environments, shares: developer, tokenScope: { ...scoped([{ type: 'account' }], ['env.view']), ownerId: 'another' } });
    expect(accessIn(elsewhere, environment('web')).blockedBy).toBe('token_scope');
  });

  it("a token living longer than the owner's cap gets nothing in the owner's account, scoped or not; at the cap, or in its holder's own account, it acts", () => {
    const longLived = { groups, environments, shares: developer, ownerTokenMaxLifetimeDays: 30, tokenLifetimeDays: 90 };
    expect(accessIn(world(longLived), environment('web')).blockedBy).toBe('token_lifetime_exceeded');
    expect(accessIn(world({ ...longLived, tokenScope: scoped([{ type: 'account' }], ['env.view']) }), theAccount).blockedBy).toBe('token_lifetime_exceeded');
    // A blocked holder is blocked for what blocks it first.
    expect(accessIn(world({ ...longLived, membership: 'suspended' }), environment('web')).blockedBy).toBe('suspended');
    expect(accessIn(world({ ...longLived, tokenLifetimeDays: 30 }), environment('web')).permissions).toContain('env.deploy');
    expect(accessIn(world({ ...longLived, tokenLifetimeDays: undefined }), environment('web')).permissions).toContain('env.deploy');
    expect(accessIn(world({ ...longLived, subjectId: 'owner' }), environment('web')).level).toBe('owner');
  });
});
