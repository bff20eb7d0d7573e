import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { authenticate } from '../accounts/sessions.js';
import { recordRefusal } from './authorize/refusal.js';
import { requestMeta } from './request-meta.js';
import { type Caller, isTrialExpired } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { forbidden, tokenCannotManageCredentials, trialExpired, unauthenticated } from './errors.js';
import { sameSecret } from '../secrets.js';

/**
 * The authorization every route declares in its config. A route without one makes the server refuse to start.
 * - `public`: anyone, signed in or not.
 * - `signedIn`: any signed-in account, even one whose trial has ended (sign-out, /me, tokens, leaving).
 * - `activeAccount`: signed in with a live account; an ended trial gets 403 trial_expired. Routes on owners'
 *   resources use this and then load the resource for the caller, which decides the permission.
 * - `admin`: platform admins only.
 */
export type RouteAccess = 'public' | 'signedIn' | 'activeAccount' | 'admin';

/**
 * Routes that manage credentials (tokens, password, two-factor, passkeys, sessions) declare it, and no API token,
 * scoped or not, reaches them: a leaked token can neither mint more nor lock its holder out. Only a signed-in session
 * (cookie or session token) manages credentials. `revokeSelf` routes (`DELETE /api/v1/tokens/:id`) make one exception:
 * an API token may revoke itself, so a leaked token can always be killed with nothing but itself.
 */
export type CredentialRoute = 'signIn' | 'revokeSelf';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    credentials?: CredentialRoute;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export const SESSION_COOKIE = 'sp_session';
export const CSRF_COOKIE = 'sp_csrf';
export const CSRF_HEADER = 'x-csrf-token';

// Third-party plugins register their own routes (the API reference UI); they serve public, static content only.
const PUBLIC_PLUGIN_PREFIXES = ['/api/docs'];

/** A route as registered, with what it declares: for tests that hold every route to the security matrix. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** Whether the route declares a rule (what it loads and which permission it needs). */
  ruled: boolean;
}

const registered = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route the app registered, in order, with its declared access. */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return registered.get(app) ?? [];
}

/** Refuses to register a route that declares no access rule: a forgotten check is a crash, not a hole. */
export function requireDeclaredAccess(app: FastifyInstance): void {
  const routes: DeclaredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access: access ?? 'public', ruled: route.config?.rule !== undefined });
    }
    if (access) return;
    if (PUBLIC_PLUGIN_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    throw new Error(`route ${String(route.method)} ${route.url} declares no access rule (config.access)`);
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/** The route's `:id`, already parsed by the router when the request hooks run. */
function idParam(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  return typeof params?.id === 'string' ? params.id : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function passesCsrf(ctx: AppContext, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin) {
    const own = [new URL(ctx.config.publicUrl).origin, `${request.protocol}://${request.host}`];
    return own.includes(origin);
  }
  const header = request.headers[CSRF_HEADER];
  const cookie = request.cookies[CSRF_COOKIE];
  return typeof header === 'string' && typeof cookie === 'string' && cookie.length > 0 && sameSecret(header, cookie);
}

/** Resolves the caller on every request and enforces the route's declared access. */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access ?? 'public';
    const bearer = bearerToken(request);
    const cookie = request.cookies[SESSION_COOKIE];
    const secret = bearer ?? cookie;
    if (secret) {
      const found = await authenticate(ctx, secret, request.ip);
      if (found) {
        request.caller = {
          ...found,
          viaCookie: bearer === undefined,
          trialExpired: isTrialExpired(found.user, ctx.clock.now()),
        };
      } else if (bearer !== undefined && access !== 'public') {
        throw unauthenticated('The bearer token is unknown, revoked or expired.');
      }
    }
    if (access === 'public') return;
    const caller = request.caller;
    if (!caller) throw unauthenticated();
    if (caller.viaCookie && !SAFE_METHODS.has(request.method) && !passesCsrf(ctx, request)) {
      throw forbidden(`Cross-site request refused: send a same-origin Origin header or the ${CSRF_HEADER} header.`);
    }
    const credentials = request.routeOptions.config.credentials;
    if (credentials && caller.apiTokenId && !(credentials === 'revokeSelf' && idParam(request) === caller.apiTokenId)) throw tokenCannotManageCredentials();
    if (access === 'admin' && !caller.user.isAdmin) {
      const target = { ownerId: caller.user.id, action: 'admin.access', targetType: 'route', targetId: `${request.method} ${request.routeOptions.url ?? request.url}` };
      const refused = forbidden('This needs a platform admin.');
      await recordRefusal(ctx.db, ctx.clock.now(), requestMeta(request), caller, target, refused);
      throw refused;
    }
    if (access === 'activeAccount' && caller.trialExpired) throw trialExpired();
  });
}

/** The caller of a route that declared it needs one; the hook has already answered 401 otherwise. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthenticated();
  return request.caller;
}
