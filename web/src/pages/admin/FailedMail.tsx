import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { OutboxMail } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { EmptyHint } from '../../components/Feedback';
import { formatDateTime } from '../../components/format';
import { queryFallback } from '../../components/QueryState';

const failedKey = ['admin-mail', 'failed'] as const;

function RetryButton({ mail }: { mail: OutboxMail }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/admin/mail/{id}/retry', { params: { path: { id: mail.id } } })),
    onSuccess: (queued) => {
      notifications.show({ color: 'green', message: `The mail to ${queued.to} is queued again.` });
      return queryClient.invalidateQueries({ queryKey: failedKey });
    },
    onError: (error) => notifications.show({ color: 'red', message: error.message }),
  });
  return (
    <Button size="xs" variant="default" onClick={() => retry.mutate()} loading={retry.isPending} aria-label={`Retry the mail to ${mail.to}`}>
      Retry
    </Button>
  );
}

/**
 * Mail the outbox gave up on after its retry window (days of a failing SMTP server): the admin sends it again once
 * the cause is fixed. Single-use links stay blanked here; the recipient's copy carries them.
 */
export function FailedMail() {
  const mail = useInfiniteQuery({
    queryKey: failedKey,
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/admin/mail', { params: { query: { status: 'failed', limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = mail.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="md">
        <Title order={2} size="h4">
          Mail that could not be delivered
        </Title>
        {queryFallback(mail, 'Reading the outbox…') ??
          (items.length === 0 ? (
            <EmptyHint title="No failed mail">Mail the outbox could not deliver within its retry window appears here, to be sent again.</EmptyHint>
          ) : (
            <Stack gap="sm">
              <DataTable
                minWidth={760}
                label="Failed mail"
                striped
                columns={['To', 'Subject', 'Attempts', 'Last error', 'Queued', { label: 'Actions', hideLabel: true, actions: true }]}
              >
                {items.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Td>{row.to}</Table.Td>
                    <Table.Td>{row.subject}</Table.Td>
                    <Table.Td>{row.attempts}</Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {row.lastError ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatDateTime(row.createdAt)}</Table.Td>
                    <Table.Td>
                      <RetryButton mail={row} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </DataTable>
              {mail.hasNextPage ? (
                <Button variant="default" size="xs" onClick={() => void mail.fetchNextPage()} loading={mail.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
                  Show older
                </Button>
              ) : null}
            </Stack>
          ))}
      </Stack>
    </Paper>
  );
}
