import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/faults.js';

/** The stable machine words of API.md; clients branch on these, never on titles or details. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'invalid_token',
  'forbidden',
  'missing_permission',
  'not_found',
  'conflict',
  'invalid_state',
  'invitation_expired',
  'invitation_email_mismatch',
  'email_unverified',
  'account_exists',
  'collaborator_cannot_own',
  'would_widen_access',
  'trial_expired',
  'token_cannot_manage_credentials',
  'token_lifetime_exceeded',
  'access_request_too_long',
  'access_request_limit',
  'access_request_closed',
  'invalid_code',
  'invalid_challenge',
  'two_factor_required',
  'webauthn_failed',
  'rate_limited',
  'payload_too_large',
  'limit_reached',
  'webhook_target_refused',
  'spend_cap_reached',
  'transfer_expired',
  'team_name_taken',
  'team_external_id_taken',
  'team_share_cannot_manage',
  'database_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FieldError {
  path: string;
  message: string;
}

/** An error that becomes an application/problem+json answer. Throw it from anywhere below a route. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const validationFailed = (errors: FieldError[], detail?: string) =>
  new ProblemError(400, 'validation_failed', 'Invalid request', detail ?? errors.map(describe).join('; '), { errors });

export const fieldError = (path: string, message: string) => validationFailed([{ path, message }]);

export const unauthenticated = (detail = 'Sign in first: this needs a session cookie or a bearer token.') =>
  new ProblemError(401, 'unauthenticated', 'Not signed in', detail);

export const invalidCredentials = () =>
  new ProblemError(401, 'invalid_credentials', 'Wrong email or password', 'The email or the password is not right.');

/** A passkey ceremony that did not verify: an unknown or used challenge, another origin, a bad signature. */
export const webauthnFailed = (detail: string) => new ProblemError(400, 'webauthn_failed', 'Passkey not accepted', detail);

export const invalidToken = (detail: string) => new ProblemError(400, 'invalid_token', 'Invalid or expired link', detail);

export const forbidden = (detail: string) => new ProblemError(403, 'forbidden', 'Forbidden', detail);

export const missingPermission = (permission: string, detail?: string, extra: Record<string, unknown> = {}) =>
  new ProblemError(403, 'missing_permission', 'Missing permission', detail ?? `This needs the ${permission} permission.`, {
    permission,
    ...extra,
  });

export const notFound = (what = 'resource') =>
  new ProblemError(404, 'not_found', 'Not found', `No such ${what}, or it is not visible to you.`);

export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new ProblemError(409, 'conflict', 'Conflict', detail, extra);

export const invalidState = (detail: string) => new ProblemError(409, 'invalid_state', 'Not possible in this state', detail);

/** A collaborator account owns no environments: it creates them only in an owner's account that shares with it. */
export const collaboratorCannotOwn = (detail = 'A collaborator account cannot own environments. Create it in the account of an owner who shares with you (pass ownerId), or upgrade to a paid account.') =>
  new ProblemError(403, 'collaborator_cannot_own', 'Collaborator accounts own nothing', detail);

/** A change that is not a grant would give someone a permission nobody granted (DESIGN.md section 6b). */
export const wouldWidenAccess = (detail: string, accessChanges: unknown[]) =>
  new ProblemError(403, 'would_widen_access', 'This change would widen access', detail, { accessChanges });

export const trialExpired = () =>
  new ProblemError(
    403,
    'trial_expired',
    'Trial ended',
    'Your trial has ended. Upgrade to a paid account, or ask the billing team to convert it to a collaborator account, to use this again.',
  );

/** Credentials (tokens, password, two-factor, passkeys, sessions) are managed signed in, never through an API token that could leak. */
export const tokenCannotManageCredentials = () =>
  new ProblemError(
    403,
    'token_cannot_manage_credentials',
    'Not with an API token',
    'API tokens never manage credentials (tokens, password, two-factor, passkeys, sessions): sign in with your password to do this. A token may only revoke itself.',
  );

/** A second-factor code (TOTP or recovery code) that is wrong, already used in its time step, or used up. */
export const invalidCode = (status: 400 | 401 = 400) =>
  new ProblemError(status, 'invalid_code', 'Wrong code', 'The code is not right, or it was already used. Type the current code of your authenticator app, or an unused recovery code.', {
    errors: [{ path: 'code', message: 'is not right' }],
  });

/** The second step of a sign-in with a challenge that is unknown, used, expired or spent on wrong codes. */
export const invalidChallenge = () =>
  new ProblemError(401, 'invalid_challenge', 'Sign in again', 'This sign-in has expired or was already completed. Sign in with your password again.');

/** The owner requires two-factor sign-in of its members and the caller has no second factor yet. */
export const twoFactorRequired = (ownerId: string) =>
  new ProblemError(
    403,
    'two_factor_required',
    'Two-factor sign-in required',
    'The owner of this account requires two-factor sign-in of its collaborators. Turn it on in your account settings, then try again.',
    { ownerId, enrol: { api: '/api/v1/me/totp', dashboard: '/settings/account' } },
  );

/** The owner caps how long tokens acting in its account may live, and the caller's API token lives longer. */
export const tokenLifetimeExceeded = (ownerId: string, maxLifetimeDays: number) =>
  new ProblemError(
    403,
    'token_lifetime_exceeded',
    'Token lives too long for this account',
    `The owner of this account lets API tokens act there for at most ${maxLifetimeDays} days from their creation, and this token lives longer. Make a token that expires within ${maxLifetimeDays} days, or sign in.`,
    { ownerId, maxLifetimeDays },
  );

