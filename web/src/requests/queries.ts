import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { AccessRequest, AccessRequestBody } from '../api/types';
import { environmentsKey } from '../environments/queries';

export const requestsKey = ['access-requests'] as const;

/** The system roles a member may ask for (custom roles are listed only to the owner and managers). */
export const requestableRoles = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'operator', label: 'Operator (start, stop, restart)' },
  { value: 'developer', label: 'Developer (deploy, config, topology…)' },
  { value: 'admin', label: 'Admin (everything)' },
];

/** An account's requests: all of them for the owner and managers, my own otherwise; newest first. */
export function useAccessRequests(ownerId: string | undefined, status?: AccessRequest['status'], enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...requestsKey, ownerId ?? 'mine', status ?? 'all'],
    queryFn: async (): Promise<AccessRequest[]> =>
      (await ok(api.GET('/api/v1/access-requests', { params: { query: { ...(ownerId ? { ownerId } : {}), ...(status ? { status } : {}), limit: 200 } } }))).items,
  });
}

/** Everything a request changes: the lists, and (once approved) what the requester may do. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: requestsKey }), queryClient.invalidateQueries({ queryKey: environmentsKey })]);
}

export function useRequestAccess() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: AccessRequestBody) => ok(api.POST('/api/v1/access-requests', { body })), onSuccess: refresh });
}

export function useAnswerRequest() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ownerId, verb, body }: { id: string; ownerId: string | undefined; verb: 'approve' | 'deny'; body: { roleIds?: string[]; durationHours?: number; comment?: string } }) => {
      const params = { path: { id }, query: ownerId ? { ownerId } : {} };
      return verb === 'approve'
        ? ok(api.POST('/api/v1/access-requests/{id}/approve', { params, body: { ...(body.roleIds ? { roleIds: body.roleIds } : {}), ...(body.durationHours ? { durationHours: body.durationHours } : {}) } }))
        : ok(api.POST('/api/v1/access-requests/{id}/deny', { params, body: body.comment ? { comment: body.comment } : {} }));
    },
    onSuccess: refresh,
  });
}

export function useCancelRequest() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ownerId }: { id: string; ownerId: string }) => ok(api.POST('/api/v1/access-requests/{id}/cancel', { params: { path: { id }, query: { ownerId } } })),
    onSuccess: refresh,
  });
}
