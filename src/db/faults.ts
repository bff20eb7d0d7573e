import type { Pool, PoolClient } from 'pg';

// SQLSTATE classes and codes that mean "the database went away", not "the query was wrong":
// 08 connection exception; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now; 53300 too many
// connections.
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
// Socket errors and the messages `pg` and its pool give when a connection is refused, cut or never made.
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'the database system is',
  'terminating connection',
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * True when an error means the database cannot be reached right now (a restart, a cut connection, a refused or
 * timed-out connect), as opposed to a query it refused. Walks `cause` chains, since query builders wrap driver errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const candidate = current as ErrorLike;
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_ERRNOS.has(code)) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (UNAVAILABLE_MESSAGES.some((known) => message.includes(known))) return true;
    // A refused connect to a host with several addresses is an AggregateError of per-address errors.
    if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = candidate.cause;
  }
  return false;
}

/**
 * Gives the pool and every client it makes an error listener. A server restart ends each connection with an
 * 'error' event; on a checked-out client without a listener that event kills the process. With one, only the
 * queries on that connection fail, and the pool replaces it on the next checkout.
 */
export function guardPool(pool: Pool, onError: (error: Error) => void = () => undefined): void {
  pool.on('error', onError);
  pool.on('connect', (client: PoolClient) => {
    client.on('error', onError);
  });
}
