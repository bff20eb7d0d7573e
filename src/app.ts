import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { accountRoutes } from './accounts/routes.js';
import { passkeyRoutes } from './accounts/passkeys/routes.js';
import { auditRoutes } from './audit/routes.js';
import { billingRoutes } from './billing/routes.js';
import { collaborationRoutes } from './collaboration/routes.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext, Wakers } from './context.js';
import type { Database } from './db/client.js';
import type { RuntimeDriver } from './environments/runtime/driver.js';
import { environmentRoutes } from './environments/routes.js';
import { SimulatedRuntimeDriver } from './environments/runtime/simulated.js';
import { installAuth, requireDeclaredAccess } from './http/auth.js';
import { installRouteRules } from './http/authorize/step.js';
import { registerDashboard } from './http/dashboard.js';
import { answerClientError } from './http/client-errors.js';
import { handleError, handleNotFound } from './http/errors.js';
import { healthRoutes } from './http/health.js';
import { refuseUnstorableText } from './http/input.js';
import { loggerOptions } from './http/logging.js';
import { registerOpenApi } from './http/openapi.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { defaultRateLimits, type RateLimitPolicies } from './http/rate-limit.js';
import type { App } from './http/types.js';
import { mailRoutes } from './mail/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

export interface AppDependencies {
  config: Config;
  database: Database;
  clock: Clock;
  rateLimits?: Partial<RateLimitPolicies>;
  /** Pino options or `false`; tests pass a quiet logger. */
  logger?: boolean | Record<string, unknown>;
  wake?: Partial<Wakers>;
  /** The runtime driver; the built-in simulation (RUNTIME_DELAY_MS per step) when absent. */
  runtime?: RuntimeDriver;
}

export interface BuiltApp {
  app: App;
  ctx: AppContext;
}

/** Builds the HTTP application from its configuration and dependencies; it does not listen or start workers. */
export async function buildApp(deps: AppDependencies): Promise<BuiltApp> {
  const app = Fastify({
    logger: deps.logger === false ? false : loggerOptions(deps.config.logLevel, typeof deps.logger === 'object' ? deps.logger : {}),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    // A bad percent-encoding in the URL, and errors of the HTTP parser itself, answer problem+json too.
    frameworkErrors: handleError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();

  const wake: Wakers = { mail: () => undefined, runtime: () => undefined, webhooks: () => undefined, ...deps.wake };
  const ctx: AppContext = {
    config: deps.config,
    database: deps.database,
    db: deps.database.db,
    clock: deps.clock,
    log: app.log,
    rateLimits: { ...defaultRateLimits, ...deps.rateLimits },
    runtime: deps.runtime ?? new SimulatedRuntimeDriver({ db: deps.database.db, clock: deps.clock, delayMs: deps.config.runtimeDelayMs }),
    wake,
  };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  requireDeclaredAccess(app);
  refuseUnstorableText(app);

  await app.register(cookie);
  await registerSecurityHeaders(app, deps.config.publicUrl);
  await registerOpenApi(app, deps.config.publicUrl);
  installAuth(app, ctx);
  installRouteRules(app, ctx);

  healthRoutes(app, ctx);
  app.get('/api/v1/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });

  await app.register(async (scope) => {
    const api = scope as unknown as App;
    accountRoutes(api, ctx);
    passkeyRoutes(api, ctx);
    mailRoutes(api, ctx);
    environmentRoutes(api, ctx);
    billingRoutes(api, ctx);
    auditRoutes(api, ctx);
    collaborationRoutes(api, ctx);
    notificationRoutes(api, ctx);
    webhookRoutes(api, ctx);
  });
  await registerDashboard(app);

  return { app, ctx };
}
