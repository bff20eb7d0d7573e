import { Checkbox, Fieldset, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Role } from '../api/types';
import { Loading } from '../components/Feedback';
import { FormDialog } from '../components/FormDialog';
import { count } from './labels';
import { ownerQuery, rolesKey, usePermissionCatalog } from './queries';

interface Values {
  name: string;
  description: string;
  permissions: string[];
  receiveAlerts: boolean;
}

/** Creates a custom role, or edits one (`role` given): its name, description, permissions and the alerts flag. */
export function RoleDialog({ role, opened, onClose, ownerId }: { role?: Role; opened: boolean; onClose: () => void; ownerId?: string | undefined }) {
  const queryClient = useQueryClient();
  const catalog = usePermissionCatalog();
  const form = useForm<Values>({
    initialValues: {
      name: role?.name ?? '',
      description: role?.description ?? '',
      permissions: role?.permissions ?? ['env.view'],
      receiveAlerts: role?.receiveAlerts ?? false,
    },
    validate: {
      name: (value) => (value.trim().length >= 1 && value.length <= 100 ? null : 'Name the role (up to 100 characters)'),
      description: (value) => (value.length > 500 ? 'Use at most 500 characters' : null),
      permissions: (value) => (value.length ? null : 'Choose at least one permission'),
    },
  });
  const problem = useFormProblem(form, { codes: { conflict: 'name' } });
  const save = useMutation({
    mutationFn: (values: Values) => {
      const body = { ...values, name: values.name.trim(), description: values.description.trim() };
      return role
        ? ok(api.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id }, query: ownerQuery(ownerId) }, body }))
        : ok(api.POST('/api/v1/roles', { params: { query: ownerQuery(ownerId) }, body }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rolesKey });
      onClose();
    },
  });
  const descriptions = new Map((catalog.data?.items ?? []).map((item) => [item.id as string, item.description]));
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={role ? `Edit the role “${role.name}”` : 'New role'}
      size="xl"
      intro={
        role?.inUse ? (
          <Text size="sm">This role is in use by {count(role.usage.shares, 'share')}: changing it changes what those members can do, at once.</Text>
        ) : null
      }
      error={problem.message}
      onSubmit={form.onSubmit((values) => problem.watch(save.mutateAsync(values)))}
      submitLabel={role ? 'Save role' : 'Create role'}
      submitting={save.isPending}
    >
      <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
      <Textarea label="Description (optional)" autosize minRows={2} {...form.getInputProps('description')} />
      {catalog.isPending ? (
        <Loading label="Loading permissions…" />
      ) : (
        <Checkbox.Group label="Permissions" description="Any env.* permission also lets them see the environment" {...form.getInputProps('permissions')}>
          {/* Categories differ in length: each box keeps its own height instead of stretching to its neighbour's. */}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs" style={{ alignItems: 'start' }}>
            {(catalog.data?.categories ?? []).map((category) => (
              <Fieldset key={category.name} legend={category.name} variant="filled" p="sm">
                <Stack gap={8}>
                  {category.permissions.map((permission) => (
                    <Checkbox key={permission} value={permission} label={permission} description={descriptions.get(permission)} />
                  ))}
                </Stack>
              </Fieldset>
            ))}
          </SimpleGrid>
        </Checkbox.Group>
      )}
      <Switch
        label="Receive alerts"
        description="Members holding this role get the alerts of the environments it covers"
        {...form.getInputProps('receiveAlerts', { type: 'checkbox' })}
      />
    </FormDialog>
  );
}
