import type { Member, Team } from '../api/types';
import { memberName } from './labels';

/** Who a share is given to: one member, or a team of members (whose shares count for each of them). */
export type ShareHolder = { kind: 'member'; member: Member } | { kind: 'team'; team: Team };

/** The route family a holder's shares live under, and its id there. */
export interface HolderRef {
  kind: 'member' | 'team';
  id: string;
}

export const memberHolder = (member: Member): ShareHolder => ({ kind: 'member', member });
export const teamHolder = (team: Team): ShareHolder => ({ kind: 'team', team });

export function holderRef(holder: ShareHolder): HolderRef {
  return holder.kind === 'member' ? { kind: 'member', id: holder.member.id } : { kind: 'team', id: holder.team.id };
}

/** "contractor", "the team Frontend". */
export function holderName(holder: ShareHolder): string {
  return holder.kind === 'member' ? memberName(holder.member) : `the team ${holder.team.name}`;
}

/** Whether I may change this holder's shares: a member says so itself; teams are the owner's, who alone sees them. */
export function holderManageable(holder: ShareHolder): boolean {
  return holder.kind === 'team' || holder.member.manageable;
}

/** Whether the holder can hold shares now: a member who accepted (active or suspended), or any team. */
export function holderShareable(holder: ShareHolder): boolean {
  return holder.kind === 'team' || holder.member.status === 'active' || holder.member.status === 'suspended';
}
