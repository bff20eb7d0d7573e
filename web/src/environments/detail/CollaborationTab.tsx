import { Anchor, Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import type { Environment } from '../../api/types';
import { blockedLabel, levelLabel } from '../../collaboration/labels';
import { RoleBadges } from '../../collaboration/RoleBadges';
import { DataTable } from '../../components/DataTable';
import { EmptyHint } from '../../components/Feedback';
import { PersonLabel } from '../../components/PersonLabel';
import { queryFallback } from '../../components/QueryState';

/** Who has access to this environment, with which roles and at which level, a page of members at a time: for its owner and the managers. */
export function CollaborationTab({ env }: { env: Environment }) {
  const access = useInfiniteQuery({
    queryKey: ['environment-access', env.id],
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/environments/{id}/access', { params: { path: { id: env.id }, query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const owned = env.access === 'owner';
  const memberLink = (memberId: string) => `/settings/collaboration/members/${memberId}${owned ? '' : `?owner=${env.owner.id}`}`;
  const items = access.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      {queryFallback(access) ??
        (items.length === 0 ? (
          <EmptyHint title="Nobody else has access">
            Invite people in{' '}
            <Anchor component={Link} to={`/settings/collaboration${owned ? '' : `?owner=${env.owner.id}`}`} inherit>
              Collaboration
            </Anchor>
            , then share this environment, one of its groups or all environments with them.
          </EmptyHint>
        ) : (
          <Stack gap="sm">
            <DataTable minWidth={640} label="Who has access" verticalSpacing="sm" columns={['Member', 'Level', 'Roles', 'Can']}>
              {items.map((item) => (
                <Table.Tr key={item.memberId}>
                  <Table.Td>
                    <PersonLabel name={item.displayName || item.user.name} email={item.user.email} to={memberLink(item.memberId)} />
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
                    <RoleBadges roles={item.roles} variant="outline" size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{item.permissions.length ? item.permissions.join(', ') : 'nothing'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
            {access.hasNextPage ? (
              <Button variant="default" size="xs" onClick={() => void access.fetchNextPage()} loading={access.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
                Show more members
              </Button>
            ) : null}
          </Stack>
        ))}
    </Paper>
  );
}
