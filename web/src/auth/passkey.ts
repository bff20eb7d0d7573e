import { browserSupportsWebAuthn, type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from '@simplewebauthn/browser';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { meKey } from './session';

/** What a failed browser ceremony means to the person: they cancelled, or the browser could not do it here. */
export function passkeyProblem(error: unknown): Error {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return new Error('The passkey request was cancelled or timed out. Try again.');
  return new Error(`The browser could not use a passkey: ${error instanceof Error ? error.message : 'unknown error'}.`);
}

export const passkeysSupported = () => browserSupportsWebAuthn();

/** Signs in with a passkey the browser offers (no email, no password) and loads the account into the cache. */
export function usePasskeySignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const optionsJSON = await ok(api.POST('/api/v1/auth/passkey/options'));
      const response = await startAuthentication({ optionsJSON: optionsJSON as unknown as PublicKeyCredentialRequestOptionsJSON }).catch((error: unknown) => {
        throw passkeyProblem(error);
      });
      return ok(api.POST('/api/v1/auth/passkey', { body: { response } }));
    },
    onSuccess: (answer) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(meKey, answer.user);
    },
  });
}
