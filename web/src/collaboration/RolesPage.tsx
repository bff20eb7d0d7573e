import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { Role } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { EmptyHint } from '../components/Feedback';
import { SettingsNav } from '../layout/SettingsNav';
import { DataTable } from '../components/DataTable';
import { IconPlus } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { count } from './labels';
import { OwnerScopeSelect, useOwnerScope } from './OwnerScope';
import { ownerQuery, rolesKey, useRoles } from './queries';
import { PermissionBadges } from './RoleBadges';
import { RoleDialog } from './RoleDialog';

function usage(role: Role): string {
  return role.inUse ? `${count(role.usage.shares, 'share')} · ${count(role.usage.members, 'member')}` : 'not in use';
}

/** Edit and delete for a custom role; deleting is refused (and says why) while shares use it. */
function RoleActions({ role, ownerId }: { role: Role; ownerId?: string | undefined }) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/roles/{id}', { params: { path: { id: role.id }, query: ownerQuery(ownerId) } })),
    onSuccess: () => {
      return queryClient.invalidateQueries({ queryKey: rolesKey });
    },
  });
  return (
    <Group gap={6} wrap="nowrap">
      <Button size="xs" variant="default" onClick={edit.open} aria-label={`Edit role ${role.name}`}>
        Edit
      </Button>
      {role.inUse ? (
        <Tooltip label={`In use by ${usage(role)}: remove or change those shares first`}>
          <Button size="xs" variant="subtle" color="red" data-disabled aria-disabled onClick={(event) => event.preventDefault()} aria-label={`Delete role ${role.name} (in use)`}>
            Delete
          </Button>
        </Tooltip>
      ) : (
        <ConfirmAction
          label="Delete"
          aria-label={`Delete role ${role.name}`}
          title={`Delete the role “${role.name}”?`}
          confirmLabel="Delete role"
          onConfirm={() => remove.mutateAsync()}
        >
          No share uses it, so nobody loses access. It cannot be restored.
        </ConfirmAction>
      )}
      {editing ? <RoleDialog role={role} opened={editing} onClose={edit.close} ownerId={ownerId} /> : null}
    </Group>
  );
}

function RoleRow({ role, ownerId, owner }: { role: Role; ownerId?: string | undefined; owner: boolean }) {
  return (
    <Table.Tr data-testid="role-row" data-role={role.name}>
      <Table.Td>
        <Stack gap={2}>
          <Group gap={6}>
            <Text fw={600} size="sm">
              {role.name}
            </Text>
            {role.system ? (
              <Badge size="xs" color="gray" variant="light">
                system
              </Badge>
            ) : null}
          </Group>
          {role.description ? (
            <Text size="xs" c="dimmed">
              {role.description}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <PermissionBadges permissions={role.permissions} />
      </Table.Td>
      <Table.Td>{role.receiveAlerts ? 'yes' : 'no'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{usage(role)}</Table.Td>
      <Table.Td>
        {role.system || !owner ? (
          <Text size="xs" c="dimmed">
            {role.system ? 'read-only' : 'only the owner edits roles'}
          </Text>
        ) : (
          <RoleActions role={role} ownerId={ownerId} />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** System roles (read-only) and the owner's custom roles, with what each allows and where it is used. */
export function RolesPage() {
  const scope = useOwnerScope('collaboration.manage');
  const roles = useRoles(scope.ownerId, scope.ready && scope.accountId !== undefined);
  const [creating, create] = useDisclosure(false);
  const items = roles.data ?? [];
  // Managers read the owner's roles; only the owner creates, edits and deletes them.
  const owner = scope.accountId !== undefined && scope.ownerId === undefined;
  return (
    <Page
      title="Roles"
      parent={{ to: '/settings/account', label: 'Account settings' }}
      description="A role is a named set of permissions. Shares give members roles on all environments, a group or an environment. The four system roles are fixed; define your own for anything else."
      actions={
        owner ? (
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            New role
          </Button>
        ) : null
      }
    >
      <SettingsNav />
      <OwnerScopeSelect scope={scope} />
      {scope.accountId === undefined ? (
        <EmptyHint title="No roles to show">Roles belong to an account you own or manage members of; you manage none.</EmptyHint>
      ) : (queryFallback(roles, 'Loading roles…') ?? (
        <>
          <DataTable minWidth={820} label="Roles" verticalSpacing="sm" columns={['Role', 'Permissions', 'Alerts', 'In use by', { label: 'Actions', actions: true }]}>
            {items.map((role) => (
              <RoleRow key={role.id} role={role} ownerId={scope.ownerId} owner={owner} />
            ))}
          </DataTable>
          {items.every((role) => role.system) ? (
            <Text size="sm" c="dimmed">
              No custom roles yet. Create one when the system roles give too much or too little, e.g. “Deployer” with env.view, env.deploy and env.logs.
            </Text>
          ) : null}
        </>
      ))}
      {creating ? <RoleDialog opened={creating} onClose={create.close} ownerId={scope.ownerId} /> : null}
    </Page>
  );
}
