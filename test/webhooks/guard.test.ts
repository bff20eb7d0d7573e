import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries, webhookEndpoints } from '../../src/db/schema/index.js';
import { EXCERPT_CHARS, MAX_RESPONSE_BYTES, postWebhook } from '../../src/webhooks/post.js';
import { isPrivateAddress, resolveTarget, WebhookTargetRefused } from '../../src/webhooks/target.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { settleWebhooks, WebhookReceiver } from '../support/webhook-receiver.js';
import { type Account, createPaidOwner } from '../factories.js';

let t: TestApp;
let owner: Account;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  t = await startTestApp({ workers: true });
  owner = await createPaidOwner(t, 'owner');
});
afterAll(async () => {
  await t.close();
  await receiver.stop();
});

describe('the SSRF guard', () => {
  it('knows loopback, private, link-local, metadata and mapped addresses from public ones', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::7f00:1', '::ffff:10.0.0.1', '64:ff9b::a00:1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808']) expect(isPrivateAddress(address), address).toBe(false);
  });

  it('refuses private targets when an endpoint is registered', async () => {
    for (const url of ['http://127.0.0.1/hook', 'http://localhost:8080/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::127.0.0.1]/', 'http://2130706433/', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/', 'http://metadata.google.internal/']) {
      const answer = await t.http.as(owner).post('/api/v1/webhooks', { url, events: ['*'] });
      expect(answer.status, url).toBe(400);
      expect(answer.body.code, url).toBe('webhook_target_refused');
    }
    const notHttp = await t.http.as(owner).post('/api/v1/webhooks', { url: 'file:///etc/passwd', events: ['*'] });
    expect(notHttp.body.code).toBe('webhook_target_refused');
    const withCredentials = await t.http.as(owner).post('/api/v1/webhooks', { url: 'https://user:pass@hooks.example.test/', events: ['*'] });
    expect(withCredentials.body.code).toBe('webhook_target_refused');
    expect((await t.http.as(owner).get('/api/v1/webhooks')).body.items).toEqual([]);
  });

  it('checks the address a name resolves to, and pins the connection to the checked one', async () => {
    await expect(resolveTarget('http://localhost/hook', false)).rejects.toBeInstanceOf(WebhookTargetRefused);
    const allowed = await resolveTarget('http://localhost:1/hook', true);
    expect(isPrivateAddress(allowed.address)).toBe(true);
    // Pinned: the request goes to the checked address whatever the URL's host would resolve to now.
    const pinned = await postWebhook({ url: new URL(`http://hooks.invalid:${new URL(receiver.url).port}/hooks`), address: '127.0.0.1', family: 4 }, {}, '{}');
    expect(pinned.status).toBe(200);
    expect(receiver.received.at(-1)?.headers.host).toContain('hooks.invalid');
  });

  it('refuses at delivery time too: a private target that got into the table is never contacted', async () => {
    const [endpoint] = await t.ctx.db
      .insert(webhookEndpoints)
      .values({ ownerId: owner.id, url: receiver.url, events: ['*'], secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` })
      .returning();
    const before = receiver.received.length;
    await t.http.as(owner).post('/api/v1/roles', { name: 'Guarded role', permissions: ['env.view'] });
    await settleWebhooks(t);
    const [delivery] = await t.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint?.id ?? ''));
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseCode: null });
    expect(delivery?.lastError).toMatch(/^refused target: 127\.0\.0\.1 resolves to 127\.0\.0\.1/);
    expect(receiver.received.length).toBe(before);
  });
});

describe('bounded attempts', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/huge') {
        response.writeHead(200);
        // An endless body: the reader stops after MAX_RESPONSE_BYTES.
        const chunk = 'x'.repeat(16 * 1024);
        const pump = () => {
          while (response.write(chunk));
          response.once('drain', pump);
        };
        response.on('close', () => response.removeAllListeners('drain'));
        pump();
        return;
      }
      // /hang: never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads at most a bounded part of an endless response and keeps an excerpt of it', async () => {
    const result = await postWebhook({ url: new URL(`${base}/huge`), address: '127.0.0.1', family: 4 }, {}, '{}');
    expect(result.status).toBe(200);
    expect(result.excerpt.length).toBe(EXCERPT_CHARS);
    expect(MAX_RESPONSE_BYTES).toBeLessThan(1024 * 1024);
  });

  it('gives up on an endpoint that never answers', async () => {
    await expect(postWebhook({ url: new URL(`${base}/hang`), address: '127.0.0.1', family: 4 }, {}, '{}', 300)).rejects.toThrow(/no answer within 300 ms/);
  });
});

describe('a limit on requests the server makes for an owner', () => {
  it('refuses registering endpoints (and redelivering) past the hourly limit with 429', async () => {
    const limited = await startTestApp({ database: t.db, rateLimits: { webhookRequestsPerUser: { max: 2, windowSeconds: 3600 } } });
    try {
      const someone = await createPaidOwner(limited, 'limited');
      const register = () => limited.http.as(someone).post('/api/v1/webhooks', { url: 'https://hooks.example.test/limited', events: ['role.*'] });
      expect((await register()).status).toBe(201);
      expect((await register()).status).toBe(201);
      const third = await register();
      expect(third.status).toBe(429);
      expect(third.body.code).toBe('rate_limited');
      expect((await limited.http.as(someone).get('/api/v1/webhooks')).body.items).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});
