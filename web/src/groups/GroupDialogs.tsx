import { Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, applied, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Group } from '../api/types';
import { AccessChanges, previewHolds, useAccessPreview } from '../components/AccessChanges';
import { groupChange } from '../components/arrangements';
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
  /** Whether the top level is a place I may arrange (env.groups at the account's level). */
  canArrangeTop: boolean;
  onSaved?: (group: Group) => void;
}

/** Creates a group, or renames and moves one (`group` given): name unique among siblings, no cycles. */
export function GroupDialog({ opened, onClose, groups, group, ownerId, defaultParentId, canArrangeTop, onSaved }: GroupDialogProps) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: group?.name ?? '', parentId: (group ? group.parentId : defaultParentId) ?? TOP },
    validate: { name: (value) => (value.trim().length >= 1 && value.length <= 100 ? null : 'Name the group (up to 100 characters)') },
  });
  const problem = useFormProblem(form, { codes: { conflict: 'name' } });
  // A group cannot move under itself or its own subgroups, and only where the API says I may arrange (env.groups).
  const excluded = group ? descendantIds(groups, group.id) : new Set<string>();
  const parents = groupTree(groups).flat.filter((node) => !excluded.has(node.group.id) && node.group.permissions.includes('env.groups'));
  const currentParent = group?.parentId ?? TOP;
  const places = [
    ...(canArrangeTop || (group && currentParent === TOP) ? [{ value: TOP, label: 'Top level' }] : []),
    ...parents.map((node) => ({ value: node.group.id, label: node.path })),
    // Where the group is now stays shown, even where I could not put it.
    ...(group?.parentId && !parents.some((node) => node.group.id === group.parentId)
      ? [{ value: group.parentId, label: groupTree(groups).flat.find((node) => node.group.id === group.parentId)?.path ?? 'Its current parent' }]
      : []),
  ];
  // A move can change who reaches the group's environments: it is previewed, and held while the server refuses it.
  const moving = group !== undefined && form.values.parentId !== currentParent;
  const move = group ? groupChange(group.id, { name: form.values.name.trim() || group.name, parentId: form.values.parentId || null }) : undefined;
  const preview = useAccessPreview(move, opened && moving);
  const save = useMutation({
    mutationFn: ({ name, parentId }: { name: string; parentId: string }) =>
      group
        ? groupChange(group.id, { name, parentId: parentId || null })
            .run(false)
            .then((answer) => applied(answer as Group))
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
      onSubmit={form.onSubmit((values) => {
        if (moving && previewHolds(preview)) return;
        void problem.watch(save.mutateAsync({ name: values.name.trim(), parentId: values.parentId }));
      })}
      submitLabel={group ? 'Save' : 'Create group'}
      submitting={save.isPending}
      submitDisabled={moving && previewHolds(preview)}
    >
      <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
      <Select label="Inside" data={places} allowDeselect={false} {...form.getInputProps('parentId')} />
      {moving ? <AccessChanges preview={preview} /> : null}
    </FormDialog>
  );
}
