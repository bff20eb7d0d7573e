/** One page of a cursor-paged list answer. */
interface ListPage<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Every item of a cursor-paged list, following `nextCursor` until the end or `max` items. */
export async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<ListPage<T>>, max = 2000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}
