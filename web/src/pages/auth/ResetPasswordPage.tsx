import { Alert, Anchor, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { showProblem } from '../../api/forms';
import { meKey } from '../../auth/session';
import { FormAlert } from '../../components/Feedback';
import { usePageTitle } from '../../components/Page';
import { AuthLayout } from '../../layout/AuthLayout';
import { newPasswordError } from './SignUpPage';

/** Choose a new password with the token of the mailed reset link. */
export function ResetPasswordPage() {
  usePageTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '', confirm: '' },
    validate: {
      password: newPasswordError,
      confirm: (value, values) => (value === values.password ? null : 'The two passwords differ'),
    },
  });
  const reset = useMutation({
    mutationFn: (body: { token: string; password: string }) => ok(api.POST('/api/v1/auth/reset', { body })),
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    reset.mutate(
      { token, password: values.password },
      {
        onSuccess: (answer) => {
          // Every session ended with the reset, this browser's too.
          queryClient.clear();
          queryClient.setQueryData(meKey, null);
          void navigate(`/sign-in?email=${encodeURIComponent(answer.user.email)}`, { replace: true, state: { passwordReset: true } });
        },
        onError: (error) => setFormError(showProblem(form, error)),
      },
    );
  });

  return (
    <AuthLayout>
      <Stack gap="md">
        <Title order={1} size="h2">
          Choose a new password
        </Title>
        {!token ? (
          <Alert color="red" variant="light" role="alert" title="This link is incomplete">
            Open the link from the reset mail exactly as it is, or{' '}
            <Anchor component={Link} to="/forgot-password">
              ask for a new one
            </Anchor>
            .
          </Alert>
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                Setting it signs you out everywhere; then sign in with the new password.
              </Text>
              <FormAlert message={formError} />
              {formError ? (
                <Text size="sm">
                  <Anchor component={Link} to="/forgot-password">
                    Ask for a new link
                  </Anchor>
                </Text>
              ) : null}
              <PasswordInput
                label="New password"
                description="At least 10 characters"
                autoComplete="new-password"
                required
                key={form.key('password')}
                {...form.getInputProps('password')}
              />
              <PasswordInput
                label="Repeat the new password"
                autoComplete="new-password"
                required
                key={form.key('confirm')}
                {...form.getInputProps('confirm')}
              />
              <Button type="submit" loading={reset.isPending}>
                Set the new password
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </AuthLayout>
  );
}
