import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { Environment } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmAction';
import { FormAlert } from '../../components/Feedback';
import { IconPlus, IconTrash } from '../../components/Icons';
import { queryFallback } from '../../components/QueryState';

interface Row {
  name: string;
  value: string;
}

function VariablesForm({ env, initial }: { env: Environment; initial: Record<string, string> }) {
  const queryClient = useQueryClient();
  const form = useForm<{ rows: Row[] }>({
    initialValues: { rows: Object.entries(initial).map(([name, value]) => ({ name, value })) },
    validate: (values) => {
      const errors: Record<string, string> = {};
      const seen = new Set<string>();
      values.rows.forEach((row, index) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(row.name)) errors[`rows.${index}.name`] = 'Letters, digits and _, not starting with a digit';
        else if (seen.has(row.name)) errors[`rows.${index}.name`] = 'Already set above';
        seen.add(row.name);
      });
      return errors;
    },
  });
  // The API names a variable by its key (variables.NAME): its problem goes next to that row's name.
  const problem = useFormProblem(form, {
    fieldOf: (path) => {
      const index = form.getValues().rows.findIndex((row) => `variables.${row.name}` === path);
      return index >= 0 ? `rows.${index}.name` : undefined;
    },
  });
  // Variables the save would delete, waiting for the confirmation.
  const [dropping, setDropping] = useState<{ names: string[]; variables: Record<string, string> } | null>(null);
  const save = useMutation({
    mutationFn: (variables: Record<string, string>) =>
      ok(api.PUT('/api/v1/environments/{id}/variables', { params: { path: { id: env.id } }, body: { variables } })),
    onSuccess: (answer) => {
      queryClient.setQueryData(['variables', env.id], answer);
      notifications.show({ color: 'green', message: 'Variables saved. Running processes see them after a restart.' });
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ rows }) => {
        const variables = Object.fromEntries(rows.map((row) => [row.name, row.value]));
        const names = Object.keys(initial).filter((name) => !(name in variables));
        if (names.length) setDropping({ names, variables });
        else problem.watch(save.mutateAsync(variables));
      })}
    >
      <Stack gap="sm">
        <FormAlert message={problem.message} />
        {form.values.rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No variables yet. Add one for each setting the application reads from its environment.
          </Text>
        ) : null}
        {form.values.rows.map((_row, index) => (
          <Group key={form.key(`rows.${index}`)} gap="xs" align="flex-start" wrap="nowrap" role="group" aria-label={`Variable ${index + 1}`}>
            <TextInput label="Name" placeholder="DATABASE_URL" w={{ base: '40%', xs: 220 }} miw={0} {...form.getInputProps(`rows.${index}.name`)} />
            <TextInput label="Value" style={{ flex: '1 1 8rem', minWidth: 0 }} {...form.getInputProps(`rows.${index}.value`)} />
            <ActionIcon variant="subtle" color="red" mt={25} size="lg" onClick={() => form.removeListItem('rows', index)} aria-label={`Remove variable ${index + 1}`}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group justify="space-between">
          <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('rows', { name: '', value: '' })}>
            Add a variable
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            Save variables
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={dropping !== null}
        onClose={() => setDropping(null)}
        title={`Delete ${dropping?.names.length === 1 ? 'a variable' : `${dropping?.names.length ?? 0} variables`}?`}
        confirmLabel="Save and delete"
        onConfirm={async () => {
          if (dropping) problem.watch(save.mutateAsync(dropping.variables));
        }}
      >
        Saving deletes {dropping?.names.join(', ')} with {dropping?.names.length === 1 ? 'its value' : 'their values'}; running processes lose{' '}
        {dropping?.names.length === 1 ? 'it' : 'them'} at their next restart.
      </ConfirmDialog>
    </form>
  );
}

/** The environment variables (env.config): read, edit, save all at once. */
export function VariablesTab({ env }: { env: Environment }) {
  const variables = useQuery({
    queryKey: ['variables', env.id],
    queryFn: () => ok(api.GET('/api/v1/environments/{id}/variables', { params: { path: { id: env.id } } })),
  });
  return (
    <Paper withBorder p="md" radius="md">
      {queryFallback(variables) ?? (variables.data ? <VariablesForm env={env} initial={variables.data.variables as Record<string, string>} /> : null)}
    </Paper>
  );
}
