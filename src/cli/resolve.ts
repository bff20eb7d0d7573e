import { allPages, type Session } from './api.js';
import { notFoundError, usageError } from './errors.js';
import type { Environment, Group, Member, Role } from './types.js';

/** The one item a word names: an exact id or name first, then a case-insensitive name; several is a usage error. */
function pick<T>(word: string, items: readonly T[], keys: (item: T) => Array<string | null | undefined>, what: string, label: (item: T) => string): T {
  const exact = items.filter((item) => keys(item).some((key) => key === word));
  const lower = word.toLowerCase();
  const matches = exact.length > 0 ? exact : items.filter((item) => keys(item).some((key) => key?.toLowerCase() === lower));
  const [only, ...others] = matches;
  if (!only) throw notFoundError(`no ${what} ${word}`);
  if (others.length > 0) throw usageError(`${word} names several ${what}s (${matches.map(label).join(', ')}): use the id`);
  return only;
}

/** The owner account a command acts in: `--owner` as an id, or the email of an owner the caller collaborates with. */
export async function ownerIdOf(session: Session, owner: string | undefined): Promise<string | undefined> {
  if (owner === undefined || !owner.includes('@')) return owner;
  const { items } = await session.ok(session.api.GET('/api/v1/collaborations'));
  const match = items.find((collaboration) => collaboration.owner.email.toLowerCase() === owner.toLowerCase());
  if (!match) throw notFoundError(`no account of ${owner} you collaborate with`);
  return match.owner.id;
}

/** Every member of the account (all statuses). */
export function listMembers(session: Session, ownerId: string | undefined): Promise<Member[]> {
  return allPages((cursor) => session.ok(session.api.GET('/api/v1/collaboration/members', { params: { query: { ownerId, cursor, limit: 200 } } })));
}

/** A member named by its id, its email or the alias the owner gave it. */
export async function findMember(session: Session, ownerId: string | undefined, word: string): Promise<Member> {
  const members = await listMembers(session, ownerId);
  return pick(word, members, (member) => [member.id, member.email, member.displayName], 'member', (member) => member.email);
}

/** Every environment the caller sees (own and shared), or one owner's. */
export function listEnvironments(session: Session, query: { ownerId?: string; groupId?: string } = {}): Promise<Environment[]> {
  return allPages((cursor) => session.ok(session.api.GET('/api/v1/environments', { params: { query: { ...query, cursor, limit: 200 } } })));
}

/** An environment named by its id or its name. */
export async function findEnvironment(session: Session, ownerId: string | undefined, word: string): Promise<Environment> {
  const environments = await listEnvironments(session, ownerId ? { ownerId } : {});
  return pick(word, environments, (environment) => [environment.id, environment.name], 'environment', (environment) => environment.id);
}

/** The groups of the caller's account, or those of an owner's it can see. */
export function listGroups(session: Session, ownerId: string | undefined): Promise<Group[]> {
  return allPages((cursor) => session.ok(session.api.GET('/api/v1/groups', { params: { query: { ownerId, cursor } } })));
}

/** A group named by its id or its name. */
export async function findGroup(session: Session, ownerId: string | undefined, word: string): Promise<Group> {
  return pick(word, await listGroups(session, ownerId), (group) => [group.id, group.name], 'group', (group) => group.id);
}

/** The roles of the account: the system ones and the owner's own. */
export function listRoles(session: Session, ownerId: string | undefined): Promise<Role[]> {
  return allPages((cursor) => session.ok(session.api.GET('/api/v1/roles', { params: { query: { ownerId, cursor, limit: 200 } } })));
}

/** Role ids from ids or names. */
export async function roleIdsOf(session: Session, ownerId: string | undefined, words: readonly string[]): Promise<string[]> {
  const roles = await listRoles(session, ownerId);
  return words.map((word) => pick(word, roles, (role) => [role.id, role.name], 'role', (role) => role.id).id);
}
