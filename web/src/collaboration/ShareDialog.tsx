import { Checkbox, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, applied, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Member, Share, ShareBody } from '../api/types';
import { endOfLocalDay, toDateInput } from '../components/format';
import { FormDialog } from '../components/FormDialog';
import { environmentLabel, groupTree } from '../environments/model';
import { environmentsKey, useAccountEnvironments, useGroups } from '../environments/queries';
import { memberName, resourceLabel } from './labels';
import { ownerQuery, rolesKey, useRoles } from './queries';

type ResourceType = 'account' | 'group' | 'environment';

interface Values {
  type: ResourceType;
  groupId: string;
  environmentId: string;
  roleIds: string[];
  expiresOn: string;
}

const reach: Record<ResourceType, string> = {
  account: 'Every environment of the account, including ones created later.',
  group: 'The group’s environments and its subgroups’, including ones added later.',
  environment: 'One environment. A direct share overrides group and all-environments shares for it.',
};

interface ShareDialogProps {
  member: Member;
  share?: Share;
  opened: boolean;
  onClose: () => void;
  /** `?ownerId=` for a manager; undefined for my own account. */
  ownerId?: string | undefined;
  /** The owner's account id, to list its environments. */
  accountId: string | undefined;
}

/**
 * Adds a share (all environments, a group or an environment; one or more roles; an optional expiry) or edits the
 * roles and expiry of one (`share` given).
 */
export function ShareDialog({ member, share, opened, onClose, ownerId, accountId }: ShareDialogProps) {
  const queryClient = useQueryClient();
  // Three choices do not fit side by side on a phone: they stack.
  const narrow = useMediaQuery('(max-width: 36em)');
  const roles = useRoles(ownerId);
  const groups = useGroups(ownerId, !share);
  const environments = useAccountEnvironments(accountId);
  const form = useForm<Values>({
    initialValues: {
      type: share?.resource.type ?? 'account',
      groupId: share?.resource.type === 'group' ? (share.resource.id ?? '') : '',
      environmentId: share?.resource.type === 'environment' ? (share.resource.id ?? '') : '',
      roleIds: share?.roles.map((role) => role.id) ?? [],
      expiresOn: toDateInput(share?.expiresAt),
    },
    validate: {
      groupId: (value, values) => (values.type === 'group' && !value ? 'Choose the group to share' : null),
      environmentId: (value, values) => (values.type === 'environment' && !value ? 'Choose the environment to share' : null),
      roleIds: (value) => (value.length ? null : 'Choose at least one role'),
      expiresOn: (value) => (value && !share && new Date(endOfLocalDay(value)) <= new Date() ? 'Pick a day in the future' : null),
    },
  });
  const problem = useFormProblem(form);
  const save = useMutation({
    mutationFn: (values: Values) => {
      const expiresAt = values.expiresOn ? endOfLocalDay(values.expiresOn) : null;
      if (share) {
        return ok(
          api.PATCH('/api/v1/collaboration/members/{id}/shares/{shareId}', {
            params: { path: { id: member.id, shareId: share.id }, query: ownerQuery(ownerId) },
            body: { roleIds: values.roleIds, expiresAt },
          }),
        ).then(applied);
      }
      const resource: ShareBody['resource'] =
        values.type === 'account' ? { type: 'account' } : values.type === 'group' ? { type: 'group', id: values.groupId } : { type: 'environment', id: values.environmentId };
      return ok(
        api.POST('/api/v1/collaboration/members/{id}/shares', {
          params: { path: { id: member.id }, query: ownerQuery(ownerId) },
          body: { resource, roleIds: values.roleIds, ...(expiresAt ? { expiresAt } : {}) },
        }),
      );
    },
    onSuccess: (saved) => {
      notifications.show({ color: 'green', message: `${resourceLabel(saved)}: ${saved.roles.map((role) => role.name).join(', ')}.` });
      for (const key of [['shares'], rolesKey, ['explain'], environmentsKey]) void queryClient.invalidateQueries({ queryKey: key });
      onClose();
    },
  });
  // A resource shared already belongs next to the resource's field.
  const conflictField = (type: ResourceType) => (type === 'group' ? 'groupId' : type === 'environment' ? 'environmentId' : '');

  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={share ? `Edit the share of ${resourceLabel(share)}` : `Share with ${memberName(member)}`}
      size="lg"
      error={problem.message}
      onSubmit={form.onSubmit((values) => problem.watch(save.mutateAsync(values), { codes: { conflict: conflictField(values.type) } }))}
      submitLabel={share ? 'Save share' : 'Share'}
      submitting={save.isPending}
    >
      {share ? null : (
        <>
          <div>
            <Text size="sm" fw={500} mb={4} id="share-what">
              What to share
            </Text>
            <SegmentedControl
              aria-labelledby="share-what"
              orientation={narrow ? 'vertical' : 'horizontal'}
              fullWidth={narrow}
              data={[
                { value: 'account', label: 'All environments' },
                { value: 'group', label: 'A group' },
                { value: 'environment', label: 'An environment' },
              ]}
              {...form.getInputProps('type')}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {reach[form.values.type]}
            </Text>
          </div>
          {form.values.type === 'group' ? (
            <Select
              label="Group"
              placeholder="Choose a group"
              data={groupTree(groups.data ?? []).flat.map((node) => ({ value: node.group.id, label: node.path }))}
              searchable
              nothingFoundMessage="No groups: create them in Groups"
              {...form.getInputProps('groupId')}
            />
          ) : null}
          {form.values.type === 'environment' ? (
            <Select
              label="Environment"
              placeholder="Choose an environment"
              data={environments.map((env) => ({ value: env.id, label: environmentLabel(env) }))}
              searchable
              nothingFoundMessage="No environments yet"
              {...form.getInputProps('environmentId')}
            />
          ) : null}
        </>
      )}
      <Checkbox.Group label="Roles" description="The share grants every permission of these roles" {...form.getInputProps('roleIds')}>
        <Stack gap={6} mt={6}>
          {(roles.data ?? []).map((role) => (
            <Checkbox key={role.id} value={role.id} label={`${role.name}${role.system ? '' : ' (custom)'}`} description={role.description || role.permissions.join(', ')} />
          ))}
        </Stack>
      </Checkbox.Group>
      <TextInput
        label="Expires on (optional)"
        description="After this day the share grants nothing; leave empty for no end"
        type="date"
        maw={260}
        {...form.getInputProps('expiresOn')}
      />
    </FormDialog>
  );
}
