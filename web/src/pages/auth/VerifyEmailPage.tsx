import { Alert, Anchor, Button, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, messageOf, ok } from '../../api/client';
import { meKey, useMe } from '../../auth/session';
import { Loading } from '../../components/Feedback';
import { AuthLayout } from '../../layout/AuthLayout';

/**
 * The mailed confirmation link lands here. Confirming takes a click: mail scanners and link previews open links,
 * and an address must not get confirmed for an account its holder never made.
 */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const me = useMe();
  const verify = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/auth/verify', { body: { token } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: meKey }),
  });

  const signedIn = Boolean(me.data);
  return (
    <AuthLayout title="Confirm your email">
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
      ) : verify.isPending ? (
        <Loading label="Confirming your email…" />
      ) : (
        <>
          <Text>Confirm that this email address belongs to your Shareplane account. If you did not sign up, close this page.</Text>
          <Button onClick={() => verify.mutate()}>Confirm my email</Button>
        </>
      )}
    </AuthLayout>
  );
}
