import { Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, applied, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Group } from '../api/types';
import { FormDialog } from '../components/FormDialog';
import { descendantIds, groupTree } from '../environments/model';
import { environmentsKey, groupsKey } from '../environments/queries';

const TOP = '';

interface GroupDialogProps {
  opened: boolean;
  onClose: () => void;
  groups: readonly Group[];
  group?: Group;
  ownerId?: string | undefined;
  defaultParentId?: string | null;
  onSaved?: (group: Group) => void;
}

/** Creates a group, or renames and moves one (`group` given): name unique among siblings, no cycles. */
export function GroupDialog({ opened, onClose, groups, group, ownerId, defaultParentId, onSaved }: GroupDialogProps) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: group?.name ?? '', parentId: (group ? group.parentId : defaultParentId) ?? TOP },
    validate: { name: (value) => (value.trim().length >= 1 && value.length <= 100 ? null : 'Name the group (up to 100 characters)') },
  });
  const problem = useFormProblem(form, { codes: { conflict: 'name' } });
  // A group cannot move under itself or its own subgroups.
  const excluded = group ? descendantIds(groups, group.id) : new Set<string>();
  const parents = groupTree(groups).flat.filter((node) => !excluded.has(node.group.id));
  const save = useMutation({
    mutationFn: ({ name, parentId }: { name: string; parentId: string }) =>
      group
        ? ok(api.PATCH('/api/v1/groups/{id}', { params: { path: { id: group.id } }, body: { name, parentId: parentId || null } })).then(applied)
        : ok(api.POST('/api/v1/groups', { body: { name, ...(parentId ? { parentId } : {}), ...(ownerId ? { ownerId } : {}) } })),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: groupsKey });
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
      onSaved?.(saved);
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={group ? `Rename or move “${group.name}”` : 'New group'}
      error={problem.message}
      onSubmit={form.onSubmit((values) => problem.watch(save.mutateAsync({ name: values.name.trim(), parentId: values.parentId })))}
      submitLabel={group ? 'Save' : 'Create group'}
      submitting={save.isPending}
    >
      <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
      <Select
        label="Inside"
        data={[{ value: TOP, label: 'Top level' }, ...parents.map((node) => ({ value: node.group.id, label: node.path }))]}
        allowDeselect={false}
        {...form.getInputProps('parentId')}
      />
    </FormDialog>
  );
}
