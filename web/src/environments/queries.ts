import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, messageOf, ok } from '../api/client';
import { allPages } from '../api/pages';
import type { Collaboration, Environment, Group } from '../api/types';
import { useMe } from '../auth/session';
import { environmentDeletion } from '../components/arrangements';
import { TRANSITIONAL } from './model';

export const environmentsKey = ['environments'] as const;
export const groupsKey = ['groups'] as const;

export interface EnvironmentFilter {
  ownerId?: string | undefined;
  groupId?: string | undefined;
}

/** Every environment the caller sees (own and shared), following pages; polls while one is changing state. */
export function useEnvironments(filter: EnvironmentFilter = {}) {
  return useQuery({
    queryKey: [...environmentsKey, 'list', filter],
    queryFn: (): Promise<Environment[]> =>
      allPages((cursor) => ok(api.GET('/api/v1/environments', { params: { query: { ownerId: filter.ownerId, groupId: filter.groupId, limit: 200, cursor } } }))),
    refetchInterval: (query) => (query.state.data?.some((env) => TRANSITIONAL.has(env.status)) ? 1000 : 15_000),
  });
}

/** One environment; polls while the runtime is at work on it. */
export function useEnvironment(id: string) {
  return useQuery({
    queryKey: [...environmentsKey, 'one', id],
    queryFn: () => ok(api.GET('/api/v1/environments/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && TRANSITIONAL.has(query.state.data.status) ? 1000 : 15_000),
  });
}

/** The environments of one account (the owner's id), as the caller sees them. */
export function useAccountEnvironments(accountId: string | undefined): Environment[] {
  const environments = useEnvironments({ ownerId: accountId });
  return (environments.data ?? []).filter((env) => !accountId || env.owner.id === accountId);
}

/** The query of an owner's groups the caller sees (its own without an owner), each with the caller's permissions there. */
export function groupsQuery(ownerId: string | undefined) {
  return {
    queryKey: [...groupsKey, ownerId ?? 'mine'],
    queryFn: async (): Promise<Group[]> => (await ok(api.GET('/api/v1/groups', { params: { query: { ownerId, limit: 1000 } } }))).items,
  };
}

/** An owner's groups the caller sees (its own without an owner). */
export function useGroups(ownerId?: string, enabled = true) {
  return useQuery({ ...groupsQuery(ownerId), enabled });
}

/** The accounts I collaborate with and my pending invitations. */
export function useCollaborations() {
  return useQuery({
    queryKey: ['collaborations'],
    queryFn: async (): Promise<Collaboration[]> => (await ok(api.GET('/api/v1/collaborations', { params: { query: { limit: 200 } } }))).items,
  });
}

export interface OwnerChoice {
  id: string;
  name: string;
  email: string;
  mine: boolean;
  /** Whether a share lets me create environments in this account (the API says; always true for my own). */
  canCreate: boolean;
  /** What I may do at this account's level, as the API says (everything in my own). */
  permissions: readonly string[] | 'all';
}

/** The accounts whose resources I can reach: mine (unless a collaborator account, which owns nothing) and active collaborations. */
export function useOwners(): { owners: OwnerChoice[]; isPending: boolean } {
  const me = useMe();
  const collaborations = useCollaborations();
  const owners: OwnerChoice[] = [];
  if (me.data && me.data.type !== 'collaborator') {
    owners.push({ id: me.data.id, name: me.data.name, email: me.data.email, mine: true, canCreate: true, permissions: 'all' });
  }
  for (const c of collaborations.data ?? []) {
    if (c.status === 'active') {
      owners.push({ ...c.owner, mine: false, canCreate: c.canCreateEnvironments ?? false, permissions: c.permissions ?? [] });
    }
  }
  return { owners, isPending: me.isPending || collaborations.isPending };
}

type Action = 'start' | 'stop' | 'restart';

/** Start, stop or restart: the answer carries the new status, and the lists poll until it settles. */
export function useEnvironmentAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ env, action }: { env: Environment; action: Action }) => {
      const params = { params: { path: { id: env.id } } };
      if (action === 'start') return ok(api.POST('/api/v1/environments/{id}/start', params));
      if (action === 'stop') return ok(api.POST('/api/v1/environments/{id}/stop', params));
      return ok(api.POST('/api/v1/environments/{id}/restart', params));
    },
    onSuccess: (updated) => {
      queryClient.setQueryData([...environmentsKey, 'one', updated.id], updated);
      return queryClient.invalidateQueries({ queryKey: environmentsKey });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Not done', message: messageOf(error) }),
  });
}

/** Deletes an environment (202: it goes through `deleting`). */
export function useDeleteEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (env: Environment) => environmentDeletion(env.id).run(false),
    // The list shows it `deleting`, then gone: no toast repeats it.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: environmentsKey }),
  });
}
