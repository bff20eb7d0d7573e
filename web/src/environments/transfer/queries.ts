import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { Transfer } from '../../api/types';
import { environmentsKey } from '../queries';

export const transfersKey = ['transfers'] as const;

/** Pending transfers I give or receive; `environmentId` narrows to one environment. */
export function usePendingTransfers(direction: 'incoming' | 'outgoing', environmentId?: string) {
  return useQuery({
    queryKey: [...transfersKey, direction, environmentId ?? 'all'],
    queryFn: async (): Promise<Transfer[]> =>
      (await ok(api.GET('/api/v1/transfers', { params: { query: { direction, status: 'pending', ...(environmentId ? { environmentId } : {}) } } }))).items,
  });
}

/** Answers a transfer (accept, decline, cancel); every list of transfers and environments is read again after. */
export function useAnswerTransfer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, how }: { id: string; how: 'accept' | 'decline' | 'cancel' }) =>
      ok(api.POST(`/api/v1/transfers/{id}/${how}`, { params: { path: { id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: transfersKey });
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}

/** Asks to transfer an environment to the account of an email. */
export function useRequestTransfer(environmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (email: string) => ok(api.POST('/api/v1/environments/{id}/transfers', { params: { path: { id: environmentId } }, body: { email } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: transfersKey }),
  });
}
