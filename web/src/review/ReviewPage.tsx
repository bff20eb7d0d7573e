import { Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import type { ReviewedShare } from '../api/types';
import { resourceLabel } from '../collaboration/labels';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';

const reviewKey = ['access-review'] as const;

/** Remove or downgrade one share, through the normal share routes (limits, notices and audit apply). */
function ShareActions({ share }: { share: ReviewedShare }) {
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: reviewKey }), queryClient.invalidateQueries({ queryKey: ['shares'] })]);
  // A team's share goes through the team's share routes, a member's through the member's: limits and notices apply.
  const remove = () =>
    share.teamId !== null
      ? api.DELETE('/api/v1/collaboration/teams/{id}/shares/{shareId}', { params: { path: { id: share.teamId, shareId: share.id }, query: {} } })
      : api.DELETE('/api/v1/collaboration/members/{id}/shares/{shareId}', { params: { path: { id: share.memberId ?? '', shareId: share.id }, query: {} } });
  const downgrade = () =>
    share.teamId !== null
      ? api.PATCH('/api/v1/collaboration/teams/{id}/shares/{shareId}', { params: { path: { id: share.teamId, shareId: share.id }, query: {} }, body: { roleIds: ['viewer'] } })
      : api.PATCH('/api/v1/collaboration/members/{id}/shares/{shareId}', { params: { path: { id: share.memberId ?? '', shareId: share.id }, query: {} }, body: { roleIds: ['viewer'] } });
  const where = `${share.memberLabel}'s share on ${resourceLabel(share)}`;
  const onlyViewer = share.roles.length === 1 && share.roles[0]?.id === 'viewer';
  return (
    <Group gap="xs" wrap="nowrap">
      <ConfirmAction
        label="Remove"
        aria-label={`Remove ${where}`}
        title={`Remove ${where}?`}
        confirmLabel="Remove share"
        onConfirm={async () => {
          await ok(remove());
          await refresh();
        }}
      >
        What this share gives ends at once; {share.teamId !== null ? "the team's members are told" : 'the member is told'}.
      </ConfirmAction>
      {onlyViewer ? null : (
        <ConfirmAction
          label="Downgrade to viewer"
          aria-label={`Downgrade ${where} to viewer`}
          title={`Downgrade ${where} to viewer?`}
          confirmLabel="Downgrade"
          danger={false}
          button={{ color: 'blue' }}
          onConfirm={async () => {
            await ok(downgrade());
            await refresh();
          }}
        >
          The member keeps seeing it and its logs, and can do nothing more there.
        </ConfirmAction>
      )}
    </Group>
  );
}

function ShareTable({ label, shares, empty }: { label: string; shares: readonly ReviewedShare[]; empty: string }) {
  if (shares.length === 0) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <DataTable minWidth={760} label={label} columns={['Member', 'Resource', 'Roles', 'Last used', 'Ends', 'Review by', { label: 'Actions', hideLabel: true, actions: true }]}>
      {shares.map((share) => (
        <Table.Tr key={share.id}>
          <Table.Td>{share.memberLabel}</Table.Td>
          <Table.Td>{resourceLabel(share)}</Table.Td>
          <Table.Td>{share.roles.map((role) => role.name).join(', ')}</Table.Td>
          <Table.Td>{share.lastUsedAt ? formatDateTime(share.lastUsedAt) : 'never'}</Table.Td>
          <Table.Td>{share.expiresAt ? formatDateTime(share.expiresAt) : 'never'}</Table.Td>
          <Table.Td>{share.reviewBy ? formatDateTime(share.reviewBy) : '—'}</Table.Td>
          <Table.Td>
            <ShareActions share={share} />
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}

/** The owner's access review: what was granted and is not used, ends soon or is due for a look. */
export function ReviewPage() {
  const [days, setDays] = useState<number>(30);
  const review = useQuery({
    queryKey: [...reviewKey, days],
    queryFn: () => ok(api.GET('/api/v1/collaboration/review', { params: { query: { unusedDays: days } } })),
  });
  const data = review.data;
  return (
    <Page title="Access review" description="Access, once granted, deserves a second look. Last use is recorded at most once an hour per share, member and token.">
      <NumberInput label="Unused for at least (days)" min={0} max={3650} value={days} onChange={(value) => setDays(typeof value === 'number' ? value : 30)} maw={240} />
      {queryFallback(review) ??
        (data ? (
          <Stack gap="lg">
            <Section title="Shares nobody used" description={`No allowed action went through these shares for ${data.unusedDays} days.`} data-testid="unused-shares">
              <ShareTable label="Unused shares" shares={data.unusedShares} empty="Every share was used lately." />
            </Section>
            <Section title="Ending within a week">
              <ShareTable label="Expiring shares" shares={data.expiringShares} empty="No share ends within a week." />
            </Section>
            <Section title="Due for review" description="Shares whose review date is near or past; you are mailed three days before.">
              <ShareTable label="Shares due for review" shares={data.reviewDue} empty="No review date is near." />
            </Section>
            <Section title="Members who never used their access">
              {data.idleMembers.length ? (
                <DataTable minWidth={480} label="Idle members" columns={['Member', 'Email', 'Joined']}>
                  {data.idleMembers.map((member) => (
                    <Table.Tr key={member.memberId}>
                      <Table.Td>{member.label}</Table.Td>
                      <Table.Td>{member.user.email}</Table.Td>
                      <Table.Td>{formatDateTime(member.acceptedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </DataTable>
              ) : (
                <EmptyHint title="Nobody idle">Every member holding shares has used them.</EmptyHint>
              )}
            </Section>
            <Section title="Stale tokens acting in your account" description="Revoke them under Account settings › Collaboration.">
              {data.staleTokens.length ? (
                <DataTable minWidth={480} label="Stale tokens" columns={['Token', 'Holder', 'Last used']}>
                  {data.staleTokens.map((token) => (
                    <Table.Tr key={token.id}>
                      <Table.Td>{token.name}</Table.Td>
                      <Table.Td>{token.holder.label}</Table.Td>
                      <Table.Td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</Table.Td>
                    </Table.Tr>
                  ))}
                </DataTable>
              ) : (
                <EmptyHint title="No stale tokens">Every token acting here was used lately.</EmptyHint>
              )}
            </Section>
          </Stack>
        ) : null)}
    </Page>
  );
}
