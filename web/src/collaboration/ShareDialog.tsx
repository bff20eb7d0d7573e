import { Button, Checkbox, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { showProblem } from '../api/forms';
import type { Member, Share, ShareBody } from '../api/types';
import { FormAlert } from '../components/Feedback';
import { endOfLocalDay, toDateInput } from '../components/format';
import { environmentLabel, groupTree } from '../environments/model';
import { environmentsKey, useEnvironments, useGroups } from '../environments/queries';
import { memberName, resourceLabel } from './MemberActions';
import { ownerQuery, rolesKey, useRoles } from './queries';

type ResourceType = 'account' | 'group' | 'environment';

interface Values {
  type: ResourceType;
  groupId: string;
  environmentId: string;
  roleIds: string[];
  expiresOn: string;
}

/**
 * Adds a share (all environments, a group or an environment; one or more roles; an optional expiry) or edits the
 * roles and expiry of one (`share` given).
 */
export function ShareDialog({
  member,
  share,
  opened,
  onClose,
  ownerId,
  accountOwnerId,
}: {
  member: Member;
  share?: Share;
  opened: boolean;
  onClose: () => void;
  /** `?ownerId=` for a manager; undefined for my own account. */
  ownerId?: string | undefined;
  /** The owner's account id, to list its environments. */
  accountOwnerId: string | undefined;
}) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const roles = useRoles(ownerId);
  const groups = useGroups(ownerId, !share);
  const environments = useEnvironments({ ownerId: accountOwnerId });
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
  const save = useMutation({
    mutationFn: (values: Values) => {
      const expiresAt = values.expiresOn ? endOfLocalDay(values.expiresOn) : null;
      if (share) {
        return ok(
          api.PATCH('/api/v1/collaboration/members/{id}/shares/{shareId}', {
            params: { path: { id: member.id, shareId: share.id }, query: ownerQuery(ownerId) },
            body: { roleIds: values.roleIds, expiresAt },
          }),
        );
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
  });

  const owned = (environments.data ?? []).filter((env) => (accountOwnerId ? env.owner.id === accountOwnerId : true));
  return (
    <Modal opened={opened} onClose={onClose} title={share ? `Edit the share of ${resourceLabel(share)}` : `Share with ${memberName(member)}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values, {
            onSuccess: (saved) => {
              notifications.show({ color: 'green', message: `${resourceLabel(saved)}: ${saved.roles.map((role) => role.name).join(', ')}.` });
              void queryClient.invalidateQueries({ queryKey: ['shares'] });
              void queryClient.invalidateQueries({ queryKey: rolesKey });
              void queryClient.invalidateQueries({ queryKey: ['explain'] });
              void queryClient.invalidateQueries({ queryKey: environmentsKey });
              onClose();
            },
            onError: (error) =>
              setFormError(
                showProblem(form, error, {
                  conflict: form.getValues().type === 'group' ? 'groupId' : form.getValues().type === 'environment' ? 'environmentId' : '',
                }),
              ),
          });
        })}
      >
        <Stack gap="md">
          <FormAlert message={formError} />
          {share ? null : (
            <>
              <div>
                <Text size="sm" fw={500} mb={4} id="share-what">
                  What to share
                </Text>
                <SegmentedControl
                  aria-labelledby="share-what"
                  data={[
                    { value: 'account', label: 'All environments' },
                    { value: 'group', label: 'A group' },
                    { value: 'environment', label: 'An environment' },
                  ]}
                  {...form.getInputProps('type')}
                />
                <Text size="xs" c="dimmed" mt={4}>
                  {form.values.type === 'account'
                    ? 'Every environment of the account, including ones created later.'
                    : form.values.type === 'group'
                      ? 'The group’s environments and its subgroups’, including ones added later.'
                      : 'One environment. A direct share overrides group and all-environments shares for it.'}
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
                  data={owned.map((env) => ({ value: env.id, label: environmentLabel(env) }))}
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
                <Checkbox
                  key={role.id}
                  value={role.id}
                  label={`${role.name}${role.system ? '' : ' (custom)'}`}
                  description={role.description || role.permissions.join(', ')}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <TextInput
            label="Expires on (optional)"
            description="After this day the share grants nothing; leave empty for no end"
            type="date"
            w={240}
            {...form.getInputProps('expiresOn')}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {share ? 'Save share' : 'Share'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
