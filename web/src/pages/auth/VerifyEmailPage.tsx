import { Alert, Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, messageOf, ok } from '../../api/client';
import { meKey, useMe } from '../../auth/session';
import { Loading } from '../../components/Feedback';
import { usePageTitle } from '../../components/Page';
import { AuthLayout } from '../../layout/AuthLayout';

/** The mailed confirmation link lands here; the page confirms the email once, then says what happened. */
export function VerifyEmailPage() {
  usePageTitle('Confirm your email');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const me = useMe();
  const verify = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/auth/verify', { body: { token } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: meKey }),
  });
  const sent = useRef(false);
  useEffect(() => {
    // The token works once: guard against effects running twice.
    if (!token || sent.current) return;
    sent.current = true;
    verify.mutate();
  }, [token, verify]);

  const signedIn = Boolean(me.data);
  return (
    <AuthLayout>
      <Stack gap="md">
        <Title order={1} size="h2">
          Confirm your email
        </Title>
        {!token ? (
          <Alert color="red" variant="light" role="alert" title="This link is incomplete">
            Open the link from the confirmation mail exactly as it is. Signed in, you can ask for a new link from the banner
            at the top of the dashboard.
          </Alert>
        ) : verify.isSuccess ? (
          <>
            <Alert color="green" variant="light" role="status" title="Email confirmed">
              {verify.data.user.email} is confirmed. You can now accept invitations from other accounts.
            </Alert>
            <Button component={Link} to={signedIn ? '/' : `/sign-in?email=${encodeURIComponent(verify.data.user.email)}`}>
              {signedIn ? 'Go to the dashboard' : 'Sign in'}
            </Button>
          </>
        ) : verify.isError ? (
          <>
            <Alert color="red" variant="light" role="alert" title="The email could not be confirmed">
              {messageOf(verify.error)}
            </Alert>
            <Text size="sm">
              Links work once and for 48 hours.{' '}
              {signedIn ? (
                <>
                  Ask for a new one from the banner at the top of the{' '}
                  <Anchor component={Link} to="/">
                    dashboard
                  </Anchor>
                  .
                </>
              ) : (
                <>
                  <Anchor component={Link} to="/sign-in">
                    Sign in
                  </Anchor>{' '}
                  to ask for a new one.
                </>
              )}
            </Text>
          </>
        ) : (
          <Loading label="Confirming your email…" />
        )}
      </Stack>
    </AuthLayout>
  );
}
