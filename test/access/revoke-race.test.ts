/**
 * DESIGN.md section 6b: every write decides again under the lock, so a revoke that commits first always wins. Each
 * pair fires a member's write and the owner's revoke (a suspension, or deleting the member's share) at the same
 * moment. The database itself tells the order: a trigger (this test's own instrument) notes the wall-clock time of
 * each audit event as it is written, and an audit event is the last thing both transactions write. A write that
 * succeeded must have written before the revoke did; without the lock, a write decided before the revoke committed
 * could commit after it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRows } from '../../src/db/raw.js';
import { createOwner } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createEnvironment } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';

const PAIRS = Number(process.env.RACE_PAIRS ?? 200);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { invitationsPerDay: 100_000 } });
  await t.db.database.exec(`
    create table race_log (audit_id bigint primary key, action text not null, written_at timestamptz not null);
    create function race_note() returns trigger language plpgsql as $$
      begin insert into race_log values (new.id, new.action, clock_timestamp()); return new; end $$;
    create trigger race_note after insert on audit_events for each row execute function race_note();
  `);
});
afterAll(() => t.close());

interface Logged {
  action: string;
  written_at: Date;
  request_id: string | null;
}

async function loggedFor(requestIds: string[]) {
  const rows = await rawRows<Logged>(
    t.ctx.db,
    sql`select l.action, l.written_at, a.request_id from race_log l join audit_events a on a.id = l.audit_id where a.request_id in (${sql.join(requestIds.map((id) => sql`${id}`), sql`, `)}) and a.outcome = 'ok'`,
  );
  return new Map(rows.map((row) => [row.request_id ?? '', new Date(row.written_at)]));
}

describe('a revoke that commits first always wins over a write racing it', () => {
  it(`${PAIRS} pairs of a member's write against the owner's revoke: no write commits after the revoke`, async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    const path = `/api/v1/environments/${env.id}`;
    const counts = { writeFirst: 0, revokeFirst: 0 };
    for (let pair = 0; pair < PAIRS; pair += 1) {
      const bySuspension = pair % 2 === 0;
      const shareId = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['developer']);
      const revoke = bySuspension
        ? () => t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`)
        : () => t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${shareId}`);
      const [write, revoked] = await Promise.all([t.http.as(member).patch(path, { displayName: `Pair ${pair}` }), revoke()]);
      expect(revoked.status, JSON.stringify(revoked.body)).toBeLessThan(300);
      expect([200, 404]).toContain(write.status);
      if (write.status === 200) {
        const [writeId, revokeId] = [String(write.headers['x-request-id']), String(revoked.headers['x-request-id'])];
        const written = await loggedFor([writeId, revokeId]);
        const writeAt = written.get(writeId);
        const revokeAt = written.get(revokeId);
        expect(writeAt && revokeAt && writeAt.getTime() <= revokeAt.getTime(), `pair ${pair}: the write committed after the revoke`).toBe(true);
        counts.writeFirst += 1;
      } else counts.revokeFirst += 1;
      // Back to the start: an active member with no share.
      if (bySuspension) {
        expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/activate`)).status).toBe(200);
        expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${shareId}`)).status).toBe(204);
      }
    }
    // Both orders happened: the race was real (on PGlite, whose one connection runs transactions one after another, too).
    console.log(`revoke race on ${t.ctx.database.kind}: ${PAIRS} pairs, the write won ${counts.writeFirst}, the revoke won ${counts.revokeFirst}`);
    expect(counts.writeFirst + counts.revokeFirst).toBe(PAIRS);
  }, 600_000);
});
