import { Select } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useOwners } from '../environments/queries';

/** The account a page looks at, and the others it could. */
export interface OwnerScope {
  /** `?ownerId=` for the API: undefined for my own account. */
  ownerId: string | undefined;
  /** The account's owner id in every case (mine too), to filter lists by owner; undefined when there is none. */
  accountId: string | undefined;
  choices: { value: string; label: string }[];
  setOwner: (id: string | null) => void;
  /** Whether the accounts are known yet: until then a page asks nothing, so it never asks the wrong account. */
  ready: boolean;
  /** Whether the API says I hold this permission at the account's level (always in my own). */
  can: (permission: string) => boolean;
}

/**
 * Which account a page looks at: mine, or (`?owner=`) one whose account-level permissions, as the API reports them,
 * include `needs` (collaboration.manage, billing.view; any account when absent). The API still decides every request.
 */
export function useOwnerScope(needs?: string): OwnerScope {
  const [params, setParams] = useSearchParams();
  const all = useOwners();
  const owners = all.owners.filter((owner) => !needs || owner.permissions === 'all' || owner.permissions.includes(needs));
  const mine = owners.find((owner) => owner.mine);
  const requested = owners.find((owner) => owner.id === params.get('owner'));
  // A collaborator account owns nothing: without a choice it looks at the first account it works in. An account it
  // cannot look at this way is never asked for.
  const current = requested ?? mine ?? owners[0];
  const ownerId = current && !current.mine ? current.id : undefined;
  const choices = owners.map((owner) => ({ value: owner.id, label: owner.mine ? 'My account' : `${owner.name} (${owner.email})` }));
  const setOwner = (id: string | null) => setParams(id && id !== mine?.id ? { owner: id } : {});
  const can = (permission: string) => current !== undefined && (current.permissions === 'all' || current.permissions.includes(permission));
  return { ownerId, accountId: current?.id, choices, setOwner, ready: !all.isPending, can };
}

/** The account picker, shown when there is more than one account to choose from. */
export function OwnerScopeSelect({ scope, label = 'Account' }: { scope: OwnerScope; label?: string }) {
  if (scope.choices.length < 2) return null;
  const value = scope.ownerId ?? scope.choices[0]?.value ?? null;
  return <Select label={label} data={scope.choices} value={value} onChange={scope.setOwner} allowDeselect={false} maw={360} />;
}
