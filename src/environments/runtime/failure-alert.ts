import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { alertMembers } from '../../notifications/alerts.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { environmentInitiator } from '../../notifications/initiator.js';
import type { EnvironmentRow } from '../transitions.js';
import type { RuntimeAction } from './jobs.js';

const verbs: Record<RuntimeAction, string> = {
  provision: 'create',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  scale: 'change the topology of',
  deploy: 'deploy to',
  destroy: 'delete',
};

/**
 * Tells the owner, and the members whose roles receive alerts on this environment, that a runtime action failed:
 * a notification and a mail each, in the transaction that records the failure.
 */
export async function alertRuntimeFailure(tx: Db, ctx: AppContext, env: EnvironmentRow, action: RuntimeAction, reason: string): Promise<void> {
  const title = `Could not ${verbs[action]} ${env.displayName}`;
  const body = `The platform could not ${verbs[action]} the environment ${env.displayName} (${env.name}): ${reason}`;
  const link = `/environments/${env.id}`;
  // Whoever asked for the action the runtime failed: the last one who acted on the environment.
  const initiator = await environmentInitiator(tx, env.ownerId, env.id);
  const [owner] = await tx.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, env.ownerId));
  if (owner) {
    await deliverNotice(tx, ctx, owner, {
      type: 'environment.alert',
      title,
      body,
      link,
      details: ['Open the environment to see its logs, then try again or delete it.'],
      actionLabel: 'Open the environment',
      by: { initiator, ownerId: env.ownerId },
    });
  }
  await alertMembers(tx, ctx, env.ownerId, { title, body, link, environmentId: env.id, initiator });
}
