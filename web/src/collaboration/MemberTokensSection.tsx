import { Button, Group, NumberInput, Table } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ok } from '../api/client';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconKey } from '../components/Icons';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { useAccountEnvironments, useGroups } from '../environments/queries';
import { describeScope } from '../pages/account/TokenScopeFields';
import { TokenExplainButton } from './TokenExplainDialog';

const tokensKey = ['collaboration-tokens'] as const;
export const policyKey = ['account-policy'] as const;

/** The owner's cap on how long a token acting in the account may live. */
function LifetimePolicy() {
  const queryClient = useQueryClient();
  const policy = useQuery({ queryKey: policyKey, queryFn: () => ok(api.GET('/api/v1/account/policy')) });
  const [days, setDays] = useState<string | number>('');
  useEffect(() => setDays(policy.data?.tokenMaxLifetimeDays ?? ''), [policy.data]);
  const save = useMutation({
    mutationFn: () => ok(api.PATCH('/api/v1/account/policy', { body: { tokenMaxLifetimeDays: days === '' ? null : Number(days) } })),
    onSuccess: (answer) => {
      notifications.show({ message: answer.tokenMaxLifetimeDays ? `Tokens acting here now live at most ${answer.tokenMaxLifetimeDays} days.` : 'Tokens acting here have no cap of yours.' });
      return queryClient.setQueryData(policyKey, answer);
    },
  });
  return (
    <Group align="flex-end" gap="sm">
      <NumberInput label="Longest token lifetime (days, empty: no cap)" min={1} max={3650} allowDecimal={false} value={days} onChange={setDays} w={300} />
      <Button variant="light" loading={save.isPending} onClick={() => save.mutate()}>
        Save lifetime
      </Button>
    </Group>
  );
}

/** The members' API tokens that act in my account: what each may do, who holds it, when it was last used; revoke any. */
export function MemberTokensSection() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => ok(api.GET('/api/v1/collaboration/tokens', { params: { query: { limit: 200 } } })) });
  const names = new Map([...useAccountEnvironments(undefined), ...(useGroups().data ?? [])].map((place) => [place.id, place.name]));
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/api/v1/collaboration/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      notifications.show({ message: 'Token revoked.' });
      return queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const items = tokens.data?.items ?? [];
  return (
    <Section title="Members' API tokens" description="Tokens your members use in your account. You see what each may do and when it was last used, never its secret.">
      <LifetimePolicy />
      {queryFallback(tokens, 'Loading tokens…') ??
        (items.length === 0 ? (
          <EmptyHint icon={<IconKey size={28} />} title="No member's token acts here">
            When a member makes an API token for your account, it shows here.
          </EmptyHint>
        ) : (
          <DataTable minWidth={760} label="Members' API tokens" striped columns={['Token', 'Holder', 'Scope', 'Last used', 'Expires', { label: 'Actions', hideLabel: true, actions: true }]}>
            {items.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td fw={500}>{token.name}</Table.Td>
                <Table.Td>{token.holder.label}</Table.Td>
                <Table.Td>{describeScope(token, names)}</Table.Td>
                <Table.Td>{token.lastUsedAt ? `${formatDateTime(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ''}` : 'never'}</Table.Td>
                <Table.Td>{token.expiresAt ? formatDate(token.expiresAt) : 'never'}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <TokenExplainButton token={token} />
                    <ConfirmAction
                      label="Revoke"
                      aria-label={`Revoke ${token.holder.label}'s token ${token.name}`}
                      button={{ variant: 'light' }}
                      title={`Revoke “${token.name}” of ${token.holder.label}?`}
                      confirmLabel="Revoke"
                      onConfirm={() => revoke.mutateAsync(token.id)}
                    >
                      Whatever uses it gets 401 from its next request on, in every account. This cannot be undone.
                    </ConfirmAction>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        ))}
    </Section>
  );
}
