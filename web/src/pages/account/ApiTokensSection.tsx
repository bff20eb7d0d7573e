import { Button, Code, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { ApiToken, CreatedApiToken } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { DataTable } from '../../components/DataTable';
import { EmptyHint, FormAlert } from '../../components/Feedback';
import { endOfLocalDay, formatDate, formatDateTime, toDateInput } from '../../components/format';
import { IconKey } from '../../components/Icons';
import { queryFallback } from '../../components/QueryState';
import { Section } from '../../components/Section';
import { ShownOnce } from '../../components/ShownOnce';
import { useAccountEnvironments, useGroups } from '../../environments/queries';
import { describeScope, noScope, type ScopeDraft, scopeOf, type TokenScopeBody, TokenScopeFields } from './TokenScopeFields';

const tokensKey = ['tokens'] as const;

function NewTokenSecret({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  return (
    <ShownOnce title={`Token “${created.name}” created`} secret={created.token} testId="new-token-secret" copyLabel="Copy the token" onDone={onDone}>
      <Text size="sm">Copy it now: this is the only time it is shown. Use it as a bearer token.</Text>
      <Text size="xs">
        Example: <Code style={{ overflowWrap: 'anywhere' }}>curl -H &quot;Authorization: Bearer …&quot; {window.location.origin}/api/v1/me</Code>
      </Text>
    </ShownOnce>
  );
}

function TokenRow({ token, names }: { token: ApiToken; names: Map<string, string> }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } })),
    onSuccess: () => {
      return queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  return (
    <Table.Tr>
      <Table.Td fw={500}>{token.name}</Table.Td>
      <Table.Td>{describeScope(token, names)}</Table.Td>
      <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
      <Table.Td>{token.lastUsedAt ? `${formatDateTime(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ''}` : 'never'}</Table.Td>
      <Table.Td>{token.expiresAt ? formatDate(token.expiresAt) : 'never'}</Table.Td>
      <Table.Td>
        <ConfirmAction
          label="Revoke"
          aria-label={`Revoke token ${token.name}`}
          button={{ variant: 'light' }}
          title={`Revoke the token “${token.name}”?`}
          confirmLabel="Revoke"
          onConfirm={() => revoke.mutateAsync()}
        >
          Scripts and tools that use it get 401 from their next request on. This cannot be undone; you can create a new
          token instead.
        </ConfirmAction>
      </Table.Td>
    </Table.Tr>
  );
}

/** Named API tokens: create one (its secret shown once), list them, revoke. */
export function ApiTokensSection() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [scope, setScope] = useState<ScopeDraft>(noScope);
  // Names for the places scoped tokens reach in my own account (others' ids stay ids).
  const names = new Map([...useAccountEnvironments(undefined), ...(useGroups().data ?? [])].map((place) => [place.id, place.name]));
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => ok(api.GET('/api/v1/tokens')) });
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', expiresOn: '' },
    validate: {
      name: hasLength({ min: 1, max: 100 }, 'Name the token (up to 100 characters), e.g. “CI deploys”'),
      expiresOn: (value) => (value && new Date(endOfLocalDay(value)) <= new Date() ? 'Pick a day in the future' : null),
    },
  });
  const problem = useFormProblem(form);
  const create = useMutation({
    mutationFn: (body: { name: string; expiresAt?: string; scope?: TokenScopeBody }) => ok(api.POST('/api/v1/tokens', { body })),
    onSuccess: (answer) => {
      setCreated(answer);
      form.reset();
      setScope(noScope);
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const submit = form.onSubmit(({ name, expiresOn }) =>
    problem.watch(
      create.mutateAsync({ name: name.trim(), ...(expiresOn ? { expiresAt: endOfLocalDay(expiresOn) } : {}), ...(scopeOf(scope) ? { scope: scopeOf(scope) } : {}) }),
    ),
  );

  const items = tokens.data?.items ?? [];
  return (
    <Section
      title="API tokens"
      description={
        <>
          A token acts as you from scripts and CI: send it as <Code>Authorization: Bearer &lt;token&gt;</Code>. Limit it to
          what the script needs; tokens never change passwords, sessions or tokens of a limited kind.
        </>
      }
    >
      {created ? <NewTokenSecret created={created} onDone={() => setCreated(null)} /> : null}
      <form onSubmit={submit} noValidate aria-label="Create an API token">
        <Stack gap="xs">
          <FormAlert message={problem.message} />
          <Group align="flex-start" gap="sm">
            <TextInput label="Token name" placeholder="CI deploys" required style={{ flex: '1 1 14rem' }} key={form.key('name')} {...form.getInputProps('name')} />
            <TextInput
              label="Expires on (90 days if empty)"
              type="date"
              min={toDateInput(new Date(Date.now() + 86_400_000).toISOString())}
              style={{ flex: '0 1 12rem' }}
              key={form.key('expiresOn')}
              {...form.getInputProps('expiresOn')}
            />
            <Button type="submit" mt={{ base: 0, xs: 25 }} loading={create.isPending} leftSection={<IconKey size={16} />}>
              Create token
            </Button>
          </Group>
          <TokenScopeFields value={scope} onChange={setScope} />
        </Stack>
      </form>
      {queryFallback(tokens, 'Loading tokens…') ??
        (items.length === 0 ? (
          <EmptyHint icon={<IconKey size={28} />} title="No API tokens yet">
            Create one above for each script or tool that calls the API, so you can revoke one without touching the others.
          </EmptyHint>
        ) : (
          <DataTable
            minWidth={560}
            label="API tokens"
            striped
            highlightOnHover
            columns={['Name', 'Scope', 'Created', 'Last used', 'Expires', { label: 'Actions', hideLabel: true, actions: true }]}
          >
            {items.map((token) => (
              <TokenRow key={token.id} token={token} names={names} />
            ))}
          </DataTable>
        ))}
    </Section>
  );
}
