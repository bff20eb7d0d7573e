import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { DataTable } from '../components/DataTable';
import { Alert, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, isApiError, ok } from '../api/client';
import type { Usage } from '../api/types';
import { OwnerScopeSelect, useOwnerScope } from '../collaboration/OwnerScope';
import { EmptyHint, LoadError, Loading } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconReceipt } from '../components/Icons';
import { Page } from '../components/Page';

type GroupBy = 'environment' | 'creator';
const PERIODS = { '7': 7, '30': 30, '90': 90 } as const;
type Period = keyof typeof PERIODS;

type UsageItem = Usage['items'][number];

function rowLabel(item: UsageItem): string {
  if ('environment' in item) return item.environment.displayName || item.environment.name;
  return item.creator?.name ?? 'unknown';
}

const money = (value: string) => Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });

function UsageTable({ usage }: { usage: Usage }) {
  return (
    <DataTable minWidth={560} label={`Usage by ${usage.groupBy} `} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{usage.groupBy === 'environment' ? 'Environment' : 'Created by'}</Table.Th>
            {usage.groupBy === 'environment' ? <Table.Th>Created by</Table.Th> : <Table.Th>Environments</Table.Th>}
            <Table.Th ta="right">Hours</Table.Th>
            <Table.Th ta="right">Cloudlet-hours</Table.Th>
            <Table.Th ta="right">Cost</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {usage.items.map((item, index) => (
            <Table.Tr key={index} data-testid="usage-row">
              <Table.Td>{rowLabel(item)}</Table.Td>
              <Table.Td>{'environment' in item ? (item.creator ? `${item.creator.name} (${item.creator.email})` : '—') : item.environments}</Table.Td>
              <Table.Td ta="right">{item.hours}</Table.Td>
              <Table.Td ta="right">{item.cloudletHours}</Table.Td>
              <Table.Td ta="right">{money(item.cost)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th>Total</Table.Th>
            <Table.Th />
            <Table.Th ta="right">{usage.total.hours}</Table.Th>
            <Table.Th ta="right">{usage.total.cloudletHours}</Table.Th>
            <Table.Th ta="right">{money(usage.total.cost)}</Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </DataTable>
  );
}

/** Balance, and usage and cost by environment or by creator over a period, as a table and a chart. */
export function BillingPage() {
  const scope = useOwnerScope('billing.view');
  const [params, setParams] = useSearchParams();
  const groupBy = (params.get('by') as GroupBy | null) ?? 'environment';
  const period = (params.get('days') as Period | null) ?? '30';
  const days = PERIODS[period] ?? 30;
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const ownerQuery = scope.ownerId ? { ownerId: scope.ownerId } : {};
  const balance = useQuery({
    queryKey: ['billing', 'balance', scope.ownerId ?? 'mine'],
    queryFn: () => ok(api.GET('/api/v1/billing/balance', { params: { query: ownerQuery } })),
    retry: false,
  });
  const usage = useQuery({
    queryKey: ['billing', 'usage', scope.ownerId ?? 'mine', groupBy, days],
    queryFn: () => {
      // The period ends at the server's now (its default), so a clock difference with this browser cannot hide usage.
      const from = new Date(Date.now() - days * 86_400_000);
      return ok(api.GET('/api/v1/billing/usage', { params: { query: { ...ownerQuery, groupBy, from: from.toISOString() } } }));
    },
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const data = usage.data;
  const chart = (data?.items ?? []).slice(0, 20).map((item) => ({ name: rowLabel(item), cost: Number(item.cost) }));

  return (
    <Page title="Billing" description="Running environments are charged per hour and cloudlet to their owner, whoever created them.">
      <OwnerScopeSelect scope={scope} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Balance
          </Text>
          {balance.isPending ? (
            <Loading />
          ) : balance.isError ? (
            isApiError(balance.error, 403) ? (
              <Text size="sm">{balance.error.problem.detail}</Text>
            ) : (
              <LoadError error={balance.error} retry={() => void balance.refetch()} />
            )
          ) : (
            <>
              <Title order={2} size="h1" data-testid="balance">
                {money(balance.data.amount)}
              </Title>
              <Text size="xs" c="dimmed">
                {balance.data.updatedAt ? `last charge ${formatDateTime(balance.data.updatedAt)}` : 'no charges yet'}
              </Text>
            </>
          )}
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Price
          </Text>
          <Title order={2} size="h1">
            {data ? money(data.pricePerCloudletHour) : '—'}
          </Title>
          <Text size="xs" c="dimmed">
            per cloudlet and hour (128 MiB RAM + 400 MHz CPU)
          </Text>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="usage-title">
        <Stack gap="md">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Title order={2} size="h4" id="usage-title">
              Usage {data ? `from ${formatDate(data.from)} to ${formatDate(data.to)}` : ''}
            </Title>
            <Group gap="sm">
              <SegmentedControl
                size="xs"
                value={groupBy}
                onChange={(value) => set('by', value === 'environment' ? null : value)}
                data={[
                  { value: 'environment', label: 'By environment' },
                  { value: 'creator', label: 'By creator' },
                ]}
                aria-label="Group usage"
              />
              <SegmentedControl
                size="xs"
                value={period}
                onChange={(value) => set('days', value === '30' ? null : value)}
                data={[
                  { value: '7', label: '7 days' },
                  { value: '30', label: '30 days' },
                  { value: '90', label: '90 days' },
                ]}
                aria-label="Period"
              />
            </Group>
          </Group>
          {usage.isPending ? (
            <Loading label="Loading usage…" />
          ) : usage.isError ? (
            <LoadError error={usage.error} retry={() => void usage.refetch()} />
          ) : !data || data.items.length === 0 ? (
            <EmptyHint icon={<IconReceipt size={28} />} title="No usage in this period">
              Running environments are metered every hour; usage shows up here after their first hour.
            </EmptyHint>
          ) : (
            <>
              {data.scope === 'environments' ? (
                <Alert color="blue" variant="light">
                  You see the usage of the environments where you hold billing.view, not the whole account.
                </Alert>
              ) : null}
              <div role="img" aria-label={`Cost by ${groupBy}: ${chart.map((row) => `${row.name} ${row.cost}`).join(', ')}`}>
                <BarChart h={Math.max(160, chart.length * 36)} data={chart} dataKey="name" orientation="vertical" series={[{ name: 'cost', label: 'Cost', color: 'blue.8' }]} yAxisProps={{ width: 140 }} />
              </div>
              <UsageTable usage={data} />
            </>
          )}
        </Stack>
      </Paper>
    </Page>
  );
}
