import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { FormAlert } from '../../components/Feedback';
import { AuthLayout } from '../../layout/AuthLayout';

/** Ask for a password reset link by email. */
export function ForgotPasswordPage() {
  const form = useForm({ mode: 'uncontrolled', initialValues: { email: '' }, validate: { email: isEmail('Enter your email address') } });
  const problem = useFormProblem(form);
  const forgot = useMutation({ mutationFn: (body: { email: string }) => ok(api.POST('/api/v1/auth/forgot', { body })) });

  return (
    <AuthLayout title="Reset your password">
      {forgot.isSuccess ? (
        <Alert color="green" variant="light" role="status" title="Check your mail">
          {forgot.data.detail}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((values) => problem.watch(forgot.mutateAsync(values)))} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Enter the email of your account and we will mail you a link to choose a new password.
            </Text>
            <FormAlert message={problem.message} />
            <TextInput label="Email" type="email" autoComplete="email" required key={form.key('email')} {...form.getInputProps('email')} />
            <Button type="submit" loading={forgot.isPending}>
              Send the reset link
            </Button>
          </Stack>
        </form>
      )}
      <Text size="sm">
        <Anchor component={Link} to="/sign-in">
          Back to sign in
        </Anchor>
      </Text>
    </AuthLayout>
  );
}
