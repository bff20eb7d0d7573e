import { and, eq, isNotNull, lte, or } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints } from '../../src/db/schema/index.js';
import type { TestApp } from './app.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * A real HTTP server that receives webhooks on loopback. `answer` sets what it replies (status and body), `down`
 * makes it refuse connections, and `waitFor` waits until a request matching a predicate has arrived.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  status = 200;
  reply = 'ok';
  private server: Server | null = null;
  private port = 0;
  private waiters: (() => void)[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
        this.received.push({ headers: request.headers, body, json });
        response.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.reply);
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening: deliveries now fail to connect. `start()` listens again on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The hooks received so far of `type`. */
  ofType(type: string): ReceivedHook[] {
    return this.received.filter((hook) => hook.json?.type === type);
  }

  async waitFor(match: (hook: ReceivedHook) => boolean, timeoutMs = 15_000): Promise<ReceivedHook> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching webhook within ${timeoutMs} ms; got ${this.received.map((hook) => hook.json?.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/**
 * Runs the webhook worker until nothing is due and no node holds a claim: the background loop may be mid-attempt
 * when this starts, and its outcome must be recorded before a test reads the delivery log.
 */
export async function settleWebhooks(t: TestApp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    while (((await t.workers?.webhooks.runOnce()) ?? 0) > 0);
    const now = t.clock.now();
    const [busy] = await t.ctx.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        or(
          isNotNull(webhookDeliveries.claim),
          and(eq(webhookDeliveries.status, 'pending'), eq(webhookEndpoints.enabled, true), lte(webhookDeliveries.nextAttemptAt, now)),
        ),
      )
      .limit(1);
    if (!busy) return;
    if (Date.now() > deadline) throw new Error('webhook deliveries did not settle');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
