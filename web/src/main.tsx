import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { meKey } from './auth/session';
import { focusHeadingOnNavigate } from './layout/focus-on-navigate';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';

focusHeadingOnNavigate(router);

// A 401 means the session ended (signed out elsewhere, password changed): reload the account so the guard sends
// the visitor to sign in. A trial_expired 403 means the trial ended meanwhile: reload it so the shell explains.
function onApiError(error: unknown): void {
  if (error instanceof ApiError && (error.status === 401 || error.code === 'trial_expired')) {
    void queryClient.invalidateQueries({ queryKey: meKey });
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // Client errors (404, 403...) are answers, not glitches: retrying them only delays the message.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: true,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('no #root element in index.html');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
