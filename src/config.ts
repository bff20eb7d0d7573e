import { isIP } from 'node:net';
import { z } from 'zod';

/** Reads an optional environment variable, treating the empty string as unset. */
const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const integer = (fallback: number, min: number) =>
  optional.pipe(z.coerce.number<string | undefined>().int().min(min).optional()).transform((value) => value ?? fallback);

const envSchema = z.object({
  PORT: integer(3000, 0),
  HOST: optional.transform((value) => value ?? '127.0.0.1'),
  DATA_DIR: optional.transform((value) => value ?? './data'),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  PUBLIC_URL: optional.pipe(z.url().optional()),
  SMTP_URL: optional.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: optional.transform((value) => value ?? 'Shareplane <no-reply@localhost>'),
  ADMIN_EMAIL: optional.pipe(z.email().optional()),
  ADMIN_PASSWORD: optional,
  TRIAL_DAYS: integer(14, 0),
  INVITATION_TTL_SECONDS: integer(604800, 1),
  INVITATIONS_PER_DAY: integer(50, 1),
  RUNTIME_DELAY_MS: integer(300, 0),
  PRICE_PER_CLOUDLET_HOUR: optional
    .pipe(z.coerce.number<string | undefined>().min(0).optional())
    .transform((value) => value ?? 0.002),
  SESSION_IDLE_SECONDS: integer(3 * 24 * 3600, 60),
  SESSION_MAX_SECONDS: integer(30 * 24 * 3600, 60),
  LOG_LEVEL: optional.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  WORKERS: optional.pipe(z.enum(['on', 'off']).optional()).transform((value) => value ?? 'on'),
  DEV_MAILBOX: optional.pipe(z.enum(['on', 'off']).optional()),
  TRUST_PROXY: optional.pipe(
    z
      .string()
      .refine(validTrustProxy, 'must be off, a number of proxy hops (1, 2…), or a comma-separated list of proxy addresses or CIDR ranges')
      .optional(),
  ),
  MAX_ENVIRONMENTS_PER_ACCOUNT: integer(5000, 1),
  MAX_CLOUDLETS_PER_ACCOUNT: integer(100_000, 1),
  WEBHOOK_ALLOW_PRIVATE: optional.pipe(z.enum(['0', '1']).optional()),
  CREDENTIAL_KEY: optional.pipe(
    z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64 (openssl rand -base64 32)')
      .optional(),
  ),
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/;
// Fastify's names for the usual private ranges, accepted as entries of a TRUST_PROXY list.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validTrustProxy(value: string): boolean {
  if (/^(off|false|0|[1-9]\d?)$/i.test(value)) return true;
  return value.split(',').every((entry) => {
    const item = entry.trim();
    if (PROXY_RANGE_NAMES.has(item)) return true;
    const [address = '', bits, extra] = item.split('/');
    if (extra !== undefined || isIP(address) === 0) return false;
    if (bits === undefined) return true;
    const max = isIP(address) === 4 ? 32 : 128;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  });
}

/** True when the server both listens on loopback and is reached at a loopback PUBLIC_URL: nobody else can reach it. */
export function servesLoopbackOnly(config: Pick<Config, 'host' | 'publicUrl'>): boolean {
  return LOOPBACK.test(config.host) && LOOPBACK.test(new URL(config.publicUrl).hostname);
}

/** TRUST_PROXY as Fastify takes it: false, a hop count, or the trusted proxies' addresses. */
function trustProxyOption(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || /^(off|false|0)$/i.test(value)) return false;
  if (/^\d+$/.test(value)) {
    // The client is the address the nearest `hops` proxies saw; what it wrote itself further left is not believed.
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((entry) => entry.trim());
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  trialDays: number;
  invitationTtlSeconds: number;
  invitationsPerDay: number;
  runtimeDelayMs: number;
  pricePerCloudletHour: number;
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  logLevel: string;
  /** Whether this process runs the background workers (mail outbox, metering, trial expiry, runtime recovery). */
  workers: boolean;
  /**
   * Whether GET /api/v1/dev/mail serves the outbox. Only without SMTP, and by default only when the server both
   * listens on loopback and is reached at a loopback PUBLIC_URL (a loopback server behind a public proxy is not
   * private): the mailbox holds every reset and invitation link, so it must never face a network by accident.
   */
  devMailbox: boolean;
  /** Behind a reverse proxy: which X-Forwarded-For hops to believe, so limits count the client's address. */
  trustProxy: boolean | string[] | ((address: string, hop: number) => boolean);
  /** Environments one account may own (deleted ones not counted). */
  maxEnvironmentsPerAccount: number;
  /** Cloudlets (nodes × cloudlets per node) one account's environments may add up to. */
  maxCloudletsPerAccount: number;
  /** Whether webhooks may target loopback and private addresses (tests, closed networks); refused otherwise. */
  webhookAllowPrivate: boolean;
  /**
   * The key that encrypts stored second-factor secrets (32 bytes, base64). Unset: a key file in DATA_DIR, made on
   * first use; several nodes must share one CREDENTIAL_KEY.
   */
  credentialKey: string | undefined;
}

export class ConfigError extends Error {}

/** Validates the process environment and returns the typed configuration, or throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('invalid configuration:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (e.ADMIN_PASSWORD !== undefined && e.ADMIN_PASSWORD.length < 10) {
    throw new ConfigError('invalid configuration:\n  ADMIN_PASSWORD must have at least 10 characters');
  }
  // Links name `localhost` for a loopback or all-interfaces server: the same place, and passkeys need a host name
  // (browsers refuse an IP address as a WebAuthn relying party).
  const linkHost = e.HOST === '0.0.0.0' || e.HOST === '::' || LOOPBACK.test(e.HOST) ? 'localhost' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${linkHost}:${e.PORT}`).replace(/\/+$/, '');
  const loopbackOnly = servesLoopbackOnly({ host: e.HOST, publicUrl });
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    trialDays: e.TRIAL_DAYS,
    invitationTtlSeconds: e.INVITATION_TTL_SECONDS,
    invitationsPerDay: e.INVITATIONS_PER_DAY,
    runtimeDelayMs: e.RUNTIME_DELAY_MS,
    pricePerCloudletHour: e.PRICE_PER_CLOUDLET_HOUR,
    sessionIdleSeconds: e.SESSION_IDLE_SECONDS,
    sessionMaxSeconds: e.SESSION_MAX_SECONDS,
    logLevel: e.LOG_LEVEL ?? 'info',
    workers: e.WORKERS === 'on',
    devMailbox: e.SMTP_URL === undefined && (e.DEV_MAILBOX === 'on' || (e.DEV_MAILBOX === undefined && loopbackOnly)),
    trustProxy: trustProxyOption(e.TRUST_PROXY),
    maxEnvironmentsPerAccount: e.MAX_ENVIRONMENTS_PER_ACCOUNT,
    maxCloudletsPerAccount: e.MAX_CLOUDLETS_PER_ACCOUNT,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE === '1',
    credentialKey: e.CREDENTIAL_KEY,
  };
}
