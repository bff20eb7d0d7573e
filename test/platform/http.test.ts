import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { startTestApp, testConfig, type TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/databases.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('HTTP platform', () => {
  it('health names the database in use', async () => {
    const health = await t.http.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: testDatabaseKind() });
  });

  it('serves the OpenAPI document generated from the route schemas, and a browsable reference', async () => {
    const doc = await t.http.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const signup = doc.body.paths['/api/v1/auth/signup'].post;
    expect(Object.keys(signup.requestBody.content['application/json'].schema.properties)).toEqual(['email', 'password', 'name']);
    expect(signup.responses['400']).toBeDefined();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('answers unknown routes and malformed bodies with problem+json', async () => {
    const missing = await t.http.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.body.code).toBe('not_found');

    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(broken.statusCode).toBe(400);
    expect(JSON.parse(broken.body).code).toBe('validation_failed');
  });

  it('sends a request id on every answer, a fixed set of headers on JSON and the full set on HTML', async () => {
    const health = await t.http.get('/api/health');
    expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(health.headers['content-security-policy']).toBeUndefined();

    for (const url of ['/', '/environments', '/api/docs/']) {
      const page = await t.app.inject({ method: 'GET', url });
      expect(page.headers['content-type'], url).toContain('text/html');
      expect(page.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(page.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(page.headers['x-content-type-options'], url).toBe('nosniff');
      // Over plain http, nothing asks the browser to switch to https.
      expect(page.headers['strict-transport-security'], url).toBeUndefined();
      expect(page.headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
    }
  });
});

describe('building the app', () => {
  it('refuses to start when a route declares no access rule', async () => {
    const { app } = await buildApp({ config: testConfig(), database: t.db.database, clock: new ManualClock(), logger: false });
    expect(() => app.get('/api/v1/forgotten', async () => 'oops')).toThrow(/declares no access rule/);
    await app.close();
  });

  it('hides internals of a 5xx and gives its request id', async () => {
    const { app } = await buildApp({ config: testConfig(), database: t.db.database, clock: new ManualClock(), logger: false });
    app.get('/api/v1/explode', { config: { access: 'public' } }, async () => {
      throw new Error('secret internal detail');
    });
    const answer = await app.inject({ method: 'GET', url: '/api/v1/explode' });
    const body = JSON.parse(answer.body);
    expect(answer.statusCode).toBe(500);
    expect(body.code).toBe('internal_error');
    expect(body.requestId).toBe(answer.headers['x-request-id']);
    expect(answer.body).not.toContain('secret internal detail');
    await app.close();
  });
});
