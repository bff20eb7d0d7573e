import type { FastifyRequest } from 'fastify';
import { redactSecrets } from '../secrets.js';

interface LoggedError {
  type: string;
  message: string;
  stack?: string | undefined;
  code?: unknown;
  cause?: LoggedError | undefined;
}

/** What the request log records of a request: never its headers (cookies, bearer tokens), its URL without secrets. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
  };
}

/**
 * Errors as the log records them. Query builders put the statement's parameters in their messages (emails,
 * hashes, tokens being checked); the log keeps the statement and drops the parameters.
 */
function serializeError(error: unknown, depth = 0): LoggedError | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined;
  const message = redactSecrets(error.message.replace(/\nparams: [\s\S]*$/, '\nparams: [redacted]'));
  const stack = error.stack === undefined ? undefined : redactSecrets(error.stack.replace(/\nparams: [^\n]*/, '\nparams: [redacted]'));
  return {
    type: error.name,
    message,
    stack,
    code: (error as { code?: unknown }).code,
    cause: serializeError(error.cause, depth + 1),
  };
}

/** Readable lines for a person at a terminal (pino-pretty); JSON, one object a line, for anything else. */
function destinationOptions(overrides: Record<string, unknown>): Record<string, unknown> {
  if (!process.stdout.isTTY || 'stream' in overrides || 'transport' in overrides) return {};
  return { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } };
}

/** Pino options for the app's logger: the given ones, with the serializers that keep secrets out of the log. */
export function loggerOptions(level: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { level, ...destinationOptions(overrides), ...overrides, serializers: { req: serializeRequest, err: (error: unknown) => serializeError(error) } };
}
