import { Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Member } from '../api/types';
import { FormDialog } from '../components/FormDialog';
import { membersKey, ownerQuery } from './queries';

const aliasRule = (value: string) => (value.length > 100 ? 'Use at most 100 characters' : null);

/** Invite an email (again, for a member who declined or left): a pending member and a mail with a single-use link. */
export function InviteDialog({ opened, onClose, ownerId, email = '' }: { opened: boolean; onClose: () => void; ownerId?: string | undefined; email?: string }) {
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email, displayName: '' },
    validate: { email: isEmail('Enter the email address to invite'), displayName: aliasRule },
  });
  const problem = useFormProblem(form, { codes: { conflict: 'email' } });
  const invite = useMutation({
    mutationFn: (body: { email: string; displayName?: string }) => ok(api.POST('/api/v1/collaboration/members', { params: { query: ownerQuery(ownerId) }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersKey });
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title="Invite a collaborator"
      intro={
        <Text size="sm">
          We mail them a link to accept. They can use an existing Shareplane account or create a collaborator account. Nothing is shared until you
          add shares after they accept.
        </Text>
      }
      error={problem.message}
      onSubmit={form.onSubmit((values) =>
        problem.watch(invite.mutateAsync({ email: values.email.trim(), ...(values.displayName.trim() ? { displayName: values.displayName.trim() } : {}) })),
      )}
      submitLabel="Send invitation"
      submitting={invite.isPending}
    >
      <TextInput label="Email" type="email" required data-autofocus key={form.key('email')} {...form.getInputProps('email')} />
      <TextInput
        label="Alias (optional)"
        description="Your private name for them, e.g. “Freelance designer”; they never see it"
        key={form.key('displayName')}
        {...form.getInputProps('displayName')}
      />
    </FormDialog>
  );
}

/** Edit the owner's private alias for a member; empty clears it. */
export function AliasDialog({ member, opened, onClose, ownerId }: { member: Member; opened: boolean; onClose: () => void; ownerId?: string | undefined }) {
  const queryClient = useQueryClient();
  const form = useForm({ mode: 'uncontrolled', initialValues: { displayName: member.displayName ?? '' }, validate: { displayName: aliasRule } });
  const problem = useFormProblem(form);
  const save = useMutation({
    mutationFn: (displayName: string | null) =>
      ok(api.PATCH('/api/v1/collaboration/members/{id}', { params: { path: { id: member.id }, query: ownerQuery(ownerId) }, body: { displayName } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersKey });
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Alias for ${member.email}`}
      error={problem.message}
      onSubmit={form.onSubmit(({ displayName }) => problem.watch(save.mutateAsync(displayName.trim() || null)))}
      submitLabel="Save alias"
      submitting={save.isPending}
    >
      <TextInput
        label="Alias"
        description="Only you (and your managers) see it; leave empty to show the email"
        data-autofocus
        key={form.key('displayName')}
        {...form.getInputProps('displayName')}
      />
    </FormDialog>
  );
}
