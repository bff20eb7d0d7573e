import { Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { NodeSpec } from '../api/types';
import { FormDialog } from '../components/FormDialog';
import { environmentNameError, groupTree } from './model';
import { NodesEditor, nodesBody, validateNodes } from './NodesEditor';
import { environmentsKey, useGroups, useOwners } from './queries';

const ROOT = '';

interface Values {
  ownerId: string;
  groupId: string;
  name: string;
  displayName: string;
  nodes: NodeSpec[];
}

interface CreateEnvironmentDialogProps {
  opened: boolean;
  onClose: () => void;
  defaultOwnerId?: string | undefined;
  defaultGroupId?: string | undefined;
}

/**
 * Creates an environment: in my account or in an owner's whose share lets me (the API decides, and says so next
 * to the owner when it refuses), at the top level or in a group where my permissions include env.create.
 */
export function CreateEnvironmentDialog({ opened, onClose, defaultOwnerId, defaultGroupId }: CreateEnvironmentDialogProps) {
  // Only accounts where a share lets me create: the API says which (canCreateEnvironments).
  const owners = useOwners().owners.filter((candidate) => candidate.canCreate);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const firstOwner = owners.find((owner) => owner.id === defaultOwnerId) ?? owners[0];
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      ownerId: firstOwner?.id ?? '',
      groupId: defaultGroupId ?? ROOT,
      name: '',
      displayName: '',
      nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 4 }],
    },
    validate: (values) => ({
      ownerId: values.ownerId ? null : 'Choose whose account the environment belongs to',
      name: environmentNameError(values.name),
      displayName: values.displayName.length > 100 ? 'Use at most 100 characters' : null,
      ...validateNodes(values.nodes),
    }),
  });
  // A refusal of the destination (collaborator_cannot_own, missing env.create) belongs next to the owner.
  const problem = useFormProblem(form, { codes: { collaborator_cannot_own: 'ownerId', missing_permission: 'ownerId', conflict: 'name' } });
  const owner = owners.find((candidate) => candidate.id === form.values.ownerId);
  const groups = useGroups(owner && !owner.mine ? owner.id : undefined, Boolean(owner));
  const destinations = groupTree(groups.data ?? []).flat.filter((node) => node.group.permissions.includes('env.create'));

  const create = useMutation({
    mutationFn: (values: Values) =>
      ok(
        api.POST('/api/v1/environments', {
          body: {
            name: values.name,
            ...(values.displayName.trim() ? { displayName: values.displayName.trim() } : {}),
            ...(owner && !owner.mine ? { ownerId: owner.id } : {}),
            ...(values.groupId ? { groupId: values.groupId } : {}),
            nodes: nodesBody(values.nodes),
          },
        }),
      ),
    onSuccess: (env) => {
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
      form.reset();
      onClose();
      void navigate(`/environments/${env.id}`);
    },
  });

  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title="New environment"
      size="lg"
      error={problem.message}
      onSubmit={form.onSubmit((values) => problem.watch(create.mutateAsync(values)))}
      submitLabel="Create environment"
      submitting={create.isPending}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select
          label="Environment owner"
          description="Who owns it and pays for it"
          data={owners.map((candidate) => ({
            value: candidate.id,
            label: candidate.mine ? `Me (${candidate.email})` : `${candidate.name} (${candidate.email})`,
          }))}
          allowDeselect={false}
          {...form.getInputProps('ownerId')}
          onChange={(value) => {
            form.setFieldValue('ownerId', value ?? '');
            form.setFieldValue('groupId', ROOT);
          }}
        />
        <Select
          label="Group"
          description="Where it is filed"
          data={[{ value: ROOT, label: 'No group (top level)' }, ...destinations.map((node) => ({ value: node.group.id, label: node.path }))]}
          allowDeselect={false}
          {...form.getInputProps('groupId')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label="Name"
          description={form.values.name ? `Its domain starts with ${form.values.name}.` : 'A DNS label, unique on the platform'}
          placeholder="shop-staging"
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <TextInput label="Display name (optional)" placeholder="Shop (staging)" {...form.getInputProps('displayName')} />
      </SimpleGrid>
      <NodesEditor form={form} />
      <Text size="xs" c="dimmed">
        The environment starts as soon as it is created; running environments are billed per hour and cloudlet to their owner.
      </Text>
    </FormDialog>
  );
}
