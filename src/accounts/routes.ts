import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { tokenScopeView } from './token-schemas.js';
import type { AppContext } from '../context.js';
import { type Permission, permissions } from '../access/catalog.js';
import { accountTypes } from '../db/schema/index.js';
import { callerOf, CSRF_COOKIE, SESSION_COOKIE } from '../http/auth.js';
import { problemSchema } from '../http/errors.js';
import { enforce } from '../http/rate-limit.js';
import { requestMeta } from '../http/request-meta.js';
import { type App, idParams, instant, noContent, page, pageQuery } from '../http/types.js';
import { newSecret } from '../secrets.js';
import { convertAccount, findUsers, setTrialEnd } from './admin.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { newPasswordSchema } from './passwords.js';
import { presentUser } from './present.js';
import { updateProfile } from './profile.js';
import { emailSchema, personNameSchema, userSchema } from './schemas.js';
import { changePassword, requestPasswordReset, resetPassword, signIn, signOut } from './signin.js';
import { resendVerification, signUp, verifyEmail } from './signup.js';
import type { User } from './caller.js';
import { completeSignIn } from './factors/challenge.js';
import { codeSchema, twoFactorRoutes } from './factors/routes.js';
import { sessionRoutes } from './session-routes.js';
import { asAuthentication, authenticationResponse, passkeyRequestOptions } from './passkeys/schemas.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
const tokenString = z.string().min(1).max(200);
const scopeResourceSchema = z.strictObject({ type: z.enum(['account', 'group', 'environment']), id: z.string().min(1).max(100).optional() });
const tokenScopeSchema = z.strictObject({
  ownerId: z.string().min(1).max(100),
  resources: z.array(scopeResourceSchema).min(1).max(100),
  permissions: z.array(z.enum(permissions as [Permission, ...Permission[]])).min(1).max(permissions.length),
});
const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: tokenScopeView
    .nullable()
    .describe('null: everything the holder can do (tokens made before scopes)'),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
});

/** Sets the session cookie (HttpOnly) and the CSRF cookie the dashboard echoes in a header when it cannot send Origin. */
export function setSessionCookies(ctx: AppContext, reply: FastifyReply, token: string, expiresAt: Date): void {
  const secure = ctx.config.publicUrl.startsWith('https://');
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
  reply.setCookie(CSRF_COOKIE, newSecret(), { httpOnly: false, sameSite: 'lax', secure, path: '/', expires: expiresAt });
}

const sessionAnswer = z.object({ user: userSchema, token: z.string(), expiresAt: z.string() });
const secondStepAnswer = z.object({
  twoFactorRequired: z.literal(true),
  challenge: z.string().describe('Single-use, for the second step; expires at expiresAt'),
  expiresAt: z.string(),
  methods: z.array(z.enum(['totp', 'recovery', 'passkey'])).describe('What may answer: a code of the app, a recovery code, a passkey'),
  passkeyOptions: passkeyRequestOptions.nullable().describe("With `passkey`: WebAuthn request options for the account's passkeys"),
});

function sendSession(ctx: AppContext, reply: FastifyReply, session: { user: User; token: string; expiresAt: Date }) {
  setSessionCookies(ctx, reply, session.token, session.expiresAt);
  return reply.status(200).send({ user: presentUser(session.user, ctx.clock.now()), token: session.token, expiresAt: session.expiresAt.toISOString() });
}

