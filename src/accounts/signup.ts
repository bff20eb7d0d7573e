import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { users } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { enqueueMail } from '../mail/outbox.js';
import { DAY } from '../clock.js';
import { invalidToken, problem } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { User } from './caller.js';
import { consumeEmailToken, issueEmailToken } from './email-tokens.js';
import { hashPassword } from './passwords.js';

const VERIFY_TTL_MS = 2 * DAY;

export const accountExists = () =>
  problem(409, 'account_exists', 'Account exists', 'An account with this email already exists; sign in instead.');

/** Finds an account by email, compared lower-cased. */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return user;
}

/** Queues the mail with the email verification link. */
export async function sendVerificationMail(ctx: AppContext, db: Db, user: User): Promise<void> {
  const token = await issueEmailToken(db, user.id, 'verify', ctx.clock.now(), VERIFY_TTL_MS);
  await enqueueMail(db, ctx.clock, user.email, 'account.verify', {
    subject: 'Confirm your email address for Shareplane',
    greeting: `Hello ${user.name},`,
    paragraphs: [
      'Thanks for signing up to Shareplane. Please confirm that this email address is yours.',
      'Confirming it lets you accept invitations from other accounts. The link works once and for 48 hours.',
    ],
    action: { label: 'Confirm my email', url: `${ctx.config.publicUrl}/verify-email?token=${token}` },
    footnote: 'If you did not sign up, ignore this mail; no account will be used without the confirmation.',
  });
}

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

/** Creates a trial account and mails its verification link. */
export async function signUp(ctx: AppContext, meta: RequestMeta, input: SignUpInput): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  try {
    const user = await ctx.db.transaction(async (tx) => {
      if (await findUserByEmail(tx, input.email)) throw accountExists();
      const [created] = await tx
        .insert(users)
        .values({
          email: input.email,
          name: input.name,
          passwordHash,
          type: 'trial',
          trialEndsAt: new Date(now.getTime() + ctx.config.trialDays * DAY),
          createdAt: now,
        })
        .returning();
      if (!created) throw new Error('user insert returned nothing');
      await sendVerificationMail(ctx, tx, created);
      await recordAudit(tx, {
        at: now,
        actor: created,
        ownerId: created.id,
        action: 'account.signup',
        targetType: 'user',
        targetId: created.id,
        outcome: 'ok',
        requestId: meta.requestId,
      });
      return created;
    });
    ctx.wake.mail();
    return user;
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_lower_key')) throw accountExists();
    throw error;
  }
}

/** Confirms an email address with the mailed token. */
export async function verifyEmail(ctx: AppContext, meta: RequestMeta, token: string): Promise<User> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const userId = await consumeEmailToken(tx, token, 'verify', now);
    if (!userId) throw invalidToken('This verification link is unknown, already used or expired. Ask for a new one from your account page.');
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(users.id, userId))
      .returning();
    if (!user) throw invalidToken('This verification link belongs to an account that no longer exists.');
    await recordAudit(tx, {
      at: now,
      actor: user,
      ownerId: user.id,
      action: 'account.verify_email',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      requestId: meta.requestId,
    });
    return user;
  });
}

/** Mails a fresh verification link to a signed-in account that has not verified yet. */
export async function resendVerification(ctx: AppContext, user: User): Promise<void> {
  if (user.emailVerifiedAt) return;
  await ctx.db.transaction((tx) => sendVerificationMail(ctx, tx, user));
  ctx.wake.mail();
}
