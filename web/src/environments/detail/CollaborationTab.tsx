import { Anchor, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { DataTable } from '../../components/DataTable';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import type { Environment } from '../../api/types';
import { EmptyHint, LoadError, Loading } from '../../components/Feedback';
import { blockedLabel, levelLabel } from '../../collaboration/labels';

/** Who has access to this environment, with which roles and at which level: for its owner and the managers. */
export function CollaborationTab({ env }: { env: Environment }) {
  const access = useQuery({
    queryKey: ['environment-access', env.id],
    queryFn: () => ok(api.GET('/api/v1/environments/{id}/access', { params: { path: { id: env.id } } })),
  });
  const memberLink = (memberId: string) =>
    env.access === 'owner' ? `/settings/collaboration/members/${memberId}` : `/settings/collaboration/members/${memberId}?owner=${env.owner.id}`;
  return (
    <Paper withBorder p="md" radius="md">
      {access.isPending ? (
        <Loading />
      ) : access.isError ? (
        <LoadError error={access.error} retry={() => void access.refetch()} />
      ) : access.data.items.length === 0 ? (
        <EmptyHint title="Nobody else has access">
          Invite people in Collaboration, then share this environment, one of its groups or all environments with them.
        </EmptyHint>
      ) : (
        <DataTable minWidth={640} label="Who has access" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th>Level</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Can</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {access.data.items.map((item) => (
                <Table.Tr key={item.memberId}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Anchor component={Link} to={memberLink(item.memberId)} size="sm" fw={500}>
                        {item.displayName || item.user.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {item.user.email}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {item.blockedBy ? (
                      <Badge color="gray" variant="light">
                        {blockedLabel[item.blockedBy]}
                      </Badge>
                    ) : (
                      <Badge variant="light">{item.level ? levelLabel[item.level] : '—'}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {item.roles.length ? item.roles.map((role) => <Badge key={role.id} variant="outline" size="sm" style={{ textTransform: 'none' }}>{role.name}</Badge>) : '—'}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{item.permissions.length ? item.permissions.join(', ') : 'nothing'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
      )}
    </Paper>
  );
}
