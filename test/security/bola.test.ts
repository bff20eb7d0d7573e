import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import type { Answer } from '../support/http.js';
import { type Actor, actorOf, buildWorld, CALLERS, type CallerKind, type Level, type World } from './actors.js';
import { describeExpected, type Expected, expectedFor, hiddenAs404 } from './expectations.js';
import { ROUTES, type RouteSpec } from './routes.js';

// The BOLA matrix (issue 4): every route acting on an owner's resources × every kind of caller, with the exact
// answer, and the database unchanged after every refusal. The world is built once; cases that succeed on a route
// consuming its target get a fresh one (routes.ts), so the order of cases does not matter.

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await startTestApp({ config: { invitationsPerDay: 100_000 } });
  w = await buildWorld(t);
}, 120_000);
afterAll(() => t.close());

const SHARE: Record<Level, string> = { environment: 'direct share', group: 'group share', account: 'account share' };

function callerLabel(kind: CallerKind, level: Level): string {
  switch (kind) {
    case 'owner':
      return 'owner';
    case 'noShare':
      return 'member without a share on it';
    case 'scopedViewer':
      return "admin's token scoped to the account with viewer permissions";
    case 'outsideScope':
      return "admin's token scoped to another environment";
    case 'suspended':
      return 'suspended member (developer)';
    case 'left':
      return 'member who left';
    case 'removed':
      return 'removed member';
    case 'expiredTrial':
      return 'expired-trial member (developer)';
    case 'stranger':
      return 'stranger';
    case 'anonymous':
      return 'anonymous';
    default:
      return `${kind} member (${SHARE[level]})`;
  }
}

const idsOf = (answer: Answer) => (answer.body.items as Array<{ id: string }>).map((item) => item.id);
const shown = (answer: Answer) => `${answer.status} ${JSON.stringify(answer.body)}`;

async function runCase(route: RouteSpec, who: Actor, expected: Expected, options: { withoutOwnerId?: boolean } = {}): Promise<void> {
  const req = await route.build(w, who, expected.kind === 'ok');
  const query = { ...req.query };
  if (options.withoutOwnerId) delete query.ownerId;
  const body = req.body ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
  const call = () => t.http.request(route.method, req.path, body, { token: who.account?.token, query });

  if (expected.kind === 'ok') {
    const answer = await call();
    expect(answer.status, shown(answer)).toBe(expected.status);
    if (route.listed) expect(idsOf(answer)).toContain(route.listed(w));
    route.check?.(answer, w, who);
    return;
  }
  await expectNoChange(t, async () => {
    const answer = await call();
    if (expected.kind === 'hidden') {
      expect(answer.status, shown(answer)).toBe(200);
      if (route.listed) expect(idsOf(answer)).not.toContain(route.listed(w));
      return;
    }
    expect(answer.status, shown(answer)).toBe(expected.status);
    expect(answer.body.code, shown(answer)).toBe(expected.code);
    if (expected.permission) expect(answer.body.permission, shown(answer)).toBe(expected.permission);
  });
}

for (const route of ROUTES) {
  const name = `${route.method} ${route.name}`;
  describe(name, () => {
    for (const kind of CALLERS) {
      const expected = expectedFor(route, kind);
      it(`${callerLabel(kind, route.level)} → ${name} → ${describeExpected(expected)}`, async () => {
        await runCase(route, actorOf(w, kind, route.level), expected);
      });
    }
    if (route.idOnly) {
      // Ids from the path mean nothing before a query scoped to the caller: without ?ownerId the caller's own
      // account is searched, and the owner's id is not in it.
      it(`stranger naming only the id (no ?ownerId) → ${name} → 404`, async () => {
        await runCase(route, actorOf(w, 'stranger', route.level), hiddenAs404, { withoutOwnerId: true });
      });
    }
  });
}
