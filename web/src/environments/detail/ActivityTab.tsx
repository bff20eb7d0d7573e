import { Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { ActivityItem, Environment } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { EmptyHint } from '../../components/Feedback';
import { formatDateTime } from '../../components/format';
import { queryFallback } from '../../components/QueryState';

const outcomeColor: Record<ActivityItem['outcome'], string> = { ok: 'green', denied: 'red', failed: 'orange' };

/** Who did what on the environment and when, newest first; members by the alias only the owner and managers see. */
export function ActivityTab({ env }: { env: Environment }) {
  const activity = useInfiniteQuery({
    queryKey: ['activity', env.id],
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/environments/{id}/activity', { params: { path: { id: env.id }, query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = activity.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      {queryFallback(activity, 'Loading activity…') ??
        (items.length === 0 ? (
          <EmptyHint title="No activity yet">Changes and actions on this environment, and refused attempts, appear here.</EmptyHint>
        ) : (
          <Stack gap="sm">
            <DataTable minWidth={520} label="Activity, newest first" striped columns={['When', 'Who', 'What', 'Outcome']}>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{formatDateTime(item.at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={item.actor.kind === 'you' ? 600 : undefined}>
                      {item.actor.label}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {item.action}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={outcomeColor[item.outcome]}>
                      {item.outcome}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
            {activity.hasNextPage ? (
              <Button variant="default" size="xs" onClick={() => void activity.fetchNextPage()} loading={activity.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
                Show older
              </Button>
            ) : null}
          </Stack>
        ))}
    </Paper>
  );
}
