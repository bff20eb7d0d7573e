import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ApiError, ok, problemOf } from '../api/client';
import type { Body, User } from '../api/types';

export const meKey = ['me'] as const;

/** The signed-in account, or null when signed out (the API answers 401). */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<User | null> => {
      const { data, error, response } = await api.GET('/api/v1/me');
      if (response.status === 401) return null;
      if (!response.ok || !data) throw new ApiError(response.status, problemOf(response, error));
      return data;
    },
    staleTime: 30_000,
  });
}

/**
 * Signs in and loads the account into the cache. With two-factor sign-in on, the answer is a challenge instead
 * (`challenge` in it): finish with useSecondFactor.
 */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => ok(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (answer) => {
      if ('challenge' in answer) return;
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(meKey, answer.user);
    },
  });
}

/** The second step of a sign-in: the challenge and a code of the authenticator app, a recovery code, or a passkey's answer. */
export function useSecondFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<'/api/v1/auth/login/second-factor', 'post'>) => ok(api.POST('/api/v1/auth/login/second-factor', { body })),
    onSuccess: (answer) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(meKey, answer.user);
    },
  });
}

/** Ends the session, forgets everything cached for it, and goes to the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      const { response } = await api.POST('/api/v1/auth/logout');
      // A session that already ended (401) is as signed out as one ended now.
      if (!response.ok && response.status !== 401) throw new ApiError(response.status, problemOf(response, undefined));
    },
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      void navigate('/sign-in', { replace: true, state: { signedOut: true } });
    },
  });
}

/** Whether the dev mailbox exists: the server has no SMTP, so mail stays in the outbox for reading here. */
export function useDevMailAvailable(): boolean {
  const query = useQuery({
    queryKey: ['dev-mail-available'],
    queryFn: async () => {
      const { response } = await api.GET('/api/v1/dev/mail', { params: { query: { limit: 1 } } });
      return response.ok;
    },
    staleTime: Infinity,
    retry: false,
  });
  return query.data === true;
}
