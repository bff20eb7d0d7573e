import { Checkbox, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, applied, ok } from '../api/client';
import { AccessChanges, previewHolds, useAccessPreview } from '../components/AccessChanges';
import { shareChange } from '../components/arrangements';
import { useFormProblem } from '../api/forms';
import type { Share, ShareBody, TeamShare } from '../api/types';
import { endOfLocalDay, toDateInput } from '../components/format';
import { FormDialog } from '../components/FormDialog';
import { environmentLabel, groupTree } from '../environments/model';
import { environmentsKey, useAccountEnvironments, useGroups } from '../environments/queries';
import { type ShareHolder, holderName, holderRef } from './holder';
import { resourceLabel } from './labels';
import { ownerQuery, rolesKey, teamsKey, usePermissionCatalog, useRoles } from './queries';

type ResourceType = 'account' | 'group' | 'environment';

interface Values {
  type: ResourceType;
  groupId: string;
  environmentId: string;
  roleIds: string[];
  expiresOn: string;
}

// The share level a resource type is (GET /permissions names each permission's `levels` by these words).
const levelOf: Record<ResourceType, 'account' | 'group' | 'direct'> = { account: 'account', group: 'group', environment: 'direct' };
const levelWords: Record<ResourceType, string> = { account: 'on all environments', group: 'on a group', environment: 'on one environment' };

const reach: Record<ResourceType, string> = {
  account: 'Every environment of the account, including ones created later.',
  group: 'The group’s environments and its subgroups’, including ones added later.',
  environment: 'One environment. A direct share overrides group and all-environments shares for it.',
};

interface ShareDialogProps {
  /** The member or the team shared with. */
  holder: ShareHolder;
  share?: Share | TeamShare;
  opened: boolean;
  onClose: () => void;
  /** `?ownerId=` for a manager; undefined for my own account. */
  ownerId?: string | undefined;
  /** The owner's account id, to list its environments. */
  accountId: string | undefined;
}

// Managers are named one by one: a team share cannot give collaboration.manage (400 team_share_cannot_manage).
const MANAGE = 'collaboration.manage';

/**
 * Adds a share to a member or a team (all environments, a group or an environment; one or more roles; an optional
 * expiry) or edits the roles and expiry of one (`share` given).
 */
export function ShareDialog({ holder, share, opened, onClose, ownerId, accountId }: ShareDialogProps) {
  const queryClient = useQueryClient();
  // Three choices do not fit side by side on a phone: they stack.
  const narrow = useMediaQuery('(max-width: 36em)');
  const roles = useRoles(ownerId);
  const catalog = usePermissionCatalog();
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
  // What grants nothing at the chosen level, per the catalog's `levels`: flagged next to each role.
  const level = levelOf[form.values.type];
  const grantsNothing = new Set((catalog.data?.items ?? []).filter((item) => !item.levels.includes(level)).map((item) => item.id as string));
  const ineffectiveOf = (permissions: readonly string[]) => permissions.filter((permission) => grantsNothing.has(permission));
  // Changing a share can move access (a narrower share ending lets a broader one show through): previewed first.
  const edited = share ? { roleIds: form.values.roleIds, expiresAt: form.values.expiresOn ? endOfLocalDay(form.values.expiresOn) : null } : undefined;
  const changed =
    share !== undefined &&
    edited !== undefined &&
    edited.roleIds.length > 0 &&
    ([...edited.roleIds].sort().join(',') !== share.roles.map((role) => role.id).sort().join(',') || form.values.expiresOn !== toDateInput(share.expiresAt));
  const ref = holderRef(holder);
  const team = holder.kind === 'team';
  const change = share && edited ? shareChange(ref, share.id, ownerId, edited) : undefined;
  const preview = useAccessPreview(change, opened && changed);
  const save = useMutation({
    mutationFn: (values: Values) => {
      const expiresAt = values.expiresOn ? endOfLocalDay(values.expiresOn) : null;
      if (share) {
        return shareChange(ref, share.id, ownerId, { roleIds: values.roleIds, expiresAt })
          .run(false)
          .then((answer) => applied(answer as Share | TeamShare));
      }
      const resource: ShareBody['resource'] =
        values.type === 'account' ? { type: 'account' } : values.type === 'group' ? { type: 'group', id: values.groupId } : { type: 'environment', id: values.environmentId };
      const body = { resource, roleIds: values.roleIds, ...(expiresAt ? { expiresAt } : {}) };
      return team
        ? ok(api.POST('/api/v1/collaboration/teams/{id}/shares', { params: { path: { id: ref.id } }, body }))
        : ok(api.POST('/api/v1/collaboration/members/{id}/shares', { params: { path: { id: ref.id }, query: ownerQuery(ownerId) }, body }));
    },
    // The shares table shows the saved share at once: no toast repeats it.
    onSuccess: () => {
      for (const key of [['shares'], rolesKey, teamsKey, ['explain'], environmentsKey]) void queryClient.invalidateQueries({ queryKey: key });
      onClose();
    },
  });
  // A resource shared already belongs next to the resource's field.
  const conflictField = (type: ResourceType) => (type === 'group' ? 'groupId' : type === 'environment' ? 'environmentId' : '');

  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={share ? `Edit the share of ${resourceLabel(share)}` : `Share with ${holderName(holder)}`}
      size="lg"
      error={problem.message}
      onSubmit={form.onSubmit((values) => {
        if (changed && previewHolds(preview)) return;
        problem.watch(save.mutateAsync(values), { codes: { conflict: conflictField(values.type), team_share_cannot_manage: 'roleIds' } });
      })}
      submitLabel={share ? 'Save share' : 'Share'}
      submitting={save.isPending}
      submitDisabled={changed && previewHolds(preview)}
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
          {(roles.data ?? []).map((role) => {
            const ineffective = ineffectiveOf(role.permissions);
            const manages = team && role.permissions.includes(MANAGE);
            return (
              <Checkbox
                key={role.id}
                value={role.id}
                disabled={manages && !form.values.roleIds.includes(role.id)}
                label={`${role.name}${role.system ? '' : ' (custom)'}`}
                description={
                  <>
                    {role.description || role.permissions.join(', ')}
                    {ineffective.length ? (
                      <Text span size="xs" c="red.9" display="block" data-testid="ineffective-permissions">
                        Grants nothing {levelWords[form.values.type]}: {ineffective.join(', ')}
                      </Text>
                    ) : null}
                    {manages ? (
                      <Text span size="xs" c="dimmed" display="block">
                        Not for a team: it gives {MANAGE}, and managers are named one by one
                      </Text>
                    ) : null}
                  </>
                }
              />
            );
          })}
        </Stack>
      </Checkbox.Group>
      <TextInput
        label="Expires on (optional)"
        description="After this day the share grants nothing; leave empty for no end"
        type="date"
        maw={260}
        {...form.getInputProps('expiresOn')}
      />
      {changed ? <AccessChanges preview={preview} /> : null}
    </FormDialog>
  );
}
