import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationFailed, type FieldError } from './errors.js';

// Headers the product reads and may store (sessions keep the user agent).
const READ_HEADERS = ['user-agent', 'origin', 'authorization', 'x-csrf-token', 'cookie'] as const;
const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be taken in: PostgreSQL refuses NUL in text, and a lone surrogate is no Unicode text at all. */
function flaw(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (no lone surrogates)';
  return undefined;
}

function collect(value: unknown, path: string, found: FieldError[], depth = 0): void {
  if (found.length >= 10) return;
  if (typeof value === 'string') {
    const message = flaw(value);
    if (message) found.push({ path, message });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) {
    found.push({ path, message: 'is nested too deeply' });
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = path ? `${path}.${key}` : key;
    const message = flaw(key);
    if (message) found.push({ path: innerPath, message: `field name ${message}` });
    collect(inner, innerPath, found, depth + 1);
  }
}

/** Every string of a request that a route could read: path, query, body and the headers the product uses. */
export function badStrings(request: FastifyRequest): FieldError[] {
  const found: FieldError[] = [];
  collect(request.params, 'params', found);
  collect(request.query, 'querystring', found);
  collect(request.body, '', found);
  for (const name of READ_HEADERS) collect(request.headers[name], `headers.${name}`, found);
  return found;
}

/**
 * Refuses, before any route schema or handler runs, a request carrying a NUL character or a lone surrogate in any
 * string: 400 naming where, never a database error. One rule for every route, those added later included.
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found = badStrings(request);
    if (found.length > 0) throw validationFailed(found);
  });
}