export const rateLimited = (retryAfterSeconds: number) =>
  new ProblemError(429, 'rate_limited', 'Too many requests', `Too many attempts; try again in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });

/** A per-account cap (environments, cloudlets, groups) that this change would pass. */
export const limitReached = (detail: string, extra?: Record<string, unknown>) =>
  new ProblemError(409, 'limit_reached', 'Limit reached', detail, extra);

/** A webhook URL that points at this host, a private network or cloud metadata (unless WEBHOOK_ALLOW_PRIVATE=1). */
/** 409: a member's spend guardrail (its monthly budget, or its cap on cloudlets running at once) refuses the change. */
export const spendCapReached = (detail: string, extra?: Record<string, unknown>) =>
  new ProblemError(409, 'spend_cap_reached', 'Spend cap reached', detail, extra);

export const webhookTargetRefused = (detail: string) =>
  new ProblemError(400, 'webhook_target_refused', 'Webhook target refused', detail, { errors: [{ path: 'body.url', message: detail }] });

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** The database cannot be reached (restarting, cut off): the request may be retried as is. */
export const databaseUnavailable = () =>
  new ProblemError(
    503,
    'database_unavailable',
    'Database unavailable',
    `The database cannot be reached right now. Try again in ${DATABASE_RETRY_AFTER_SECONDS} s.`,
    { retryAfter: DATABASE_RETRY_AFTER_SECONDS },
  );

/** Builds other problems with a code of their own (invitation_expired, account_exists...). */
export const problem = (status: number, code: ErrorCode, title: string, detail: string, extra?: Record<string, unknown>) =>
  new ProblemError(status, code, title, detail, extra);

function describe(error: FieldError): string {
  return error.path ? `${error.path}: ${error.message}` : error.message;
}

/** The problem+json body as the OpenAPI document describes it. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(errorCodes),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    permission: z.string().optional(),
    accessRequest: z
      .object({
        requestable: z.literal(true),
        request: z.object({ method: z.literal('POST'), href: z.string(), body: z.object({ ownerId: z.string(), resource: z.object({ type: z.string(), id: z.string() }) }) }),
        page: z.string().describe('The dashboard page that offers Request access'),
      })
      .optional()
      .describe('On missing_permission for a member: access can be requested (POST the body with roleIds, durationHours and reason)'),
    requestId: z.string().optional(),
  })
  .loose();

function sendProblem(reply: FastifyReply, error: ProblemError, requestId: string): FastifyReply {
  const body = {
    type: `https://shareplane.dev/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...error.extra,
    ...(error.status >= 500 ? { requestId } : {}),
  };
  if (typeof error.extra.retryAfter === 'number') {
    reply.header('retry-after', String(error.extra.retryAfter));
  }
  // Problems bypass the route's response schema: they have their own shape.
  return reply.status(error.status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

interface ValidationItem {
  keyword?: string;
  instancePath?: string;
  message: string;
  params?: { keys?: string[] };
}

function zodFieldErrors(validation: unknown[], context: string | undefined): FieldError[] {
  const prefix = context === 'body' || !context ? '' : `${context}.`;
  return validation.flatMap((raw) => {
    const item = raw as ValidationItem;
    const base = (item.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    if (item.keyword === 'unrecognized_keys' && item.params?.keys) {
      return item.params.keys.map((key) => ({ path: prefix + (base ? `${base}.${key}` : key), message: 'unknown field' }));
    }
    return [{ path: prefix + base, message: item.message }];
  });
}

/** The problem a framework or client error (bad URL, malformed JSON, wrong media type...) stands for; undefined for ours. */
function frameworkProblem(error: FastifyError): ProblemError | undefined {
  const status = error.statusCode ?? 0;
  if (status < 400 || status >= 500 || isResponseSerializationError(error)) return undefined;
  switch (status) {
    case 413:
      return problem(413, 'payload_too_large', 'Request too large', 'The request body is too large.');
    case 414:
      return problem(414, 'validation_failed', 'URL too long', 'A part of the URL is too long.');
    case 415:
      return problem(415, 'validation_failed', 'Unsupported media type', 'Send JSON (application/json).');
    case 404:
      return problem(404, 'not_found', 'Not found', 'No such resource.');
    case 429:
      return problem(429, 'rate_limited', 'Too many requests', 'Too many requests; slow down.');
    default:
      return problem(status, 'validation_failed', 'Invalid request', error.message || 'The request is not valid.', {
        errors: [{ path: '', message: error.message || 'invalid request' }],
      });
  }
}

/** The one error handler: every failure leaves as problem+json; 5xx bodies hide internals but carry the request id. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ProblemError) return sendProblem(reply, error, request.id);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = zodFieldErrors(error.validation, error.validationContext);
    return sendProblem(reply, validationFailed(errors), request.id);
  }
  const framework = frameworkProblem(error as FastifyError);
  if (framework) return sendProblem(reply, framework, request.id);
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return sendProblem(reply, databaseUnavailable(), request.id);
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(
    reply,
    problem(500, 'internal_error', 'Internal error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`),
    request.id,
  );
}

/** Answers unknown routes with the same problem shape. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, new ProblemError(404, 'not_found', 'Not found', `No route ${request.method} ${request.url.split('?')[0]}.`), request.id);
}
