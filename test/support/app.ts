import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { type RateLimitPolicies, relaxedRateLimits } from '../../src/http/rate-limit.js';
import type { App } from '../../src/http/types.js';
import { startWorkers, type Workers } from '../../src/workers/index.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { HttpClient } from './http.js';
import type { SmtpCapture } from './smtp.js';

export interface TestAppOptions {
  clock?: ManualClock;
  config?: Partial<Config>;
  /** Send mail to this real SMTP listener (and run the workers). */
  smtp?: SmtpCapture;
  /** Run the background workers (default: when `smtp` is given). */
  workers?: boolean;
  /** Limits for this app; tests get generous ones unless they test the limits. */
  rateLimits?: Partial<RateLimitPolicies>;
  /** Capture the app's log here, at the default level (info), one JSON line per entry. */
  log?: string[];
  /** Use this database instead of a fresh one (a second node on the same database). */
  database?: TestDatabase;
}

export interface TestApp {
  app: App;
  ctx: AppContext;
  db: TestDatabase;
  clock: ManualClock;
  http: HttpClient;
  workers: Workers | null;
  /** The SMTP listener this app sends to, when it has one. */
  smtp: SmtpCapture | undefined;
  close(): Promise<void>;
}

export const TEST_CREDENTIAL_KEY = Buffer.alloc(32, 7).toString('base64');

/** The configuration tests run with: no simulated latency, a fixed public URL, mail to the given listener. */
export function testConfig(overrides: Partial<Config> = {}, smtp?: SmtpCapture): Config {
  return {
    ...loadConfig({}),
    publicUrl: 'http://shareplane.test',
    runtimeDelayMs: 0,
    logLevel: 'silent',
    smtpUrl: smtp?.url,
    // As in production: the dev mailbox exists only without SMTP (tests listen on loopback).
    devMailbox: smtp === undefined,
    // One fixed key, so a second node on the same database reads the first one's second factors.
    credentialKey: TEST_CREDENTIAL_KEY,
    ...overrides,
  };
}

/** Builds the whole application on a fresh database of the run's kind, reached through app.inject. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const clock = options.clock ?? new ManualClock();
  const config = testConfig(options.config, options.smtp);
  const { app, ctx } = await buildApp({
    config,
    database: db.database,
    clock,
    logger: options.log ? { level: 'info', stream: { write: (line: string) => options.log?.push(line) } } : false,
    rateLimits: { ...relaxedRateLimits(), ...options.rateLimits },
  });
  await app.ready();
  const workers = (options.workers ?? options.smtp !== undefined) ? startWorkers(ctx, { pollMs: 50 }) : null;
  return {
    app,
    ctx,
    db,
    clock,
    http: new HttpClient(app),
    workers,
    smtp: options.smtp,
    close: async () => {
      await workers?.stop();
      await app.close();
      if (!options.database) await db.close();
    },
  };
}
