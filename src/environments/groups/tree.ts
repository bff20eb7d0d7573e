import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups } from '../../db/schema/index.js';

/** Deepest nesting of groups: deep enough for any organisation, shallow enough for the access walk to stay cheap. */
export const MAX_GROUP_DEPTH = 10;
/** Groups one owner may have. */
export const MAX_GROUPS_PER_OWNER = 1000;

/** The owner's group tree as parent links. */
export async function parentLinks(db: Db, ownerId: string): Promise<Map<string, string | null>> {
  const rows = await db.select({ id: groups.id, parentId: groups.parentId }).from(groups).where(eq(groups.ownerId, ownerId));
  return new Map(rows.map((row) => [row.id, row.parentId]));
}

/** The ids from `groupId` up to its root, itself first. */
export function ancestry(links: ReadonlyMap<string, string | null>, groupId: string): string[] {
  const path: string[] = [];
  for (let current: string | null = groupId; current !== null && !path.includes(current); current = links.get(current) ?? null) {
    path.push(current);
  }
  return path;
}

/** Every subgroup below `groupId`, deepest first (the order deleting them needs). */
export function descendants(links: ReadonlyMap<string, string | null>, groupId: string): string[] {
  const below: string[][] = [];
  let level = [groupId];
  while (level.length > 0) {
    const next = [...links].filter(([, parent]) => parent !== null && level.includes(parent)).map(([id]) => id);
    if (next.length > 0) below.push(next);
    level = next;
  }
  return below.reverse().flat();
}

/** Levels below `groupId`, counting itself as 1 (a group with no subgroups has height 1). */
export function height(links: ReadonlyMap<string, string | null>, groupId: string): number {
  let levels = 1;
  let level = [groupId];
  for (;;) {
    const next = [...links].filter(([, parent]) => parent !== null && level.includes(parent)).map(([id]) => id);
    if (next.length === 0) return levels;
    levels += 1;
    level = next;
  }
}
