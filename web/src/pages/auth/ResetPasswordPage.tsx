import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { meKey } from '../../auth/session';
import { FormAlert } from '../../components/Feedback';
import { AuthLayout } from '../../layout/AuthLayout';
import { NewPasswordFields, newPasswordError, sameAs } from './NewPasswordFields';

/** Choose a new password with the token of the mailed reset link. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '', confirm: '' },
    validate: { password: newPasswordError, confirm: sameAs('password') },
  });
  const problem = useFormProblem(form);
  const reset = useMutation({
    mutationFn: (body: { token: string; password: string }) => ok(api.POST('/api/v1/auth/reset', { body })),
    onSuccess: (answer) => {
      // Every session ended with the reset, this browser's too.
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      void navigate(`/sign-in?email=${encodeURIComponent(answer.user.email)}`, { replace: true, state: { passwordReset: true } });
    },
  });

  return (
    <AuthLayout title="Choose a new password">
      {!token ? (
        <Alert color="red" variant="light" role="alert" title="This link is incomplete">
          Open the link from the reset mail exactly as it is, or{' '}
          <Anchor component={Link} to="/forgot-password">
            ask for a new one
          </Anchor>
          .
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit(({ password }) => problem.watch(reset.mutateAsync({ token, password })))} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Setting it signs you out everywhere; then sign in with the new password.
            </Text>
            <FormAlert message={problem.message} />
            {problem.message ? (
              <Text size="sm">
                <Anchor component={Link} to="/forgot-password">
                  Ask for a new link
                </Anchor>
              </Text>
            ) : null}
            <NewPasswordFields form={form} field="password" label="New password" repeat="confirm" />
            <Button type="submit" loading={reset.isPending}>
              Set the new password
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
