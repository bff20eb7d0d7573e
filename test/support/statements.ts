/**
 * Counts the SQL statements the app sends, at the driver, for the statements-per-request test and the API benchmark:
 * wraps node-postgres clients' query method, which both engines go through (the embedded one over its socket).
 * Transaction control (begin, commit) counts too. The count is of every client of this process.
 */
import pg from 'pg';

// node-postgres clients are wrapped once, at the prototype; they report to the newest counter.
let notePg: ((text: unknown) => (result: unknown) => unknown) | undefined;

export interface QueryCounter {
  readonly count: number;
  /** SQL texts seen since `record(true)`, with the milliseconds each took, for finding what a route sends. */
  readonly seen: Array<{ sql: string; ms: number }>;
  record(on: boolean): void;
}

/** Starts counting the statements this process sends to its databases. */
export function countQueries(): QueryCounter {
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
