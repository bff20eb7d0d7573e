import { and, inArray, lt } from 'drizzle-orm';
import { DAY } from '../clock.js';
import type { Db } from '../db/client.js';
import { webhookDeliveries } from '../db/schema/index.js';

/** How long the delivery log keeps a delivery that is done (delivered, or failed for good). */
export const DELIVERY_RETENTION_MS = 30 * DAY;

/** Drops deliveries settled more than DELIVERY_RETENTION_MS ago; a pending one stays, however old. */
export async function pruneSettledDeliveries(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DELIVERY_RETENTION_MS);
  const gone = await db
    .delete(webhookDeliveries)
    .where(and(inArray(webhookDeliveries.status, ['delivered', 'failed']), lt(webhookDeliveries.createdAt, cutoff), lt(webhookDeliveries.lastAttemptAt, cutoff)))
    .returning({ id: webhookDeliveries.id });
  return gone.length;
}
