import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredRoutes } from '../../src/http/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { ROUTES } from './routes.js';

// Routes that act on an owner's resources are in the BOLA matrix (routes.ts). These others act only on the caller's
// own things, or on nothing of anyone's, and say why here; anything else must be in the matrix.
const OWN_OR_PUBLIC: Record<string, string> = {
  'GET /api/v1/environments': "the caller's own and shared environments, each decided; the matrix covers it with ?ownerId and ?groupId",
  'GET /api/v1/collaborations': "the caller's own collaborations and invitations to its verified address",
  'POST /api/v1/collaborations/:id/accept': 'an invitation to the caller’s own verified address (test/collaboration/invitations.test.ts)',
  'POST /api/v1/collaborations/:id/reject': 'an invitation to the caller’s own verified address (test/collaboration/invitations.test.ts)',
  'POST /api/v1/invitations/:token/accept': 'the link proves the address; only its verified holder may accept (test/collaboration/invitations.test.ts)',
  'POST /api/v1/collaborations/:id/leave': "the caller's own collaboration (test/collaboration/my-collaborations.test.ts)",
};

/** The matrix entry's method and path, as the router writes them. */
function routeOf(spec: (typeof ROUTES)[number]): string {
  const path = spec.name.split(/[ ?]/)[0] ?? spec.name;
  return `${spec.method} /api/v1${path}`;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('every route that acts on an owner’s resources is in the BOLA matrix', () => {
  it('no route with a rule, and no route of an active account, is left out of the matrix or the reasoned list', () => {
    const inMatrix = new Set(ROUTES.map(routeOf));
    const missing = declaredRoutes(t.app)
      .filter((route) => route.ruled || route.access === 'activeAccount')
      .map((route) => `${route.method} ${route.url}`)
      .filter((route) => !inMatrix.has(route) && !(route in OWN_OR_PUBLIC));
    expect(missing).toEqual([]);
  });

  it('the matrix and the reasoned list name only routes that exist', () => {
    const registered = new Set(declaredRoutes(t.app).map((route) => `${route.method} ${route.url}`));
    expect([...ROUTES.map(routeOf), ...Object.keys(OWN_OR_PUBLIC)].filter((route) => !registered.has(route))).toEqual([]);
  });

  it('every route with a rule is an active account’s route: an ended trial never reaches a resource', () => {
    expect(declaredRoutes(t.app).filter((route) => route.ruled && route.access !== 'activeAccount')).toEqual([]);
  });
});
