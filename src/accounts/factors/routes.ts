import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { callerOf } from '../../http/auth.js';
import { problemSchema } from '../../http/errors.js';
import { requestMeta } from '../../http/request-meta.js';
import { type App, noContent } from '../../http/types.js';
import { confirmTotp, disableTotp, enrolTotp, regenerateRecoveryCodes, twoFactorStatus } from './two-factor.js';

const tags = ['Accounts'];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
// Two-factor is a credential: managed signed in with a session, never through an API token.
const config = { access: 'signedIn', credentials: 'signIn' } as const;
export const codeSchema = z.string().trim().min(1).max(40).describe('A six-digit code of the authenticator app, or a recovery code (xxxxx-xxxxx) where one is accepted');

const statusSchema = z.object({
  enabled: z.boolean().describe('A confirmed authenticator: sign-in takes a code after the password'),
  pending: z.boolean().describe('Enrolment started and waiting for its first code'),
  confirmedAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
});
const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()).describe('Ten single-use codes, shown only in this answer') });

/** The signed-in person's TOTP second factor: enrol, confirm, recovery codes, disable. */
export function twoFactorRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/me/totp', {
    config,
    schema: { tags, summary: 'Whether two-factor sign-in is on, and how many recovery codes are left', response: { 200: statusSchema, ...errors } },
    handler: async (request) => twoFactorStatus(ctx.db, callerOf(request).user.id),
  });

  app.post('/api/v1/me/totp', {
    config,
    schema: {
      tags,
      summary: 'Start enrolling an authenticator app: a new secret and its otpauth:// URI, shown only in this answer',
      description: 'Confirm with the first code (`POST /api/v1/me/totp/confirm`) to turn two-factor sign-in on. Starting again replaces an unconfirmed secret; a confirmed one answers 409 `invalid_state`.',
      response: { 201: z.object({ secret: z.string().describe('Base32, for typing into the app'), otpauthUrl: z.string().describe('otpauth://totp/…, for the QR code') }), ...errors },
    },
    handler: async (request, reply) => {
      const { secret, uri } = await enrolTotp(ctx, requestMeta(request), callerOf(request));
      return reply.status(201).send({ secret, otpauthUrl: uri });
    },
  });

  app.post('/api/v1/me/totp/confirm', {
    config,
    schema: {
      tags,
      summary: 'Confirm enrolment with a code of the app; answers ten recovery codes, once',
      body: z.strictObject({ code: codeSchema }),
      response: { 200: recoveryCodesSchema, ...errors },
    },
    handler: async (request) => confirmTotp(ctx, requestMeta(request), callerOf(request), request.body.code),
  });

  app.post('/api/v1/me/recovery-codes', {
    config,
    schema: {
      tags,
      summary: 'Replace the recovery codes (the old ones stop working), with the password',
      body: z.strictObject({ password: z.string().min(1).max(200) }),
      response: { 200: recoveryCodesSchema, ...errors },
    },
    handler: async (request) => regenerateRecoveryCodes(ctx, requestMeta(request), callerOf(request), request.body.password),
  });

  app.delete('/api/v1/me/totp', {
    config,
    schema: {
      tags,
      summary: 'Turn two-factor sign-in off with the password and a code (of the app, or a recovery code)',
      body: z.strictObject({ password: z.string().min(1).max(200), code: codeSchema }),
      response: { 204: noContent, ...errors },
    },
    handler: async (request, reply) => {
      await disableTotp(ctx, requestMeta(request), callerOf(request), request.body.password, request.body.code);
      return reply.status(204).send(null);
    },
  });
}
