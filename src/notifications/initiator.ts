import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditEvents, collaborations, users } from '../db/schema/index.js';

/**
 * Who did what a mail tells: the owner, a member of the owner's account (with the owner's alias for it), or the
 * platform itself. Every collaboration and environment mail names it, so an owner can tell a collaborator's action
 * from a compromise of their own account.
 */
export type Initiator =
  | { kind: 'owner'; id: string }
  /** `manager`: it acted as a manager (collaboration.manage) of the account. */
  | { kind: 'member'; id: string; name: string; email: string; alias: string | null; manager: boolean }
  | { kind: 'system' };

/** Who reads the mail: the owner of the account, or a member of it (who never sees the owner's aliases). */
export type Audience = { ownerId: string; recipientId: string };

/**
 * The initiator as the recipient may know it. The owner reads "the member aliased X" (their own name for it); a
 * member never sees an alias (DESIGN.md section 4), so it reads the owner, a manager by its own name and address
 * (as the invitation mail already names whoever invited), or "another collaborator" for anyone else, as the
 * environment's activity shows them.
 */
export function initiatorPhrase(initiator: Initiator, audience: Audience): string {
  if (initiator.kind === 'system') return 'Shareplane, automatically';
  if (initiator.id === audience.recipientId) return 'you';
  if (initiator.kind === 'owner') return 'the owner';
  if (audience.recipientId === audience.ownerId) return `the member aliased “${initiator.alias ?? initiator.email}”`;
  if (!initiator.manager) return 'another collaborator of the account';
  return `${initiator.name} (${initiator.email}), a manager of the account`;
}

/** The initiator for an actor in an owner's account, with the owner's alias for it when it is a member. */
export async function initiatorOf(db: Db, ownerId: string, actor: { id: string; name: string; email: string }, manager = false): Promise<Initiator> {
  if (actor.id === ownerId) return { kind: 'owner', id: actor.id };
  const [collaboration] = await db
    .select({ alias: collaborations.displayName })
    .from(collaborations)
    .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, actor.id)))
    .limit(1);
  return { kind: 'member', id: actor.id, name: actor.name, email: actor.email, alias: collaboration?.alias ?? null, manager };
}

/** Who last changed or acted on an environment, from its audit log: the initiator of what the runtime is doing. */
export async function environmentInitiator(db: Db, ownerId: string, environmentId: string): Promise<Initiator> {
  const [last] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(auditEvents)
    .innerJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(eq(auditEvents.ownerId, ownerId), eq(auditEvents.targetType, 'environment'), eq(auditEvents.targetId, environmentId), eq(auditEvents.outcome, 'ok'), isNotNull(auditEvents.actorId)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return last ? initiatorOf(db, ownerId, last) : { kind: 'system' };
}
