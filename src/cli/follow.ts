import { setTimeout as sleep } from 'node:timers/promises';

/** One page of a newest-first list (audit events, log lines). */
export type NewestFirst<T> = (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>;

/** How many pages one poll reads at most when everything on them is new. */
const MAX_PAGES_PER_POLL = 10;

/**
 * Reads a newest-first list from its head down to what was already seen, and answers the unseen items oldest first.
 * Items are told apart by id, not by order: a row committed late with a lower id is still shown once.
 */
async function unseen<T extends { id: string }>(newestFirst: NewestFirst<T>, seen: Set<string>): Promise<{ fresh: T[]; read: string[] }> {
  const fresh: T[] = [];
  const read: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES_PER_POLL; pages += 1) {
    const page = await newestFirst(cursor);
    for (const item of page.items) {
      read.push(item.id);
      if (!seen.has(item.id)) fresh.push(item);
    }
    const allNew = page.items.every((item) => !seen.has(item.id));
    if (!allNew || page.nextCursor === null || seen.size === 0) break;
    cursor = page.nextCursor;
  }
  return { fresh: fresh.reverse(), read };
}

/**
 * Shows the newest `count` items oldest first, then, with `follow`, what arrives every `intervalMs` until SIGINT or
 * SIGTERM, after which it returns normally (exit 0) so a pipeline ends cleanly.
 */
export async function tail<T extends { id: string }>(
  newestFirst: NewestFirst<T>,
  options: { count: number; follow: boolean; intervalMs: number },
  show: (items: T[]) => void,
): Promise<void> {
  const first = await newestFirst(undefined);
  show(first.items.slice(0, options.count).reverse());
  if (!options.follow) return;
  let seen = new Set(first.items.map((item) => item.id));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop.signal.aborted) {
      try {
        await sleep(options.intervalMs, undefined, { signal: stop.signal });
      } catch {
        break;
      }
      const { fresh, read } = await unseen(newestFirst, seen);
      // Only the ids still near the head can come back; the older ones are dropped so a long follow stays small.
      seen = new Set(read);
      if (fresh.length > 0) show(fresh);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
