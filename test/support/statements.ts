/**
 * Counts the SQL statements the app sends, at the driver, for the statements-per-request test and the API benchmark:
 * wraps the query method of the open PGlite instance (and of its transactions) or of node-postgres clients.
 * Transaction control (begin, commit) counts too.
 */
import pg from 'pg';
import type { Database } from '../../src/db/client.js';

// node-postgres clients are wrapped once, at the prototype; they report to the newest counter.
let notePg: ((text: unknown) => (result: unknown) => unknown) | undefined;

export interface QueryCounter {
  readonly count: number;
  /** SQL texts seen since `record(true)`, with the milliseconds each took, for finding what a route sends. */
  readonly seen: Array<{ sql: string; ms: number }>;
  record(on: boolean): void;
}

/** Starts counting the statements sent through `database`. */
export function countQueries(database: Database): QueryCounter {
  let count = 0;
  let recording = false;
  const seen: Array<{ sql: string; ms: number }> = [];
  // Counts one statement; while recording, returns a function that notes its duration once it settles.
  const note = (text: unknown): ((result: unknown) => unknown) => {
    count += 1;
    if (!recording) return (result) => result;
    const entry = { sql: typeof text === 'string' ? text : JSON.stringify(text), ms: 0 };
    seen.push(entry);
    const start = performance.now();
    return (result) => {
      if (result instanceof Promise) {
        return result.finally(() => {
          entry.ms = performance.now() - start;
        });
      }
      return result;
    };
  };
  if (database.raw.kind === 'pglite') {
    const client = database.raw.client;
    const query = client.query.bind(client);
    client.query = ((text: string, ...rest: unknown[]) => note(text)((query as (...args: unknown[]) => unknown)(text, ...rest))) as typeof client.query;
    const transaction = client.transaction.bind(client);
    client.transaction = ((fn: (tx: { query: (...args: unknown[]) => unknown }) => Promise<unknown>) =>
      transaction(async (tx) => {
        const txQuery = tx.query.bind(tx);
        note('begin');
        (tx as { query: unknown }).query = (text: string, ...rest: unknown[]) => note(text)((txQuery as (...args: unknown[]) => unknown)(text, ...rest));
        return fn(tx as never);
      })) as typeof client.transaction;
  } else {
    notePg = note;
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __counted?: boolean };
    if (!proto.__counted) {
      const query = proto.query;
      proto.query = function counted(this: unknown, ...args: unknown[]) {
        const first = args[0];
        const done = notePg?.(typeof first === 'object' && first !== null && 'text' in first ? (first as { text: unknown }).text : first);
        const result = query.apply(this, args);
        return done ? done(result) : result;
      };
      proto.__counted = true;
    }
  }
  return {
    get count() {
      return count;
    },
    seen,
    record(on) {
      recording = on;
      seen.length = 0;
    },
  };
}
