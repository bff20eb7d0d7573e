import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type Account, createPaidOwner } from '../factories.js';
import { inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, lifecycle, type TestEnvironment } from '../factories/environments.js';

const clock = new ManualClock('2030-06-01T08:00:00Z');
let t: TestApp;
let owner: Account;
let member: Member;
let env: TestEnvironment;

const exported = (as: Account, query: Record<string, string>) => t.http.as(as).get('/api/v1/audit/export', { query });
const ndjson = (text: string) => text.split('\n').filter((row) => row !== '').map((row) => JSON.parse(row));

async function wholeLog(as: Account, query: Record<string, string> = {}) {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.http.as(as).get('/api/v1/audit', { query: { ...query, limit: 200, cursor } });
    expect(page.status).toBe(200);
    // The export carries the stored event; the list also names actors for the screen (actorName, actorLabel).
    items.push(...page.body.items.map(({ actorName: _name, actorLabel: _label, ...event }: any) => event));
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return items.reverse();
}

beforeAll(async () => {
  t = await startTestApp({ clock, workers: true });
  owner = await createPaidOwner(t, 'owner');
  member = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'member') });
  await share(t, owner, member.memberId, { type: 'account' }, ['operator']);
  clock.advance(MINUTE);
  env = await createRunningEnvironment(t, owner, { displayName: '=HYPERLINK("http://evil.test")' });
  clock.advance(MINUTE);
  await lifecycle(t, member, env.id, 'restart');
  clock.advance(MINUTE);
  expect((await t.http.as(member).delete(`/api/v1/environments/${env.id}`)).status).toBe(403);
});
afterAll(() => t.close());

describe('audit export', () => {
  it("streams the owner's whole log as ndjson, oldest first, the same events the log pages through", async () => {
    const answer = await exported(owner, { format: 'ndjson' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="audit-2030-06-01\.ndjson"$/);
    expect(ndjson(answer.body as unknown as string)).toEqual(await wholeLog(owner));
  });

  it('gives a member only its own actions in the owner’s account, without details, as the log does', async () => {
    const answer = await exported(member, { format: 'ndjson', ownerId: owner.id });
    const items = ndjson(answer.body as unknown as string);
    expect(items.map((item) => `${item.action}:${item.outcome}`)).toEqual(['collaboration.accept:ok', 'environment.restart:ok', 'environment.delete:denied']);
    expect(items.every((item) => item.actorId === member.id && item.details === undefined)).toBe(true);
    expect(items).toEqual(await wholeLog(member, { ownerId: owner.id }));
  });

  it('writes CSV with a header, quoted cells, and no cell a spreadsheet would run as a formula', async () => {
    const answer = await exported(owner, { format: 'csv', action: 'environment.*' });
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    const rows = (answer.body as unknown as string).split('\r\n').filter((row) => row !== '');
    expect(rows[0]).toBe('id,at,actorId,actorEmail,ownerId,action,targetType,targetId,outcome,requestId,details');
    expect(rows).toHaveLength(1 + (await wholeLog(owner, { action: 'environment.*' })).length);
    expect(rows.slice(1).every((row) => row.split(',')[5]?.startsWith('environment.'))).toBe(true);
    const created = rows.find((row) => row.includes('environment.create'));
    expect(created).toContain('""');
    expect(answer.body as unknown as string).not.toMatch(/,=HYPERLINK/);
  });

  it('filters by time and refuses what the log refuses', async () => {
    const from = '2030-06-01T08:02:00Z';
    const items = ndjson((await exported(owner, { from, to: '2030-06-01T08:03:00Z' })).body as unknown as string);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.at >= '2030-06-01T08:02:00.000Z' && item.at < '2030-06-01T08:03:00.000Z')).toBe(true);
    expect((await exported(owner, { from, to: from })).body.code).toBe('validation_failed');
    expect((await exported(owner, { format: 'xml' })).status).toBe(400);
    const stranger = await createPaidOwner(t, 'stranger');
    expect((await exported(stranger, { ownerId: owner.id })).status).toBe(404);
    expect((await t.http.get('/api/v1/audit/export')).status).toBe(401);
  });
});

// How many events the flat-memory export streams: 100 000 by default, EXPORT_EVENTS=1000000 for the full run
// (README, "Audit export").
const EXPORT_EVENTS = Number(process.env.EXPORT_EVENTS ?? 100_000);

describe('a large export', () => {
  it(`streams ${EXPORT_EVENTS} events over HTTP while the server's memory stays flat`, { timeout: 600_000 }, async () => {
    const big = await createPaidOwner(t, 'big');
    await t.ctx.db.execute(sql`
      insert into audit_events (at, actor_id, actor_email, owner_id, action, target_type, target_id, outcome, details)
      select timestamptz '2030-01-01T00:00:00Z' + n * interval '1 second', ${big.id}, ${big.email}, ${big.id},
             'environment.start', 'environment', 'env-' || n, 'ok', jsonb_build_object('n', n, 'reason', 'a line of text to give each event some weight')
      from generate_series(1, ${EXPORT_EVENTS}::int) as n`);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/api/v1/audit/export?format=ndjson&action=environment.start`, { headers: { authorization: `Bearer ${big.token}` } });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const samples: number[] = [];
    let lines = 0;
    let bytes = 0;
    let tail = '';
    let lastN = 0;
    for (let chunk = 0; ; chunk++) {
      const { done, value } = await reader.read().catch(async (error) => {
        await reader.cancel();
        throw error;
      });
      if (done) break;
      bytes += value.length;
      const text = tail + Buffer.from(value).toString('utf8');
      const parts = text.split('\n');
      tail = parts.pop() ?? '';
      for (const part of parts) {
        const n = JSON.parse(part).details.n as number;
        expect(n).toBe(lastN + 1);
        lastN = n;
      }
      lines += parts.length;
      if (chunk % 10 === 0) samples.push(process.memoryUsage().heapUsed);
    }
    expect(lines).toBe(EXPORT_EVENTS);
    // Loose on purpose: garbage collection comes when it likes. What must not happen is growth with the log: a
    // buffered export of this many events would hold several times the bytes sent.
    const warm = samples.slice(Math.floor(samples.length / 10), Math.floor(samples.length / 4));
    const late = samples.slice(Math.floor((samples.length * 3) / 4));
    const baseline = Math.max(...warm);
    const growth = Math.max(...late) - baseline;
    console.info(`export of ${lines} events: ${(bytes / 2 ** 20).toFixed(0)} MiB streamed, ${samples.length} samples, heap ${(baseline / 2 ** 20).toFixed(0)} MiB, late growth ${(growth / 2 ** 20).toFixed(1)} MiB`);
    expect(bytes).toBeGreaterThan(EXPORT_EVENTS * 200);
    expect(growth).toBeLessThan(64 * 2 ** 20);
  });
});
