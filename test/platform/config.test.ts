import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { rateLimits } from '../../src/db/schema/index.js';
import { signUpAndIn } from '../factories.js';
import { startTestApp } from '../support/app.js';
import { freePort, shareplaneRunner, waitForHealthy } from '../support/process.js';

const start = shareplaneRunner();

describe('configuration', () => {
  it('serves the dev mailbox by default only when both HOST and PUBLIC_URL are loopback', () => {
    expect(loadConfig({}).devMailbox).toBe(true);
    expect(loadConfig({ HOST: '127.0.0.1', PUBLIC_URL: 'http://localhost:3000' }).devMailbox).toBe(true);
    // A loopback server behind a reverse proxy that serves the public is not private.
    expect(loadConfig({ HOST: '127.0.0.1', PUBLIC_URL: 'https://paas.example.com' }).devMailbox).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'http://localhost:3000' }).devMailbox).toBe(false);
    expect(loadConfig({ HOST: '127.0.0.1', PUBLIC_URL: 'https://paas.example.com', DEV_MAILBOX: 'on' }).devMailbox).toBe(true);
    expect(loadConfig({ DEV_MAILBOX: 'off' }).devMailbox).toBe(false);
  });

  it('warns at start when DEV_MAILBOX=on opens the mailbox beyond loopback', async () => {
    const port = await freePort();
    const proc = start(['serve'], {
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'shareplane-')), 'data'),
      PORT: String(port),
      PUBLIC_URL: 'https://paas.example.com',
      DEV_MAILBOX: 'on',
    });
    await waitForHealthy(`http://127.0.0.1:${port}/api/health/live`, 30_000, proc);
    await expect.poll(() => proc.output()).toMatch(/DEV_MAILBOX=on while serving https:\/\/paas\.example\.com/);
  });

  it('validates TRUST_PROXY: off, a hop count, or proxy addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(typeof loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe('function');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback, ::1' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback', '::1']);
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.example.com', '1.2.3.4/8/1']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  it('with TRUST_PROXY=1 the client is the address the proxy saw, not what the client wrote before it', async () => {
    const t = await startTestApp({ config: { trustProxy: loadConfig({ TRUST_PROXY: '1' }).trustProxy } });
    try {
      const account = await signUpAndIn(t);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
        payload: { email: account.email, password: 'wrong password' },
      });
      expect(login.statusCode).toBe(401);
      // Failures are counted per client address: the one the proxy appended, never the one the client made up.
      const keys = (await t.ctx.db.select({ key: rateLimits.key }).from(rateLimits)).map((row) => row.key);
      expect(keys).toContain('signin:fail:ip:203.0.113.9');
      expect(keys.some((key) => key.includes('6.6.6.6') || key.includes('10.0.0.2'))).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('caps environments and cloudlets per account, configurably', () => {
    expect(loadConfig({})).toMatchObject({ maxEnvironmentsPerAccount: 5000, maxCloudletsPerAccount: 100_000 });
    expect(loadConfig({ MAX_ENVIRONMENTS_PER_ACCOUNT: '3', MAX_CLOUDLETS_PER_ACCOUNT: '10' })).toMatchObject({
      maxEnvironmentsPerAccount: 3,
      maxCloudletsPerAccount: 10,
    });
    expect(() => loadConfig({ MAX_ENVIRONMENTS_PER_ACCOUNT: '0' })).toThrow(ConfigError);
  });
});
