import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

type Read = () => unknown;

/**
 * Runs independent reads and answers their results in order: in parallel on the pool (each read takes its own
 * connection), one after another inside a transaction, whose single connection runs one statement at a time (`pg`
 * deprecates queueing a query on a client that is still executing one). A read is a function, so none starts before
 * its turn: drizzle's queries run when awaited.
 */
export async function readsOn<R extends readonly Read[]>(db: Db, ...reads: R): Promise<{ -readonly [K in keyof R]: Awaited<ReturnType<R[K]>> }> {
  type Results = { -readonly [K in keyof R]: Awaited<ReturnType<R[K]>> };
  if (!(db instanceof PgTransaction)) return (await Promise.all(reads.map((read) => read()))) as Results;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as Results;
}
