import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { createOwner } from '../factories.js';
import { invite, inviteAndAccept } from '../factories/collaboration.js';
import { createEnvironment } from '../factories/environments.js';
import { auditEvents } from '../../src/db/schema/index.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the owner’s audit log', () => {
  it('records every collaboration change with its actor and target, refusals included', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const intruder = await createOwner(t, 'intruder');
    const pending = await invite(t, owner);
    await t.http.as(intruder).post(`/api/v1/invitations/${pending.token}/accept`);
    await t.http.as(owner).post(`/api/v1/collaboration/members/${pending.memberId}/resend`);
    const path = `/api/v1/collaboration/members/${member.memberId}`;
    await t.http.as(owner).patch(path, { displayName: 'M' });
    const role = (await t.http.as(owner).post('/api/v1/roles', { name: 'R', permissions: ['env.view'] })).body;
    await t.http.as(owner).patch(`/api/v1/roles/${role.id}`, { description: 'read' });
    const env = await createEnvironment(t, owner);
    const shareId = (await t.http.as(owner).post(`${path}/shares`, { resource: { type: 'environment', id: env.id }, roleIds: [role.id] })).body.id;
    await t.http.as(owner).patch(`${path}/shares/${shareId}`, { roleIds: ['viewer'] });
    await t.http.as(owner).delete(`${path}/shares/${shareId}`);
    await t.http.as(owner).delete(`/api/v1/roles/${role.id}`);
    await t.http.as(owner).post(`${path}/suspend`);
    await t.http.as(owner).post(`${path}/activate`);
    await t.http.as(member).get('/api/v1/collaboration/members', { query: { ownerId: owner.id } });
    await t.http.as(owner).delete(path);

    const rows = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.ownerId, owner.id)).orderBy(asc(auditEvents.id));
    const log = rows
      .filter((row) => !row.action.startsWith('account.') && !row.action.startsWith('environment.'))
      .map((row) => [row.action, row.outcome, row.actorId === owner.id ? 'owner' : row.actorId === member.id ? 'member' : row.actorId === intruder.id ? 'intruder' : row.actorId]);
    expect(log).toEqual([
      ['collaboration.invite', 'ok', 'owner'],
      ['collaboration.accept', 'ok', 'member'],
      ['collaboration.invite', 'ok', 'owner'],
      ['collaboration.accept', 'denied', 'intruder'],
      ['collaboration.resend', 'ok', 'owner'],
      ['collaboration.update', 'ok', 'owner'],
      ['role.create', 'ok', 'owner'],
      ['role.update', 'ok', 'owner'],
      ['share.create', 'ok', 'owner'],
      ['share.update', 'ok', 'owner'],
      ['share.delete', 'ok', 'owner'],
      ['role.delete', 'ok', 'owner'],
      ['collaboration.suspend', 'ok', 'owner'],
      ['collaboration.activate', 'ok', 'owner'],
      ['collaboration.list', 'denied', 'member'],
      ['collaboration.remove', 'ok', 'owner'],
    ]);
    const share = rows.find((row) => row.action === 'share.create');
    expect(share).toMatchObject({ targetType: 'share', targetId: shareId, actorEmail: owner.email });
  });
});
