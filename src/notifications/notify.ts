import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { notifications } from '../db/schema/index.js';
import { timeOrderedId } from './ordered-id.js';

export const notificationTypes = [
  'collaboration.invited',
  'collaboration.accepted',
  'collaboration.rejected',
  'collaboration.left',
  'collaboration.suspended',
  'collaboration.activated',
  'collaboration.removed',
  'share.granted',
  'share.changed',
  'share.revoked',
  'trial.ending',
  'trial.ended',
  'environment.alert',
  'transfer.requested',
  'transfer.accepted',
  'transfer.declined',
  'transfer.cancelled',
  'transfer.expired',
  'budget.warning',
  'budget.reached',
  'access_request.created',
  'access_request.approved',
  'access_request.denied',
  'access_request.lapsed',
  'share.review_due',
  'team.joined',
  'team.left',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export interface NotificationInput {
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  /** A dashboard path, e.g. `/environments/…`. */
  link?: string | null;
}

/** Adds an in-app notification in the caller's transaction. Its id sorts after earlier ones: the bell lists newest first. */
export async function notify(db: Db, clock: Clock, input: NotificationInput): Promise<void> {
  const now = clock.now();
  await db.insert(notifications).values({ ...input, id: timeOrderedId(now), link: input.link ?? null, createdAt: now });
}
