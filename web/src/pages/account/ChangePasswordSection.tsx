import { Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { showProblem } from '../../api/forms';
import { FormAlert } from '../../components/Feedback';
import { newPasswordError } from '../auth/SignUpPage';

/** Change the password; the API ends every other session. */
export function ChangePasswordSection() {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: isNotEmpty('Enter your current password'),
      newPassword: newPasswordError,
      confirm: (value, values) => (value === values.newPassword ? null : 'The two passwords differ'),
    },
  });
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => ok(api.POST('/api/v1/auth/password', { body })),
  });

  const submit = form.onSubmit(({ currentPassword, newPassword }) => {
    setFormError(null);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({ color: 'green', message: 'Password changed. Your other sessions are signed out.' });
        },
        onError: (error) => setFormError(showProblem(form, error)),
      },
    );
  });

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="password-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={420}>
          <div>
            <Title order={2} size="h4" id="password-title">
              Password
            </Title>
            <Text size="sm" c="dimmed">
              Changing it signs out your other sessions; API tokens keep working.
            </Text>
          </div>
          <FormAlert message={formError} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            key={form.key('currentPassword')}
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description="At least 10 characters"
            autoComplete="new-password"
            required
            key={form.key('newPassword')}
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            key={form.key('confirm')}
            {...form.getInputProps('confirm')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
