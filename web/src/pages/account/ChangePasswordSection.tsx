import { PasswordInput, Stack } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { FormAlert } from '../../components/Feedback';
import { FormActions } from '../../components/FormDialog';
import { Section } from '../../components/Section';
import { NewPasswordFields, newPasswordError, sameAs } from '../auth/NewPasswordFields';

/** Change the password; the API ends every other session. */
export function ChangePasswordSection() {
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: { currentPassword: isNotEmpty('Enter your current password'), newPassword: newPasswordError, confirm: sameAs('newPassword') },
  });
  const problem = useFormProblem(form);
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => ok(api.POST('/api/v1/auth/password', { body })),
    onSuccess: () => {
      form.reset();
      notifications.show({ color: 'green', message: 'Password changed. Your other sessions are signed out.' });
    },
  });

  return (
    <Section title="Password" description="Changing it signs out your other sessions; API tokens keep working.">
      <form onSubmit={form.onSubmit(({ currentPassword, newPassword }) => problem.watch(change.mutateAsync({ currentPassword, newPassword })))} noValidate>
        <Stack gap="md" maw={420}>
          <FormAlert message={problem.message} />
          <PasswordInput label="Current password" autoComplete="current-password" required key={form.key('currentPassword')} {...form.getInputProps('currentPassword')} />
          <NewPasswordFields form={form} field="newPassword" label="New password" repeat="confirm" />
          <FormActions submitLabel="Change password" submitting={change.isPending} />
        </Stack>
      </form>
    </Section>
  );
}
