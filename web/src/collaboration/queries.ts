import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { allPages } from '../api/pages';
import type { Member, PermissionCatalog, Role, Share } from '../api/types';
import { environmentsKey } from '../environments/queries';

export const membersKey = ['members'] as const;
export const rolesKey = ['roles'] as const;

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
