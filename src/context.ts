import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { RuntimeDriver } from './environments/runtime/driver.js';
import type { RateLimitPolicies } from './http/rate-limit.js';

/** What every service needs, built once per process and passed down explicitly. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  rateLimits: RateLimitPolicies;
  /** Runs environments' nodes: the built-in simulation, or a real driver behind the same interface. */
  runtime: RuntimeDriver;
  /** Nudges background workers after a commit, so work does not wait for the next poll. */
  wake: Wakers;
}

export interface Wakers {
  mail(): void;
  runtime(): void;
  webhooks(): void;
}
