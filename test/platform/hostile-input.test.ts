import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaidOwner } from '../factories.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await t.close();
});

/** Sends raw bytes over a real socket (Node's HTTP parser included) and answers the status, type and body. */
async function raw(text: string): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (chunk) => (out += chunk.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
  const [head = '', body = ''] = reply.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]);
  const type = /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
  return { status, type, body: body ? (JSON.parse(body) as Record<string, unknown>) : {} };
}

const request = (line: string, headers: string[] = []) => raw([line, 'Host: localhost', ...headers, 'Connection: close', '', ''].join('\r\n'));

describe('hostile input', () => {
  it.each([
    ['a bad percent-encoding in the path', () => request('GET /api/v1/invitations/%E0%A4%A HTTP/1.1'), 400],
    ['a URL beyond the header limit', () => request(`GET /api/v1/me?x=${'a'.repeat(20_000)} HTTP/1.1`), 431],
    ['a huge header', () => request('GET /api/v1/me HTTP/1.1', [`X-Padding: ${'a'.repeat(20_000)}`]), 431],
    ['a broken request line', () => raw('NOT HTTP\r\n\r\n'), 400],
    ['a NUL byte in a header', () => request('GET /api/v1/me HTTP/1.1', ['User-Agent: a\u0000b']), 400],
    ['a path parameter longer than the router takes', () => request(`GET /api/v1/environments/${'a'.repeat(500)} HTTP/1.1`), 404],
    [
      'malformed JSON',
      () => raw('POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{"email":'),
      400,
    ],
  ])('%s answers problem+json', async (_label, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.type).toContain('application/problem+json');
    expect(typeof answer.body.code).toBe('string');
  });

  it('refuses NUL characters and lone surrogates in the path, the query, the body and the user agent, naming where', async () => {
    const owner = await createPaidOwner(t, 'hostile');
    const as = t.http.as(owner);
    const inBody = await as.post('/api/v1/groups', { name: 'a\u0000b' });
    expect(inBody.status).toBe(400);
    expect(inBody.body.errors).toEqual([{ path: 'name', message: 'must not contain NUL characters' }]);
    const surrogate = await as.patch('/api/v1/me', { name: 'x\ud800' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.errors[0].message).toContain('lone surrogates');
    expect((await as.get('/api/v1/environments/a%00b')).status).toBe(400);
    expect((await as.get('/api/v1/audit', { query: { action: 'a\u0000' } })).body.code).toBe('validation_failed');
    const agent = await t.http.post('/api/v1/auth/login', { email: owner.email, password: owner.password }, { headers: { 'user-agent': 'a\u0000' } });
    expect(agent.status).toBe(400);
  });

  it('refuses dates outside 1970–9999 with a 400', async () => {
    const owner = await createPaidOwner(t, 'dates');
    const as = t.http.as(owner);
    for (const [path, query] of [
      ['/api/v1/audit', { from: '0000-01-01T00:00:00Z' }],
      ['/api/v1/billing/usage', { to: '0000-01-01T00:00:00Z' }],
    ] as const) {
      const answer = await as.get(path, { query });
      expect(answer.status, path).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
    }
    const token = await as.post('/api/v1/tokens', { name: 'old', expiresAt: '0001-01-01T00:00:00Z' });
    expect(token.status).toBe(400);
  });

  it("an owner's PATCH of a group that changes nothing answers the group unchanged", async () => {
    const owner = await createPaidOwner(t, 'noop');
    const group = await t.http.as(owner).post('/api/v1/groups', { name: 'same' });
    const patched = await t.http.as(owner).patch(`/api/v1/groups/${group.body.id}`, { parentId: null });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ id: group.body.id, name: 'same', parentId: null });
  });
});
