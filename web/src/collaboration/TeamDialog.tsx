import { Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Team } from '../api/types';
import { FormDialog } from '../components/FormDialog';
import { teamsKey } from './queries';

interface Values {
  name: string;
  externalId: string;
}

const nameRule = (value: string) => (value.trim().length >= 1 && value.length <= 100 ? null : 'Name the team (up to 100 characters)');
const externalIdRule = (value: string) => (value.length > 200 ? 'Use at most 200 characters' : null);

/** Creates a team (then opens its page), or renames one and sets its external id (`team` given; empty clears the id). */
export function TeamDialog({ team, opened, onClose }: { team?: Team; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<Values>({
    mode: 'uncontrolled',
    initialValues: { name: team?.name ?? '', externalId: team?.externalId ?? '' },
    validate: { name: nameRule, externalId: externalIdRule },
  });
  const problem = useFormProblem(form, { codes: { team_name_taken: 'name', team_external_id_taken: 'externalId' } });
  const save = useMutation({
    mutationFn: (values: Values) => {
      const name = values.name.trim();
      const externalId = values.externalId.trim() || null;
      return team
        ? ok(api.PATCH('/api/v1/collaboration/teams/{id}', { params: { path: { id: team.id } }, body: { name, externalId } }))
        : ok(api.POST('/api/v1/collaboration/teams', { body: { name, ...(externalId ? { externalId } : {}) } }));
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: teamsKey });
      onClose();
      if (!team) void navigate(`/settings/collaboration/teams/${saved.id}`);
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={team ? `Edit the team “${team.name}”` : 'New team'}
      intro={
        team ? null : (
          <Text size="sm">Add active members to the team, then share with it as with one member: each member gets what the team’s shares give.</Text>
        )
      }
      error={problem.message}
      onSubmit={form.onSubmit((values) => problem.watch(save.mutateAsync(values)))}
      submitLabel={team ? 'Save team' : 'Create team'}
      submitting={save.isPending}
    >
      <TextInput label="Name" required data-autofocus key={form.key('name')} {...form.getInputProps('name')} />
      <TextInput
        label="External id (optional)"
        description="The group’s id in your directory, for a later mapping; unique among your teams"
        key={form.key('externalId')}
        {...form.getInputProps('externalId')}
      />
    </FormDialog>
  );
}
