import { createServer } from 'node:net';
import { ensureAdmin } from '../../../src/accounts/admin.js';
import type { Config } from '../../../src/config.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { SmtpCapture } from '../../support/smtp.js';

export const ADMIN = { email: 'admin@shareplane.test', password: 'admin password 123' };

export interface Stack {
  /**
   * http://127.0.0.1:<port> (or `hostname` instead of the address), also the server's PUBLIC_URL, so mailed links
   * open in the browser.
   */
  url: string;
  /** The real SMTP listener the server sends to; null for a dev-mailbox server. */
  smtp: SmtpCapture | null;
  server: TestApp;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server on a free port with its workers, a fresh PGlite database and a platform admin: mail goes to a
 * real SMTP listener, or (`devMailbox: true`) stays in the dev mailbox as without SMTP_URL. It listens on
 * 127.0.0.1 whatever `hostname` the URL names (`localhost` for passkeys).
 */
export async function startStack(options: { devMailbox?: boolean; config?: Partial<Config>; hostname?: string } = {}): Promise<Stack> {
  const smtp = options.devMailbox ? null : await new SmtpCapture().start();
  const port = await freePort();
  // Passkeys need a host name: browsers refuse an IP address as a WebAuthn relying party.
  const url = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const server = await startTestApp({
    ...(smtp ? { smtp } : {}),
    workers: true,
    config: { publicUrl: url, adminEmail: ADMIN.email, adminPassword: ADMIN.password, ...options.config },
  });
  await ensureAdmin(server.ctx);
  await server.app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    smtp,
    server,
    close: async () => {
      await server.close();
      await smtp?.stop();
    },
  };
}
