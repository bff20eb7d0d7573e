import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { showProblem } from '../api/forms';
import type { Member } from '../api/types';
import { FormAlert } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { membersKey, ownerQuery } from './queries';

/** Invite an email (again, for a member who declined or left): a pending member and a mail with a single-use link. */
export function InviteDialog({ opened, onClose, ownerId, email = '' }: { opened: boolean; onClose: () => void; ownerId?: string | undefined; email?: string }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email, displayName: '' },
    validate: {
      email: isEmail('Enter the email address to invite'),
      displayName: (value) => (value.length > 100 ? 'Use at most 100 characters' : null),
    },
  });
  const invite = useMutation({
    mutationFn: (body: { email: string; displayName?: string }) => ok(api.POST('/api/v1/collaboration/members', { params: { query: ownerQuery(ownerId) }, body })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Invite a collaborator">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          invite.mutate(
            { email: values.email.trim(), ...(values.displayName.trim() ? { displayName: values.displayName.trim() } : {}) },
            {
              onSuccess: (member) => {
                notifications.show({
                  color: 'green',
                  title: 'Invitation sent',
                  message: `${member.email} has until ${formatDateTime(member.expiresAt)} to accept.`,
                });
                void queryClient.invalidateQueries({ queryKey: membersKey });
                onClose();
              },
              onError: (error) => setFormError(showProblem(form, error, { conflict: 'email' })),
            },
          );
        })}
      >
        <Stack gap="md">
          <Text size="sm">
            We mail them a link to accept. They can use an existing Shareplane account or create a collaborator account. Nothing is shared until you
            add shares after they accept.
          </Text>
          <FormAlert message={formError} />
          <TextInput label="Email" type="email" required data-autofocus key={form.key('email')} {...form.getInputProps('email')} />
          <TextInput
            label="Alias (optional)"
            description="Your private name for them, e.g. “Freelance designer”; they never see it"
            key={form.key('displayName')}
            {...form.getInputProps('displayName')}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Edit the owner's private alias for a member; empty clears it. */
export function AliasDialog({ member, opened, onClose, ownerId }: { member: Member; opened: boolean; onClose: () => void; ownerId?: string | undefined }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { displayName: member.displayName ?? '' },
    validate: { displayName: (value) => (value.length > 100 ? 'Use at most 100 characters' : null) },
  });
  const save = useMutation({
    mutationFn: (displayName: string | null) =>
      ok(api.PATCH('/api/v1/collaboration/members/{id}', { params: { path: { id: member.id }, query: ownerQuery(ownerId) }, body: { displayName } })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Alias for ${member.email}`}>
      <form
        noValidate
        onSubmit={form.onSubmit(({ displayName }) => {
          setFormError(null);
          save.mutate(displayName.trim() || null, {
            onSuccess: () => {
              void queryClient.invalidateQueries({ queryKey: membersKey });
              onClose();
            },
            onError: (error) => setFormError(showProblem(form, error)),
          });
        })}
      >
        <Stack gap="md">
          <FormAlert message={formError} />
          <TextInput
            label="Alias"
            description="Only you (and your managers) see it; leave empty to show the email"
            data-autofocus
            key={form.key('displayName')}
            {...form.getInputProps('displayName')}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save alias
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
