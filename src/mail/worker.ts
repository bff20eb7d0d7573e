import { and, asc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { MINUTE, SECOND } from '../clock.js';
import type { AppContext } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { newSecret, redactSecrets } from '../secrets.js';

/** Messages one pass sends at most, each claimed on its own just before it is sent. */
const BATCH = 20;
/** A claimed message is this node's until then; a node that died mid-send releases it when the lease runs out. */
export const LEASE_MS = 2 * MINUTE;
/** A send gives up well within the lease, so a lease never runs out under a send still in flight. */
export const SEND_TIMEOUT_MS = MINUTE;
/** While the server is down, one waiting mail is tried this often, whatever its backoff: the probe that ends an outage. */
export const PROBE_INTERVAL_MS = 30 * SECOND;
/** The longest wait between two attempts. */
export const MAX_BACKOFF_MS = 10 * MINUTE;

/** Wait before the next attempt: 5 s, 10 s, 20 s... then every 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * SECOND * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export interface MailSender {
  send(message: { from: string; to: string; subject: string; text: string; html: string }): Promise<void>;
  close(): void;
  /** The dev mailbox is read from the outbox itself, so sent mail keeps its links there; SMTP mail has them blanked. */
  keepsSentBodies?: boolean;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Sends through SMTP with nodemailer; every step of a send times out within `timeoutMs` (below the lease). */
export function smtpSender(url: string, timeoutMs = SEND_TIMEOUT_MS): MailSender {
  const step = Math.max(1, Math.floor(timeoutMs / 3));
  const transport: Transporter = nodemailer.createTransport({
    url,
    connectionTimeout: step,
    greetingTimeout: step,
    socketTimeout: step,
  });
  return {
    send: async (message) => {
      await withTimeout(transport.sendMail(message), timeoutMs, 'the SMTP send');
    },
    close: () => transport.close(),
  };
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/** The dev mailbox: mail stays readable at GET /api/v1/dev/mail and its links are printed to the log. */
export function devMailbox(ctx: AppContext): MailSender {
  return {
    send: async (message) => {
      const links = message.text.match(LINK) ?? [];
      ctx.log.info({ to: message.to, subject: message.subject, links }, `dev mailbox: "${message.subject}" to ${message.to}`);
    },
    close: () => undefined,
    keepsSentBodies: true,
  };
}

type OutboxRow = typeof outbox.$inferSelect;

/** Claims the oldest due message for this node alone: SKIP LOCKED between nodes, a lease and a fresh claim token. */
async function claimNext(ctx: AppContext): Promise<OutboxRow | undefined> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [due] = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
      .orderBy(asc(outbox.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!due) return undefined;
    const [claimed] = await tx
      .update(outbox)
      .set({ lockedUntil: new Date(now.getTime() + LEASE_MS), claim: newSecret(), attempts: sql`${outbox.attempts} + 1` })
      .where(eq(outbox.id, due.id))
      .returning();
    return claimed;
  });
}

/** Records the outcome of a send, only while the claim is still this node's; false when another node took it over. */
async function settle(ctx: AppContext, message: OutboxRow, change: Partial<OutboxRow>): Promise<boolean> {
  const claim = message.claim ?? '';
  const done = await ctx.db
    .update(outbox)
    .set({ ...change, lockedUntil: null, claim: null })
    .where(and(eq(outbox.id, message.id), eq(outbox.claim, claim)))
    .returning({ id: outbox.id });
  if (done.length === 0) ctx.log.warn({ mailId: message.id }, 'mail claim was taken over by another node; its outcome is theirs to record');
  return done.length > 0;
}

/**
 * Makes mail waiting in backoff due now: all of it once the server accepts mail again, or only the oldest one as a
 * probe while it is down. Returns how many messages it made due.
 */
async function endBackoff(ctx: AppContext, onlyOldest = false): Promise<number> {
  const now = ctx.clock.now();
  const waiting = and(eq(outbox.status, 'pending'), gt(outbox.nextAttemptAt, now));
  const target = onlyOldest
    ? sql`${outbox.id} = (select ${outbox.id} from ${outbox} where ${waiting} order by ${outbox.id} limit 1)`
    : waiting;
  const woken = await ctx.db.update(outbox).set({ nextAttemptAt: now }).where(target).returning({ id: outbox.id });
  return woken.length;
}

/** What a node knows of its mail server: whether its last failure was the server's, and when it last probed it. */
interface ServerState {
  down: boolean;
  lastProbeAt: number;
}
const servers = new WeakMap<MailSender, ServerState>();
const serverState = (sender: MailSender): ServerState => {
  let state = servers.get(sender);
  if (!state) servers.set(sender, (state = { down: false, lastProbeAt: -Infinity }));
  return state;
};

// Failures of the server rather than of one message: no connection, no greeting, a cut socket, or a temporary
// answer about the server itself (421 closing, 451 local error, 452 no storage, 454 TLS unavailable).
const SERVER_FAILURE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);
function isServerFailure(error: unknown): boolean {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number') return [421, 451, 452, 454].includes(responseCode);
  return typeof code !== 'string' || SERVER_FAILURE_CODES.has(code);
}

/** While the server is down, makes the oldest waiting mail due at most every PROBE_INTERVAL_MS: its send is the probe. */
async function probeWhileDown(ctx: AppContext, state: ServerState): Promise<number> {
  const now = ctx.clock.now().getTime();
  if (!state.down || now - state.lastProbeAt < PROBE_INTERVAL_MS) return 0;
  state.lastProbeAt = now;
  return endBackoff(ctx, true);
}

/**
 * Sends due mail, one claimed message at a time, outside any transaction, and records each outcome fenced by its
 * claim: sent, retried later with backoff, or failed once its retry window (3 days) has passed. While the server is
 * down, one waiting mail is tried every PROBE_INTERVAL_MS, and the first success after an outage ends the backoff
 * of all waiting mail, so the queue drains within a minute of SMTP's return. Returns how many messages it handled.
 */
export async function deliverDueMail(ctx: AppContext, sender: MailSender): Promise<number> {
  const server = serverState(sender);
  let handled = 0;
  let recovered = false;
  for (; handled < BATCH; handled++) {
    const message = await claimNext(ctx);
    if (!message) break;
    try {
      await sender.send({ from: ctx.config.mailFrom, to: message.toAddress, subject: message.subject, text: message.textBody, html: message.htmlBody });
      const scrubbed = sender.keepsSentBodies ? {} : { textBody: redactSecrets(message.textBody), htmlBody: redactSecrets(message.htmlBody) };
      await settle(ctx, message, { status: 'sent', sentAt: ctx.clock.now(), lastError: null, ...scrubbed });
      recovered ||= server.down;
      server.down = false;
    } catch (error) {
      server.down ||= isServerFailure(error);
      const reason = error instanceof Error ? error.message : String(error);
      const now = ctx.clock.now();
      const final = now.getTime() >= message.giveUpAt.getTime();
      ctx.log.warn({ mailId: message.id, attempts: message.attempts, final, reason }, 'mail delivery failed');
      await settle(ctx, message, {
        status: final ? 'failed' : 'pending',
        lastError: reason.slice(0, 1000),
        nextAttemptAt: new Date(now.getTime() + backoffMs(message.attempts)),
      });
    }
  }
  // Mail made due here counts as work, so the loop comes straight back to send it.
  if (recovered) return handled + (await endBackoff(ctx));
  if (handled === 0) return probeWhileDown(ctx, server);
  return handled;
}
