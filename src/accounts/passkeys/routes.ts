import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { callerOf } from '../../http/auth.js';
import { problemSchema } from '../../http/errors.js';
import { enforce } from '../../http/rate-limit.js';
import { requestMeta } from '../../http/request-meta.js';
import { type App, idParams, noContent } from '../../http/types.js';
import { presentUser } from '../present.js';
import { setSessionCookies } from '../routes.js';
import { userSchema } from '../schemas.js';
import { listPasskeys, removePasskey, renamePasskey } from './manage.js';
import { registerPasskey, registrationOptions } from './register.js';
import { passkeySignInOptions, signInWithPasskey } from './signin.js';
import { asAuthentication, asRegistration, authenticationResponse, options, registrationResponse } from './schemas.js';

const tags = ['Accounts'];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
const passkeyName = z.string().trim().min(1).max(100);
const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  backedUp: z.boolean().describe('the authenticator syncs this key between devices'),
  transports: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
// Passkeys are credentials: only a signed-in person, never an API token, lists or changes them.
const mine = { access: 'signedIn', credentials: 'signIn' } as const;

/** A person's passkeys, and signing in with one. */
export function passkeyRoutes(app: App, ctx: AppContext): void {
  app.post('/api/v1/me/passkeys/options', {
    config: mine,
    schema: { tags, summary: 'Begin registering a passkey: WebAuthn creation options with a fresh challenge (5 minutes)', response: { 200: options('creation'), ...errors } },
    handler: async (request) => {
      const { user } = callerOf(request);
      await enforce(ctx.db, ctx.clock, `passkey:user:${user.id}`, ctx.rateLimits.passkeyCeremoniesPerUser);
      return { ...(await registrationOptions(ctx, user)) };
    },
  });

  app.post('/api/v1/me/passkeys', {
    config: mine,
    schema: {
      tags,
      summary: "Register a passkey with the browser's answer to the creation options",
      description: 'The passkey then signs in without a password (POST /api/v1/auth/passkey) and counts as a second factor.',
      body: z.strictObject({ name: passkeyName, response: registrationResponse }),
      response: { 201: passkeySchema, ...errors },
    },
    handler: async (request, reply) => {
      const created = await registerPasskey(ctx, requestMeta(request), callerOf(request).user, request.body.name, asRegistration(request.body.response));
      return reply.status(201).send(created);
    },
  });

  app.get('/api/v1/me/passkeys', {
    config: mine,
    schema: { tags, summary: 'My passkeys (never their keys)', response: { 200: z.object({ items: z.array(passkeySchema) }), ...errors } },
    handler: async (request) => listPasskeys(ctx, callerOf(request).user),
  });

  app.patch('/api/v1/me/passkeys/:id', {
    config: mine,
    schema: { tags, summary: 'Rename one of my passkeys', params: idParams, body: z.strictObject({ name: passkeyName }), response: { 200: passkeySchema, ...errors } },
    handler: async (request) => renamePasskey(ctx, requestMeta(request), callerOf(request).user, request.params.id, request.body.name),
  });

  app.delete('/api/v1/me/passkeys/:id', {
    config: mine,
    schema: { tags, summary: 'Remove one of my passkeys: it signs in no more', params: idParams, response: { 204: noContent, ...errors } },
    handler: async (request, reply) => {
      await removePasskey(ctx, requestMeta(request), callerOf(request).user, request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/auth/passkey/options', {
    config: { access: 'public' },
    schema: { tags, summary: 'Begin a passwordless sign-in: WebAuthn request options with a fresh challenge (5 minutes)', response: { 200: options('request'), ...errors } },
    handler: async (request) => ({ ...(await passkeySignInOptions(ctx, requestMeta(request))) }),
  });

  app.post('/api/v1/auth/passkey', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Sign in with a passkey: answers a new session token and sets the session cookie',
      description: 'A passkey verified with its user (PIN or biometrics) is two factors in one: no password and no second step.',
      body: z.strictObject({ response: authenticationResponse }),
      response: { 200: z.object({ user: userSchema, token: z.string(), expiresAt: z.string() }), ...errors },
    },
    handler: async (request, reply) => {
      const session = await signInWithPasskey(ctx, requestMeta(request), asAuthentication(request.body.response));
      setSessionCookies(ctx, reply, session.token, session.expiresAt);
      return { user: presentUser(session.user, ctx.clock.now()), token: session.token, expiresAt: session.expiresAt.toISOString() };
    },
  });
}
