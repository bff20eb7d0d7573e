import { Badge, Button, Code, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import type { WebhookDelivery, WebhookEndpoint } from '../api/types';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { queryFallback } from '../components/QueryState';
import { deliveriesKey } from './keys';

const statusColor: Record<WebhookDelivery['status'], string> = { pending: 'yellow', delivered: 'green', failed: 'red' };

function DeliveryRow({ endpoint, delivery }: { endpoint: WebhookEndpoint; delivery: WebhookDelivery }) {
  const queryClient = useQueryClient();
  const redeliver = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: endpoint.id, deliveryId: delivery.id } } })),
    onSuccess: () => {
      notifications.show({ message: `Delivery of ${delivery.type} queued again.` });
      return queryClient.invalidateQueries({ queryKey: deliveriesKey(endpoint.id) });
    },
    onError: (error) => notifications.show({ color: 'red', message: error instanceof Error ? error.message : 'Could not redeliver' }),
  });
  return (
    <Table.Tr>
      <Table.Td>{formatDateTime(delivery.at)}</Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {delivery.type}
        </Text>
      </Table.Td>
      <Table.Td>{delivery.attempt}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={statusColor[delivery.status]}>
          {delivery.status}
        </Badge>
      </Table.Td>
      <Table.Td>{delivery.responseCode ?? '—'}</Table.Td>
      <Table.Td>{delivery.durationMs === null ? '—' : `${delivery.durationMs} ms`}</Table.Td>
      <Table.Td maw={260}>
        <Tooltip label={delivery.responseExcerpt ?? delivery.error ?? ''} disabled={!delivery.responseExcerpt && !delivery.error} multiline w={320}>
          <Code style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{delivery.responseExcerpt ?? delivery.error ?? ''}</Code>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Button
          size="xs"
          variant="light"
          disabled={delivery.status === 'pending' || !endpoint.enabled}
          loading={redeliver.isPending}
          onClick={() => redeliver.mutate()}
          aria-label={`Redeliver ${delivery.type} (${delivery.eventId})`}
        >
          Redeliver
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** One endpoint's deliveries, newest first: event, attempts, status code, duration, response excerpt, redeliver. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const deliveries = useInfiniteQuery({
    queryKey: deliveriesKey(endpoint.id),
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 3000,
  });
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    queryFallback(deliveries, 'Loading deliveries…') ??
    (items.length === 0 ? (
      <EmptyHint title="No deliveries yet">Each event this endpoint subscribes to appears here, with every attempt's outcome.</EmptyHint>
    ) : (
      <Stack gap="sm">
        <DataTable
          minWidth={820}
          label={`Deliveries to ${endpoint.url}`}
          striped
          columns={['Last attempt', 'Event', 'Attempts', 'Status', 'Code', 'Duration', 'Response', { label: 'Actions', hideLabel: true, actions: true }]}
        >
          {items.map((delivery) => (
            <DeliveryRow key={delivery.id} endpoint={endpoint} delivery={delivery} />
          ))}
        </DataTable>
        {deliveries.hasNextPage ? (
          <Button variant="default" size="xs" onClick={() => void deliveries.fetchNextPage()} style={{ alignSelf: 'flex-start' }}>
            Show older
          </Button>
        ) : null}
      </Stack>
    ))
  );
}
