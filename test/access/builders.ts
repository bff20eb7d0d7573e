import type { Permission } from '../../src/access/catalog.js';
import { effectiveAccess, type Access } from '../../src/access/decide.js';
import type { ShareFacts, ShareResource } from '../../src/access/snapshot.js';
import { modelAccess } from './model.js';
import { snapshotOf, targetOf, type Question, type World } from './world.js';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const HOUR = 3_600_000;
export const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

export const onAccount: ShareResource = { type: 'account' };
export const onGroup = (id: string): ShareResource => ({ type: 'group', id });
export const onEnvironment = (id: string): ShareResource => ({ type: 'environment', id });

let shareCount = 0;
/** A share of the member's collaboration; `expiresAt` null means it never expires. */
export function share(resource: ShareResource, roleIds: string[], expiresAt: Date | null = null): ShareFacts {
  shareCount += 1;
  return { id: `share-${shareCount}`, resource, roleIds, expiresAt };
}

/** An owner's world seen by an active member with no shares, at NOW; override any part. */
export function world(parts: Partial<World> = {}): World {
  return {
    now: NOW,
    ownerId: 'owner',
    subjectId: 'member',
    trialExpired: false,
    membership: 'active',
    groups: [],
    environments: [],
    customRoles: [],
    shares: [],
    ...parts,
  };
}

/** A custom role of the owner. */
export const role = (id: string, permissions: Permission[]) => ({ id, permissions });

/** decide.ts's answer for a question, after checking that the reference model gives the same one. */
export function accessIn(w: World, question: Question): Access {
  const access = effectiveAccess(snapshotOf(w), targetOf(w, question));
  const model = modelAccess(w, question);
  const modelShape = { level: model.level, blockedBy: model.blockedBy, permissions: [...model.permissions].sort(), via: [...model.shareIds].sort() };
  const shape = { level: access.level, blockedBy: access.blockedBy, permissions: [...access.permissions].sort(), via: access.via.map((g) => g.shareId).sort() };
  if (JSON.stringify(shape) !== JSON.stringify(modelShape)) throw new Error(`decide ${JSON.stringify(shape)} ≠ model ${JSON.stringify(modelShape)}`);
  return access;
}

export const environment = (environmentId: string): Question => ({ kind: 'environment', environmentId });
export const createIn = (groupId: string | null): Question => ({ kind: 'create', groupId });
export const theAccount: Question = { kind: 'account' };
