import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { showProblem } from '../../api/forms';
import { FormAlert } from '../../components/Feedback';
import { usePageTitle } from '../../components/Page';
import { AuthLayout } from '../../layout/AuthLayout';

/** Ask for a password reset link by email. */
export function ForgotPasswordPage() {
  usePageTitle('Reset your password');
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ mode: 'uncontrolled', initialValues: { email: '' }, validate: { email: isEmail('Enter your email address') } });
  const forgot = useMutation({ mutationFn: (body: { email: string }) => ok(api.POST('/api/v1/auth/forgot', { body })) });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    forgot.mutate(values, { onError: (error) => setFormError(showProblem(form, error)) });
  });

  return (
    <AuthLayout>
      <Stack gap="md">
        <Title order={1} size="h2">
          Reset your password
        </Title>
        {forgot.isSuccess ? (
          <Alert color="green" variant="light" role="status" title="Check your mail">
            {forgot.data.detail}
          </Alert>
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                Enter the email of your account and we will mail you a link to choose a new password.
              </Text>
              <FormAlert message={formError} />
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
      </Stack>
    </AuthLayout>
  );
}
