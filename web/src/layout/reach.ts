import type { User } from '../api/types';
import { useOwners } from '../environments/queries';

/** What parts of the dashboard apply to the signed-in person, from the API's account-level permissions. */
export interface Reach {
  /** Whether I own an account (a collaborator account owns nothing). */
  owns: boolean;
  /** Whether I manage members somewhere: my own account, or an owner's with collaboration.manage. */
  manages: boolean;
  /** Whether I see billing somewhere: my own account, or an owner's with billing.view. */
  billing: boolean;
  /** Whether I work in any owner's account. */
  collaborates: boolean;
}

/** The parts of the dashboard that apply to me; a collaborator is shown only what its shares allow. */
export function useReach(user: User | null | undefined): Reach {
  const { owners } = useOwners();
  const others = owners.filter((owner) => !owner.mine);
  const holds = (permission: string) => others.some((owner) => owner.permissions === 'all' || owner.permissions.includes(permission));
  const owns = Boolean(user) && user?.type !== 'collaborator';
  return { owns, manages: owns || holds('collaboration.manage'), billing: owns || holds('billing.view'), collaborates: others.length > 0 };
}
