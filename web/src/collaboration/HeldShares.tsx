import { List, Text } from '@mantine/core';
import { formatDate } from '../components/format';

/** A share as the API names it to the member who holds it. */
export interface HeldShare {
  resource: { type: 'account' | 'group' | 'environment'; id?: string | undefined; name?: string | undefined };
  roles: readonly { id: string; name: string }[];
  expiresAt: string | null;
}

/** "all environments", "the group Staging", "shop-prod". */
export function heldResource(share: HeldShare): string {
  if (share.resource.type === 'account') return 'all environments';
  if (share.resource.type === 'group') return `the group ${share.resource.name ?? ''}`.trim();
  return share.resource.name ? `${share.resource.name} directly` : 'this environment directly';
}

/** One line per share: "Viewer, Deployer on the group Staging, until 2026-12-31". */
export function heldSentence(share: HeldShare): string {
  const roles = share.roles.map((role) => role.name).join(', ');
  return `${roles} on ${heldResource(share)}${share.expiresAt ? `, until ${formatDate(share.expiresAt)}` : ''}`;
}

/** What a member holds and through which shares (direct, group, all environments), with expiry dates. */
export function HeldShares({ shares, empty }: { shares: readonly HeldShare[]; empty: string }) {
  if (shares.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <List size="sm" spacing={2} data-testid="held-shares">
      {shares.map((share) => (
        <List.Item key={`${share.resource.type}:${share.resource.id ?? ''}`}>{heldSentence(share)}</List.Item>
      ))}
    </List>
  );
}
