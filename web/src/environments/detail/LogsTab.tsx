import { Button, Group, Paper, ScrollArea, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Environment } from '../../api/types';
import { EmptyHint } from '../../components/Feedback';
import { queryFallback } from '../../components/QueryState';

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** The environment's log lines, newest first, optionally of one source, following along when asked to. */
export function LogsTab({ env }: { env: Environment }) {
  const [source, setSource] = useState('');
  const [follow, setFollow] = useState(true);
  const [debounced] = useDebouncedValue(source.trim(), 300);
  const logs = useInfiniteQuery({
    queryKey: ['logs', env.id, debounced],
    queryFn: ({ pageParam }) =>
      ok(api.GET('/api/v1/environments/{id}/logs', { params: { path: { id: env.id }, query: { source: debounced || undefined, limit: 200, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: follow ? 3000 : false,
    placeholderData: keepPreviousData,
  });
  const lines = logs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <TextInput label="Source" placeholder="all sources, or e.g. app-1" value={source} onChange={(event) => setSource(event.currentTarget.value)} w={{ base: '100%', xs: 220 }} size="xs" />
          <Switch label="Follow new lines" checked={follow} onChange={(event) => setFollow(event.currentTarget.checked)} mb={4} />
        </Group>
        {queryFallback(logs, 'Loading logs…') ??
          (lines.length === 0 ? (
          <EmptyHint title="No log lines">Lines appear here as the environment's nodes start, deploy and run commands.</EmptyHint>
        ) : (
          <ScrollArea.Autosize mah={520} type="auto" offsetScrollbars>
            <Stack gap={0} component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label="Log lines, newest first" data-testid="log-lines">
              {lines.map((line) => (
                <Text key={line.id} component="li" size="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} py={2}>
                  <Text span c="dimmed" size="xs" ff="monospace">
                    {time.format(new Date(line.at))} [{line.source}]
                  </Text>{' '}
                  {line.line}
                </Text>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        ))}
        {logs.hasNextPage ? (
          <Button size="xs" variant="default" onClick={() => void logs.fetchNextPage()} loading={logs.isFetchingNextPage} w="fit-content">
            Older lines
          </Button>
        ) : null}
      </Stack>
    </Paper>
  );
}
