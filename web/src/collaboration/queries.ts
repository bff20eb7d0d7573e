import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { allPages } from '../api/pages';
import type { Member, PermissionCatalog, Role, Share, Team, TeamShare } from '../api/types';
import { environmentsKey } from '../environments/queries';
import type { HolderRef } from './holder';

export const membersKey = ['members'] as const;
export const rolesKey = ['roles'] as const;
export const teamsKey = ['teams'] as const;

/** `?ownerId=` for a manager acting in another owner's account; nothing for my own. */
export const ownerQuery = (ownerId: string | undefined) => (ownerId ? { ownerId } : {});

/** The owner's members, every status, newest invitation first. */
export function useMembers(ownerId?: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...membersKey, ownerId ?? 'mine'],
    queryFn: (): Promise<Member[]> =>
      allPages((cursor) => ok(api.GET('/api/v1/collaboration/members', { params: { query: { ...ownerQuery(ownerId), limit: 200, cursor } } }))),
  });
}

/** One member, with the owner's alias. */
export function useMember(id: string, ownerId?: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...membersKey, ownerId ?? 'mine', id],
    queryFn: () => ok(api.GET('/api/v1/collaboration/members/{id}', { params: { path: { id }, query: ownerQuery(ownerId) } })),
  });
}

/** What is shared with a member: each share's resource, roles and expiry. */
export function useShares(memberId: string, ownerId?: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['shares', ownerId ?? 'mine', memberId],
    queryFn: async (): Promise<Share[]> =>
      (await ok(api.GET('/api/v1/collaboration/members/{id}/shares', { params: { path: { id: memberId }, query: { ...ownerQuery(ownerId), limit: 200 } } })))
        .items,
  });
}

/** The shares of a member or a team (the owner's alone), as one list. */
export function useHolderShares(holder: HolderRef, ownerId?: string, enabled = true) {
  const member = useShares(holder.id, ownerId, enabled && holder.kind === 'member');
  const team = useTeamShares(holder.id, enabled && holder.kind === 'team');
  return holder.kind === 'member' ? member : team;
}

/** The owner's teams, by name. */
export function useTeams(enabled = true) {
  return useQuery({
    enabled,
    queryKey: teamsKey,
    queryFn: (): Promise<Team[]> => allPages((cursor) => ok(api.GET('/api/v1/collaboration/teams', { params: { query: { limit: 200, cursor } } }))),
  });
}

/** One team with its members. */
export function useTeam(id: string) {
  return useQuery({
    queryKey: [...teamsKey, id],
    queryFn: () => ok(api.GET('/api/v1/collaboration/teams/{id}', { params: { path: { id } } })),
  });
}

/** What is shared with a team: each share's resource, roles and expiry. */
export function useTeamShares(teamId: string, enabled = true) {
  return useQuery({ enabled, ...teamSharesQuery(teamId) });
}

function teamSharesQuery(teamId: string) {
  return {
    queryKey: ['shares', 'team', teamId],
    queryFn: (): Promise<TeamShare[]> =>
      allPages((cursor) => ok(api.GET('/api/v1/collaboration/teams/{id}/shares', { params: { path: { id: teamId }, query: { limit: 200, cursor } } }))),
  };
}

/** The shares of the teams a member is in (the owner's view): what they give it besides its own shares. */
export function useMemberTeamShares(memberId: string, enabled = true): TeamShare[] {
  const teams = useTeams(enabled);
  const mine = (teams.data ?? []).filter((team) => team.members.some((member) => member.memberId === memberId));
  const shares = useQueries({ queries: mine.map((team) => teamSharesQuery(team.id)) });
  return shares.flatMap((query) => query.data ?? []);
}

/** System roles first, then the owner's custom roles, with where each is used. */
export function useRoles(ownerId?: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...rolesKey, ownerId ?? 'mine'],
    queryFn: (): Promise<Role[]> => allPages((cursor) => ok(api.GET('/api/v1/roles', { params: { query: { ...ownerQuery(ownerId), limit: 200, cursor } } }))),
  });
}

/** The permission catalog: ids, categories and descriptions, from the server's one catalog. */
export function usePermissionCatalog() {
  return useQuery({
    queryKey: ['permission-catalog'],
    queryFn: (): Promise<PermissionCatalog> => ok(api.GET('/api/v1/permissions')),
    staleTime: Infinity,
  });
}

type MemberAction = 'resend' | 'suspend' | 'activate';

/** Resend, suspend or activate a member; the answer is the member as it is now. */
export function useMemberAction(ownerId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ member, action }: { member: Member; action: MemberAction }) => {
      const params = { params: { path: { id: member.id }, query: ownerQuery(ownerId) } };
      if (action === 'resend') return ok(api.POST('/api/v1/collaboration/members/{id}/resend', params));
      if (action === 'suspend') return ok(api.POST('/api/v1/collaboration/members/{id}/suspend', params));
      return ok(api.POST('/api/v1/collaboration/members/{id}/activate', params));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersKey });
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
    },
  });
}

/** Unlink: the collaboration and all its shares are deleted; a pending link dies. */
export function useRemoveMember(ownerId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: Member) => ok(api.DELETE('/api/v1/collaboration/members/{id}', { params: { path: { id: member.id }, query: ownerQuery(ownerId) } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersKey });
      void queryClient.invalidateQueries({ queryKey: ['shares'] });
      void queryClient.invalidateQueries({ queryKey: rolesKey });
    },
  });
}

/** What a change to teams moves: the teams, their shares, explanations and what members reach. */
export function invalidateTeams(queryClient: ReturnType<typeof useQueryClient>): void {
  for (const key of [teamsKey, ['shares'], rolesKey, ['explain'], environmentsKey]) void queryClient.invalidateQueries({ queryKey: key });
}
