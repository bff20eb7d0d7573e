import type { AccessLevel, Explanation, Member, MemberStatus, Share } from '../api/types';

type Blocked = NonNullable<Explanation['blockedBy']>;

export const levelLabel: Record<AccessLevel, string> = {
  owner: 'owner',
  direct: 'direct',
  group: 'group',
  account: 'all environments',
};

export const blockedLabel: Record<Blocked, string> = {
  not_member: 'not a member',
  suspended: 'suspended',
  trial_expired: 'trial ended',
  share_expired: 'share expired',
  no_share: 'no access',
  token_scope: 'outside the token scope',
  two_factor_required: 'no second factor',
  token_lifetime_exceeded: 'token lives too long',
};

/** Why nothing grants access, in a sentence. */
export const blockedExplanation: Record<Blocked, string> = {
  not_member: 'They are not an active member of this account (the invitation is pending, was declined, or they left).',
  suspended: 'They are suspended: their shares are kept but grant nothing until you activate them again.',
  trial_expired: 'Their trial has ended: they get access back once their account is upgraded or converted.',
  share_expired: 'The only shares that would grant access have expired.',
  no_share: 'Nothing is shared with them that covers this environment: not the environment, none of its groups, not all environments.',
  token_scope: "The token's scope does not reach this, or keeps none of the permissions its holder has here.",
  two_factor_required: 'You require two-factor sign-in and they have not turned it on: they get access back once they do.',
  token_lifetime_exceeded: 'The token lives longer than your longest token lifetime: it acts nowhere in your account until it is replaced by a shorter one.',
};

export const statusColor: Record<MemberStatus, string> = {
  pending: 'blue',
  active: 'green',
  suspended: 'orange',
  rejected: 'gray',
  left: 'gray',
};

export const statusLabel: Record<MemberStatus, string> = {
  pending: 'invited',
  active: 'active',
  suspended: 'suspended',
  rejected: 'declined',
  left: 'left',
};

/** The name an owner knows a member by: the alias, else the account's name, else the email. */
export function memberName(member: Pick<Member, 'displayName' | 'user' | 'email'>): string {
  return member.displayName || member.user?.name || member.email;
}

/** "All environments", "Group Production", "Environment shop". */
export function resourceLabel(share: Pick<Share, 'resource'>): string {
  if (share.resource.type === 'account') return 'All environments';
  const kind = share.resource.type === 'group' ? 'Group' : 'Environment';
  return `${kind} ${share.resource.name ?? share.resource.id ?? ''}`.trim();
}

/** "3 shares", "1 member". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Where the owner's teams are listed; a team's page is below it. */
export const teamsPath = '/settings/collaboration/teams';
