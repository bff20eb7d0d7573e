import { Alert, Anchor, Button, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { isEmail, isNotEmpty, useForm } from '@mantine/form';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { messageOf } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { passkeysSupported, usePasskeySignIn } from '../../auth/passkey';
import { useSignIn } from '../../auth/session';
import { type SecondStep, SecondFactorForm } from './SecondFactorForm';
import { FormAlert } from '../../components/Feedback';
import { safeNext } from '../../components/format';
import { AuthLayout } from '../../layout/AuthLayout';

/** Sign in with email and password; goes on to `?next=` afterwards. */
export function SignInPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const next = safeNext(params.get('next'));
  const state = location.state as { signedOut?: boolean; passwordReset?: boolean } | null;
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: params.get('email') ?? '', password: '' },
    validate: { email: isEmail('Enter your email address'), password: isNotEmpty('Enter your password') },
  });
  const problem = useFormProblem(form);
  const [challenge, setChallenge] = useState<SecondStep | null>(null);
  const done = () => navigate(next, { replace: true });

  const passkey = usePasskeySignIn();
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const withPasskey = () => {
    setPasskeyError(null);
    passkey.mutateAsync().then(
      () => navigate(next, { replace: true }),
      (error: unknown) => setPasskeyError(messageOf(error)),
    );
  };

  const submit = form.onSubmit((values) =>
    problem.watch(
      signIn.mutateAsync(values).then((answer) => {
        if ('challenge' in answer) setChallenge(answer);
        else return done();
      }),
    ),
  );

  if (challenge) return <SecondFactorForm step={challenge} onDone={done} onRestart={() => setChallenge(null)} />;

  return (
    <AuthLayout title="Sign in">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {state?.signedOut ? (
            <Alert color="gray" variant="light" role="status">
              You are signed out.
            </Alert>
          ) : null}
          {state?.passwordReset ? (
            <Alert color="green" variant="light" role="status">
              Your password is changed. Sign in with the new one.
            </Alert>
          ) : null}
          {next.startsWith('/invitations/') ? (
            <Alert color="blue" variant="light">
              Sign in to answer the invitation.
            </Alert>
          ) : null}
          <FormAlert message={problem.message} />
          <TextInput label="Email" type="email" autoComplete="email" required key={form.key('email')} {...form.getInputProps('email')} />
          <PasswordInput label="Password" autoComplete="current-password" required key={form.key('password')} {...form.getInputProps('password')} />
          <Group justify="space-between">
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot your password?
            </Anchor>
            <Button type="submit" loading={signIn.isPending}>
              Sign in
            </Button>
          </Group>
          {passkeysSupported() ? (
            <>
              <Divider label="or" labelPosition="center" />
              <FormAlert message={passkeyError} />
              <Button variant="default" onClick={withPasskey} loading={passkey.isPending}>
                Sign in with a passkey
              </Button>
            </>
          ) : null}
          <Text size="sm">
            New to Shareplane?{' '}
            <Anchor component={Link} to={next === '/' ? '/sign-up' : `/sign-up?next=${encodeURIComponent(next)}`}>
              Create an account
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
