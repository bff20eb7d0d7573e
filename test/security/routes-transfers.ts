import { expect } from 'vitest';
import { type Account, createOwner } from '../factories.js';
import { createRunningEnvironment } from '../factories/environments.js';
import type { CallerKind } from './actors.js';
import { type World, freshEnvironment } from './actors.js';
import { type Expected, hiddenAs404, missing, ownerOnly } from './expectations.js';
import type { RouteSpec } from './routes.js';

const api = (path: string) => `/api/v1${path}`;
const byOwner = (w: World) => ({ ownerId: w.owner.id });
// A transfer belongs to its two sides, not to the account's members: every member gets the same, the one locked out
// for want of a second factor included (it is refused nothing it could otherwise see).
const everyRole = (expected: Expected): Partial<Record<CallerKind, Expected>> => ({
  viewer: expected,
  operator: expected,
  developer: expected,
  admin: expected,
  noSecondFactor: expected,
});
const hidden: Expected = { kind: 'hidden' };

async function askTransfer(w: World, from: Account, environmentId: string, to: Account): Promise<string> {
  const answer = await w.t.http.as(from).post(api(`/environments/${environmentId}/transfers`), { email: to.email });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id as string;
}

const recipients = new WeakMap<World, Promise<Account>>();
/** An account outside the owner's, to give environments to. */
function recipientOf(w: World): Promise<Account> {
  let recipient = recipients.get(w);
  if (!recipient) {
    recipient = createOwner(w.t, 'recipient');
    recipients.set(w, recipient);
  }
  return recipient;
}

/** A transfer the owner asked for (pending), and one made to the owner by another account (pending). */
const outgoing = new WeakMap<World, Promise<string>>();
const transferListed = new WeakMap<World, string>();
const incoming = new WeakMap<World, Promise<string>>();
function outgoingOf(w: World): Promise<string> {
  let id = outgoing.get(w);
  if (!id) {
    id = (async () => askTransfer(w, w.owner, (await createRunningEnvironment(w.t, w.owner)).id, await recipientOf(w)))();
    outgoing.set(w, id);
  }
  return id;
}
/** A new transfer to the owner from the recipient account, for a case that answers it. */
async function freshIncoming(w: World): Promise<string> {
  const giver = await recipientOf(w);
  return askTransfer(w, giver, (await createRunningEnvironment(w.t, giver)).id, w.owner);
}
function incomingOf(w: World): Promise<string> {
  let id = incoming.get(w);
  if (!id) {
    id = freshIncoming(w);
    incoming.set(w, id);
  }
  return id;
}

/**
 * Transfers (issue 14). Asking is the owner's alone (a manager gets 403 forbidden, any other member who sees the
 * environment 403 naming collaboration.manage, as for the account's other owner-only routes). A transfer belongs to its
 * two sides only: anyone else, members included, gets 404 on it and never sees it listed.
 */
export function transferRoutes(): RouteSpec[] {
  const answer = (how: 'accept' | 'decline'): RouteSpec => ({
    method: 'POST',
    name: `/transfers/:id/${how}`,
    level: 'account',
    permission: null,
    ok: 200,
    expect: everyRole(hiddenAs404),
    build: async (w, _who, succeeds) => ({ path: api(`/transfers/${succeeds ? await freshIncoming(w) : await incomingOf(w)}/${how}`) }),
    check: (reply) => expect(reply.body.status).toBe(how === 'accept' ? 'accepted' : 'declined'),
  });
  const routes: RouteSpec[] = [
    {
      method: 'POST',
      name: '/environments/:id/transfers',
      level: 'account',
      permission: 'collaboration.manage',
      ok: 201,
      expect: { admin: ownerOnly },
      build: async (w, who, succeeds) => ({
        path: api(`/environments/${succeeds ? await freshEnvironment(w, who, 'running') : w.env.id}/transfers`),
        body: { email: (await recipientOf(w)).email },
      }),
    },
    {
      method: 'GET',
      name: '/transfers',
      level: 'account',
      permission: null,
      ok: 200,
      // The owner's pending outgoing transfer: build makes it first, so the sync check can name it.
      listed: (w) => transferListed.get(w) ?? '',
      expect: { ...everyRole(hidden), suspended: hidden, left: hidden, removed: hidden, stranger: hidden },
      build: async (w) => {
        transferListed.set(w, await outgoingOf(w));
        return { path: api('/transfers') };
      },
    },
    answer('accept'),
    answer('decline'),
    {
      method: 'POST',
      name: '/transfers/:id/cancel',
      level: 'account',
      permission: null,
      ok: 200,
      expect: everyRole(hiddenAs404),
      build: async (w, _who, succeeds) => {
        const id = succeeds ? await askTransfer(w, w.owner, (await createRunningEnvironment(w.t, w.owner)).id, await recipientOf(w)) : await outgoingOf(w);
        return { path: api(`/transfers/${id}/cancel`) };
      },
      check: (reply) => expect(reply.body.status).toBe('cancelled'),
    },
  ];
  return routes;
}

/** Budgets are the owner's alone, as the account's policy is: the owner pays. */
export function budgetRoutes(): RouteSpec[] {
  const judged = { level: 'account', permission: 'collaboration.manage', idOnly: true, expect: { noShare: missing('collaboration.manage'), admin: ownerOnly } } as const;
  const path = (w: World) => api(`/collaboration/members/${w.target.memberId}/budget`);
  return [
    { ...judged, method: 'GET', name: '/collaboration/members/:id/budget?ownerId', ok: 200, build: async (w) => ({ path: path(w), query: byOwner(w) }) },
    {
      ...judged,
      method: 'PUT',
      name: '/collaboration/members/:id/budget?ownerId',
      ok: 200,
      build: async (w) => ({ path: path(w), query: byOwner(w), body: { monthlyBudget: '50' } }),
    },
    { ...judged, method: 'DELETE', name: '/collaboration/members/:id/budget?ownerId', ok: 204, build: async (w) => ({ path: path(w), query: byOwner(w) }) },
  ];
}
