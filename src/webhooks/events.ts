/** The event types an endpoint can subscribe to, by what they are about (shown in the dashboard and OpenAPI). */
export const webhookEventCatalog = {
  invitations: ['collaboration.invite', 'collaboration.resend', 'collaboration.accept', 'collaboration.reject'],
  members: ['collaboration.update', 'collaboration.suspend', 'collaboration.activate', 'collaboration.remove', 'collaboration.leave', 'collaboration.budget_set', 'collaboration.budget_remove'],
  shares: ['share.create', 'share.update', 'share.delete'],
  roles: ['role.create', 'role.update', 'role.delete'],
  teams: ['team.create', 'team.update', 'team.delete', 'team.member_add', 'team.member_remove'],
  requests: ['access_request.create', 'access_request.approve', 'access_request.deny', 'access_request.cancel', 'access_request.lapse'],
  environments: [
    'environment.create',
    'environment.rename',
    'environment.topology',
    'environment.deploy',
    'environment.start',
    'environment.stop',
    'environment.restart',
    'environment.clone',
    'environment.exec',
    'environment.variables_update',
    'environment.delete',
    'environment.transfer_request',
    'environment.transfer_accept',
    'environment.transfer_decline',
    'environment.transfer_cancel',
    'environment.transfer_expire',
    'group.create',
    'group.update',
    'group.delete',
    'group.environment_add',
    'group.environment_remove',
  ],
  status: ['environment.status_changed'],
  refusals: ['attempt.refused'],
} as const;

export const webhookEventTypes: readonly string[] = Object.values(webhookEventCatalog).flat();

/** The families a subscription may name as `family.*`; `*` is every event. */
const FAMILIES = ['collaboration', 'share', 'role', 'team', 'access_request', 'environment', 'group', 'attempt'] as const;

/** Whether a subscription entry is an event type of the catalog, a family (`share.*`) or everything (`*`). */
export function isWebhookSubscription(entry: string): boolean {
  if (entry === '*' || webhookEventTypes.includes(entry)) return true;
  return entry.endsWith('.*') && (FAMILIES as readonly string[]).includes(entry.slice(0, -2));
}

/** The subscription entries an event of `type` matches: itself, its family, everything. */
export function subscriptionsMatching(type: string): string[] {
  const family = type.split('.')[0] ?? type;
  return [type, `${family}.*`, '*'];
}

/**
 * The webhook event an audited action becomes, or null when it is none (sign-ins, tokens, reads): a change in
 * the account's collaboration or environments is its own type; a refused or failed attempt is `attempt.refused`.
 */
export function webhookTypeOf(action: string, outcome: 'ok' | 'denied' | 'failed', hasActor: boolean): string | null {
  if (outcome !== 'ok') return hasActor ? 'attempt.refused' : null;
  const family = action.split('.')[0] ?? '';
  return (FAMILIES as readonly string[]).includes(family) && family !== 'attempt' ? action : null;
}
