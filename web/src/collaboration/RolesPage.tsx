import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { DataTable } from '../components/DataTable';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { Role } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { LoadError, Loading } from '../components/Feedback';
import { IconPlus } from '../components/Icons';
import { Page } from '../components/Page';
import { OwnerScopeSelect, useOwnerScope } from './OwnerScope';
import { ownerQuery, rolesKey, useRoles } from './queries';
import { RoleDialog } from './RoleDialog';

function usage(role: Role): string {
  if (!role.inUse) return 'not in use';
  return `${role.usage.shares} share${role.usage.shares === 1 ? '' : 's'} · ${role.usage.members} member${role.usage.members === 1 ? '' : 's'}`;
}

function RoleRow({ role, ownerId }: { role: Role; ownerId?: string | undefined }) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/roles/{id}', { params: { path: { id: role.id }, query: ownerQuery(ownerId) } })),
    onSuccess: () => {
      notifications.show({ message: `Role “${role.name}” deleted.` });
      return queryClient.invalidateQueries({ queryKey: rolesKey });
    },
  });
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
        <Group gap={4}>
          {role.permissions.map((permission) => (
            <Badge key={permission} size="xs" variant="outline" style={{ textTransform: 'none' }}>
              {permission}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{role.receiveAlerts ? 'yes' : 'no'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{usage(role)}</Text>
      </Table.Td>
      <Table.Td>
        {role.system ? (
          <Text size="xs" c="dimmed">
            read-only
          </Text>
        ) : (
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
                title={`Delete the role “${role.name}”?`}
                confirmLabel="Delete role"
                onConfirm={() => remove.mutateAsync()}
                trigger={(open) => (
                  <Button size="xs" variant="subtle" color="red" onClick={open} aria-label={`Delete role ${role.name}`}>
                    Delete
                  </Button>
                )}
              >
                No share uses it, so nobody loses access. It cannot be restored.
              </ConfirmAction>
            )}
          </Group>
        )}
        {editing ? <RoleDialog role={role} opened={editing} onClose={edit.close} ownerId={ownerId} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

/** System roles (read-only) and the owner's custom roles, with what each allows and where it is used. */
export function RolesPage() {
  const scope = useOwnerScope('collaboration.manage');
  const roles = useRoles(scope.ownerId);
  const [creating, create] = useDisclosure(false);
  const items = roles.data ?? [];
  return (
    <Page
      title="Roles"
      description="A role is a named set of permissions. Shares give members roles on all environments, a group or an environment. The four system roles are fixed; define your own for anything else."
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
          New role
        </Button>
      }
    >
      <OwnerScopeSelect scope={scope} />
      {roles.isPending ? (
        <Loading label="Loading roles…" />
      ) : roles.isError ? (
        <LoadError error={roles.error} retry={() => void roles.refetch()} />
      ) : (
        <>
          <DataTable minWidth={820} label="Roles" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Permissions</Table.Th>
                  <Table.Th>Alerts</Table.Th>
                  <Table.Th>In use by</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((role) => (
                  <RoleRow key={role.id} role={role} ownerId={scope.ownerId} />
                ))}
              </Table.Tbody>
            </DataTable>
          {items.every((role) => role.system) ? (
            <Text size="sm" c="dimmed">
              No custom roles yet. Create one when the system roles give too much or too little, e.g. “Deployer” with env.view, env.deploy and env.logs.
            </Text>
          ) : null}
        </>
      )}
      {creating ? <RoleDialog opened={creating} onClose={create.close} ownerId={scope.ownerId} /> : null}
    </Page>
  );
}
