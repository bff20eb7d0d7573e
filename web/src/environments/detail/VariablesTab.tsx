import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { showProblem } from '../../api/forms';
import type { Environment } from '../../api/types';
import { FormAlert, LoadError, Loading } from '../../components/Feedback';
import { IconPlus, IconTrash } from '../../components/Icons';

interface Row {
  name: string;
  value: string;
}

function VariablesForm({ env, initial }: { env: Environment; initial: Record<string, string> }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
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
  const save = useMutation({
    mutationFn: (variables: Record<string, string>) =>
      ok(api.PUT('/api/v1/environments/{id}/variables', { params: { path: { id: env.id } }, body: { variables } })),
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ rows }) => {
        setFormError(null);
        save.mutate(Object.fromEntries(rows.map((row) => [row.name, row.value])), {
          onSuccess: (answer) => {
            queryClient.setQueryData(['variables', env.id], answer);
            notifications.show({ color: 'green', message: 'Variables saved. Running processes see them after a restart.' });
          },
          onError: (error) => {
            // The API names variables by key (variables.NAME); show them on the matching row.
            const message = showProblem(form, error);
            setFormError(message);
          },
        });
      })}
    >
      <Stack gap="sm">
        <FormAlert message={formError} />
        {form.values.rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No variables yet. Add one for each setting the application reads from its environment.
          </Text>
        ) : null}
        {form.values.rows.map((_row, index) => (
          <Group key={form.key(`rows.${index}`)} gap="xs" align="flex-start" role="group" aria-label={`Variable ${index + 1}`}>
            <TextInput label="Name" placeholder="DATABASE_URL" w={220} {...form.getInputProps(`rows.${index}.name`)} />
            <TextInput label="Value" style={{ flex: '1 1 14rem' }} {...form.getInputProps(`rows.${index}.value`)} />
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
      {variables.isPending ? (
        <Loading />
      ) : variables.isError ? (
        <LoadError error={variables.error} retry={() => void variables.refetch()} />
      ) : (
        <VariablesForm env={env} initial={variables.data.variables as Record<string, string>} />
      )}
    </Paper>
  );
}
