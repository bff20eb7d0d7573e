import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { DataTable } from '../components/DataTable';
import { Alert, Paper, SegmentedControl, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, ok } from '../api/client';
import { useMe } from '../auth/session';
import type { Usage } from '../api/types';
import { OwnerScopeSelect, useOwnerScope } from '../collaboration/OwnerScope';
import { Fact } from '../components/Fact';
import { PersonLabel, secondaryOf } from '../components/PersonLabel';
import { EmptyHint } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconReceipt } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { useQueryString } from '../components/useQueryString';

type GroupBy = 'environment' | 'creator';
const PERIODS = { '7': 7, '30': 30, '90': 90 } as const;
type Period = keyof typeof PERIODS;

type UsageItem = Usage['items'][number];

function rowLabel(item: UsageItem): string {
  if ('environment' in item) return item.environment.displayName || item.environment.name;
  return item.creator?.label ?? 'a deleted account';
}

/** The creator of usage as the API labels it for me, the account name and email after it when I may see them. */
function Creator({ creator }: { creator: UsageItem['creator'] }) {
  if (!creator) return <>a deleted account</>;
  return <PersonLabel name={creator.label} email={secondaryOf(creator)} />;
}

const money = (value: string) => Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });

function UsageTable({ usage }: { usage: Usage }) {
  const byEnvironment = usage.groupBy === 'environment';
  return (
    <DataTable
      minWidth={560}
      label={`Usage by ${usage.groupBy}`}
      striped
      columns={[
        byEnvironment ? 'Environment' : 'Created by',
        byEnvironment ? 'Created by' : 'Environments',
        { label: 'Hours', align: 'right' },
        { label: 'Cloudlet-hours', align: 'right' },
        { label: 'Cost', align: 'right' },
        ...(byEnvironment ? [] : [{ label: 'Budget this month', align: 'right' as const }]),
      ]}
      footer={
        <Table.Tr fw={700}>
          <Table.Th scope="row">Total</Table.Th>
          <Table.Td />
          <Table.Td ta="right">{usage.total.hours}</Table.Td>
          <Table.Td ta="right">{usage.total.cloudletHours}</Table.Td>
          <Table.Td ta="right">{money(usage.total.cost)}</Table.Td>
          {byEnvironment ? null : <Table.Td />}
        </Table.Tr>
      }
    >
      {usage.items.map((item, index) => (
        <Table.Tr key={index} data-testid="usage-row">
          <Table.Td>{'environment' in item ? rowLabel(item) : <Creator creator={item.creator} />}</Table.Td>
          <Table.Td>{'environment' in item ? <Creator creator={item.creator} /> : item.environments}</Table.Td>
          <Table.Td ta="right">{item.hours}</Table.Td>
          <Table.Td ta="right">{item.cloudletHours}</Table.Td>
          <Table.Td ta="right">{money(item.cost)}</Table.Td>
          {'environment' in item ? null : (
            <Table.Td ta="right" data-testid="usage-budget">
              {item.budget ? `${money(item.budget.spentThisMonth)} of ${money(item.budget.monthlyBudget)} (${item.budget.percent} %)` : '—'}
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </DataTable>
  );
}

/** A big figure and what it means, under a Fact's label. */
function Amount({ value, testId, children }: { value: string; testId?: string; children: ReactNode }) {
  return (
    <>
      <Title order={2} size="h1" data-testid={testId}>
        {value}
      </Title>
      <Text size="xs" c="dimmed">
        {children}
      </Text>
    </>
  );
}

/** Balance, and usage and cost by environment or by creator over a period, as a table and a chart. */
export function BillingPage() {
  const me = useMe();
  const scope = useOwnerScope('billing.view');
  const mine = scope.accountId !== undefined && scope.ownerId === undefined;
  // The balance is the account's: its owner's, or a member's with billing.view on the whole account.
  const showBalance = scope.ready && scope.accountId !== undefined && scope.can('billing.view');
  const [params, update] = useQueryString();
  const groupBy = (params.get('by') as GroupBy | null) ?? 'environment';
  const period = (params.get('days') as Period | null) ?? '30';
  const days = PERIODS[period] ?? 30;
  const set = (key: string, value: string | null) => update({ [key]: value }, { replace: true });
  const ownerQuery = scope.ownerId ? { ownerId: scope.ownerId } : {};
  const balance = useQuery({
    queryKey: ['billing', 'balance', scope.ownerId ?? 'mine'],
    queryFn: () => ok(api.GET('/api/v1/billing/balance', { params: { query: ownerQuery } })),
    retry: false,
    enabled: showBalance,
  });
  const usage = useQuery({
    enabled: scope.ready && scope.accountId !== undefined,
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
  // The chart's names column takes less of a phone's width.
  const narrow = useMediaQuery('(max-width: 36em)');
  const chart = (data?.items ?? []).slice(0, 20).map((item) => ({ name: rowLabel(item), cost: Number(item.cost) }));

  const price = data ? `${money(data.pricePerCloudletHour)} per cloudlet-hour` : '—';
  if (scope.ready && scope.accountId === undefined) {
    return (
      <Page title="Billing" description="Environments you create in an owner's account belong to that owner and are billed to it, not to you.">
        <EmptyHint icon={<IconReceipt size={28} />} title="Nothing is billed to you">
          A collaborator account owns no environments, so it has no balance and no usage. You see an owner's prices and usage here once a share gives you
          billing.view on its whole account.
        </EmptyHint>
      </Page>
    );
  }

  return (
    <Page
      title="Billing"
      description={
        mine
          ? 'Running environments are charged per hour and cloudlet to their owner, whoever created them: environments your collaborators create in your account are billed to you.'
          : "Running environments are charged to their owner, whoever created them: the environments you create in this account are billed to its owner, not to you."
      }
    >
      <OwnerScopeSelect scope={scope} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md">
          <Fact label="Balance (account currency)">
            {!showBalance ? (
              'Only the owner, or a member with billing.view on the whole account, sees the balance.'
            ) : (
              (queryFallback(balance) ?? (
                <Amount value={balance.data ? money(balance.data.amount) : '—'} testId="balance">
                  {balance.data?.updatedAt ? `last charge ${formatDateTime(balance.data.updatedAt)}` : 'no charges yet'}
                  {mine && me.data?.type === 'trial'
                    ? '. A trial starts at 0.00 and metering debits what your running environments cost, so a trial balance below zero is what the trial has used so far.'
                    : '. Metering debits it every hour the account’s environments run.'}
                </Amount>
              ))
            )}
          </Fact>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Fact label="Price (account currency)">
            <Amount value={price}>One cloudlet is 128 MiB RAM + 400 MHz CPU; an environment costs its cloudlets × this price for every hour it runs.</Amount>
          </Fact>
        </Paper>
      </SimpleGrid>
      <Section
        title={`Usage${data ? ` from ${formatDate(data.from)} to ${formatDate(data.to)}` : ''}`}
        actions={
          <>
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
          </>
        }
      >
        {queryFallback(usage, 'Loading usage…') ??
          (!data || data.items.length === 0 ? (
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
                <BarChart
                  h={Math.max(160, chart.length * 36)}
                  data={chart}
                  dataKey="name"
                  orientation="vertical"
                  series={[{ name: 'cost', label: 'Cost', color: 'blue.8' }]}
                  yAxisProps={{ width: narrow ? 96 : 140 }}
                />
              </div>
              <UsageTable usage={data} />
            </>
          ))}
      </Section>
    </Page>
  );
}