/** Sign-up, email verification, sessions, passwords, API tokens and the platform admin's account tools. */
export function accountRoutes(app: App, ctx: AppContext): void {
  app.post('/api/v1/auth/signup', {
    config: { access: 'public' },
    schema: {
      tags: ['Accounts'],
      summary: 'Sign up: creates a trial account and mails a verification link',
      body: z.strictObject({ email: emailSchema, password: newPasswordSchema, name: personNameSchema }),
      response: { 201: z.object({ user: userSchema }), ...errors },
    },
    handler: async (request, reply) => {
      await enforce(ctx.db, ctx.clock, `signup:ip:${request.ip}`, ctx.rateLimits.signUpPerIp);
      const user = await signUp(ctx, requestMeta(request), request.body);
      return reply.status(201).send({ user: presentUser(user, ctx.clock.now()) });
    },
  });

  app.post('/api/v1/auth/verify', {
    config: { access: 'public' },
    schema: {
      tags: ['Accounts'],
      summary: 'Confirm an email address with the token from the mailed link',
      body: z.strictObject({ token: tokenString }),
      response: { 200: z.object({ user: userSchema }), ...errors },
    },
    handler: async (request) => {
      await enforce(ctx.db, ctx.clock, `verify:ip:${request.ip}`, ctx.rateLimits.verifyPerIp);
      const user = await verifyEmail(ctx, requestMeta(request), request.body.token);
      return { user: presentUser(user, ctx.clock.now()) };
    },
  });

  app.post('/api/v1/auth/verify/resend', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['Accounts'],
      summary: 'Mail a new verification link to the signed-in account',
      response: { 202: z.object({ status: z.literal('queued') }), ...errors },
    },
    handler: async (request, reply) => {
      const caller = callerOf(request);
      await enforce(ctx.db, ctx.clock, `verify:ip:${request.ip}`, ctx.rateLimits.verifyPerIp);
      await resendVerification(ctx, caller.user);
      return reply.status(202).send({ status: 'queued' as const });
    },
  });

  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['Accounts'],
      summary: 'Sign in: answers a new session token and sets the session cookie, or a challenge for the second factor',
      description:
        'With two-factor sign-in on, a right password answers 202 with a short-lived, single-use `challenge` instead of a session: send it with a code to `POST /api/v1/auth/login/second-factor`.',
      body: z.strictObject({ email: emailSchema, password: z.string().min(1).max(200) }),
      response: { 200: z.union([sessionAnswer, secondStepAnswer]), ...errors },
    },
    handler: async (request, reply) => {
      const answer = await signIn(ctx, requestMeta(request), request.body.email, request.body.password);
      if ('secondStep' in answer) {
        const { challenge, expiresAt, methods, passkeyOptions } = answer.secondStep;
        return { twoFactorRequired: true as const, challenge, expiresAt: expiresAt.toISOString(), methods, passkeyOptions: passkeyOptions && { ...passkeyOptions } };
      }
      return sendSession(ctx, reply, answer.session);
    },
  });

  app.post('/api/v1/auth/login/second-factor', {
    config: { access: 'public' },
    schema: {
      tags: ['Accounts'],
      summary: "Sign in, second step: the password step's challenge and a code of the authenticator app or a recovery code",
      description: 'A code of the app is accepted once per 30-second step; a recovery code once. Wrong codes are limited per account and address (429), and a challenge dies after five.',
      body: z
        .strictObject({ challenge: z.string().min(1).max(200), code: codeSchema.optional(), recoveryCode: codeSchema.optional(), passkey: authenticationResponse.optional() })
        .refine((body) => [body.code, body.recoveryCode, body.passkey].filter((proof) => proof !== undefined).length === 1, 'send one of code, recoveryCode or passkey'),
      response: { 200: sessionAnswer, ...errors },
    },
    handler: async (request, reply) => {
      const { challenge, code, recoveryCode, passkey } = request.body;
      const proof = passkey ? { passkey: asAuthentication(passkey) } : { code: code ?? recoveryCode ?? '' };
      return sendSession(ctx, reply, await completeSignIn(ctx, requestMeta(request), challenge, proof));
    },
  });

  twoFactorRoutes(app, ctx);
  sessionRoutes(app, ctx);

  app.post('/api/v1/auth/logout', {
    config: { access: 'signedIn' },
    schema: { tags: ['Accounts'], summary: 'Sign out: ends this session', response: { 204: noContent, ...errors } },
    handler: async (request, reply) => {
      await signOut(ctx, callerOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/me', {
    config: { access: 'signedIn' },
    schema: { tags: ['Accounts'], summary: 'The signed-in account', response: { 200: userSchema, ...errors } },
    handler: async (request) => presentUser(callerOf(request).user, ctx.clock.now()),
  });

  app.patch('/api/v1/me', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['Accounts'],
      summary: "Change the signed-in account's name",
      body: z.strictObject({ name: personNameSchema }),
      response: { 200: userSchema, ...errors },
    },
    handler: async (request) => {
      const user = await updateProfile(ctx, requestMeta(request), callerOf(request), request.body.name);
      return presentUser(user, ctx.clock.now());
    },
  });

  app.post('/api/v1/auth/password', {
    config: { access: 'signedIn', credentials: 'signIn' },
    schema: {
      tags: ['Accounts'],
      summary: 'Change the password; ends every other session',
      body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: newPasswordSchema }),
      response: { 204: noContent, ...errors },
    },
    handler: async (request, reply) => {
      await changePassword(ctx, requestMeta(request), callerOf(request), request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/auth/forgot', {
    config: { access: 'public' },
    schema: {
      tags: ['Accounts'],
      summary: 'Ask for a password reset link; the answer is the same whether the email has an account or not',
      body: z.strictObject({ email: emailSchema }),
      response: { 202: z.object({ status: z.literal('queued'), detail: z.string() }), ...errors },
    },
    handler: async (request, reply) => {
      await requestPasswordReset(ctx, requestMeta(request), request.body.email);
      return reply.status(202).send({
        status: 'queued' as const,
        detail: 'If an account uses this email, a reset link is on its way. It expires in one hour.',
      });
    },
  });

  app.post('/api/v1/auth/reset', {
    config: { access: 'public' },
    schema: {
      tags: ['Accounts'],
      summary: 'Set a new password with the token from the mailed reset link; ends every session',
      body: z.strictObject({ token: tokenString, password: newPasswordSchema }),
      response: { 200: z.object({ user: userSchema }), ...errors },
    },
    handler: async (request) => {
      const user = await resetPassword(ctx, requestMeta(request), request.body.token, request.body.password);
      return { user: presentUser(user, ctx.clock.now()) };
    },
  });

  app.post('/api/v1/tokens', {
    config: { access: 'signedIn', credentials: 'signIn' },
    schema: {
      tags: ['Accounts'],
      summary: 'Create a named API token (sp_pat_…), optionally scoped; its secret is shown only in this answer',
      description:
        'Signed in with a session: API tokens never manage credentials (403 `token_cannot_manage_credentials`). Expires at `expiresAt`, 90 days from now when omitted. With `scope` a request made with the token gets the intersection of the scope and the holder\'s live access at that moment; without it, everything the holder can do.',
      body: z.strictObject({ name: z.string().trim().min(1).max(100), expiresAt: instant.optional(), scope: tokenScopeSchema.optional() }),
      response: { 201: apiTokenSchema.extend({ token: z.string() }), ...errors },
    },
    handler: async (request, reply) => {
      const { name, expiresAt, scope } = request.body;
      await enforce(ctx.db, ctx.clock, `token.create:user:${callerOf(request).user.id}`, ctx.rateLimits.tokenCreatePerUser);
      const created = await createApiToken(ctx, requestMeta(request), callerOf(request), { name, expiresAt: expiresAt ? new Date(expiresAt) : undefined, scope });
      return reply.status(201).send(created);
    },
  });

  app.get('/api/v1/tokens', {
    config: { access: 'signedIn', credentials: 'signIn' },
    schema: {
      tags: ['Accounts'],
      summary: 'The API tokens of the signed-in account, newest first (never their secrets)',
      description: 'Signed in with a session: API tokens never manage credentials (403 `token_cannot_manage_credentials`).',
      querystring: z.strictObject(pageQuery),
      response: { 200: page(apiTokenSchema), ...errors },
    },
    handler: async (request) => listApiTokens(ctx, callerOf(request), request.query.limit, request.query.cursor),
  });

  app.delete('/api/v1/tokens/:id', {
    config: { access: 'signedIn', credentials: 'revokeSelf' },
    schema: {
      tags: ['Accounts'],
      summary: 'Revoke an API token',
      description:
        'Signed in with a session. An API token may revoke only itself (a leaked token can always be killed with itself); any other revocation through a token is 403 `token_cannot_manage_credentials`.',
      params: idParams,
      response: { 204: noContent, ...errors },
    },
    handler: async (request, reply) => {
      await revokeApiToken(ctx, requestMeta(request), callerOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/admin/users', {
    config: { access: 'admin' },
    schema: {
      tags: ['Admin'],
      summary: 'Find accounts by email (platform admins)',
      querystring: z.strictObject({ email: z.string().max(254).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ items: z.array(userSchema) }), ...errors },
    },
    handler: async (request) => {
      const found = await findUsers(ctx, request.query.email, request.query.limit);
      const now = ctx.clock.now();
      return { items: found.map((user) => presentUser(user, now)) };
    },
  });

  app.post('/api/v1/admin/users/:id/convert', {
    config: { access: 'admin' },
    schema: {
      tags: ['Admin'],
      summary: 'Convert an account to paid or collaborator (platform admins)',
      params: idParams,
      body: z.strictObject({ type: z.enum(accountTypes).exclude(['trial']) }),
      response: { 200: userSchema, ...errors },
    },
    handler: async (request) => {
      const user = await convertAccount(ctx, requestMeta(request), callerOf(request), request.params.id, request.body.type);
      return presentUser(user, ctx.clock.now());
    },
  });

  app.post('/api/v1/admin/users/:id/trial', {
    config: { access: 'admin' },
    schema: {
      tags: ['Admin'],
      summary: "Set a trial's end (platform admins); the account becomes a trial ending then",
      params: idParams,
      body: z.strictObject({ endsAt: instant }),
      response: { 200: userSchema, ...errors },
    },
    handler: async (request) => {
      const user = await setTrialEnd(ctx, requestMeta(request), callerOf(request), request.params.id, new Date(request.body.endsAt));
      return presentUser(user, ctx.clock.now());
    },
  });
}
