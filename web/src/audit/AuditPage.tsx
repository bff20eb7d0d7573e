import { Badge, Button, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import type { AuditEvent } from '../api/types';
import { useMe } from '../auth/session';
import { OwnerScopeSelect, useOwnerScope } from '../collaboration/OwnerScope';
import { memberName } from '../collaboration/labels';
import { useMembers, useRoles } from '../collaboration/queries';
import { PersonLabel } from '../components/PersonLabel';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { IconList } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { useQueryString } from '../components/useQueryString';
import { useEnvironments, useGroups } from '../environments/queries';

const PAGE = 25;
const outcomeColor: Record<AuditEvent['outcome'], string> = { ok: 'green', denied: 'orange', failed: 'red' };
const outcomeLabel: Record<AuditEvent['outcome'], string> = { ok: 'done', denied: 'refused', failed: 'failed' };

/** The audit log: every change, action and refusal in the account, filtered by environment, actor and action. */
export function AuditPage() {
  const me = useMe();
  const scope = useOwnerScope();
  const [params, update] = useQueryString();
  const environmentId = params.get('environment') ?? undefined;
  const actorId = params.get('actor') ?? undefined;
  const outcome = (params.get('outcome') as AuditEvent['outcome'] | null) ?? undefined;
  const [action, setAction] = useState(params.get('action') ?? '');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  // Cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const environments = useEnvironments({ ownerId: scope.accountId });
  // Names for ids come only from what I may list: members and roles for those who manage the account, groups for
  // anyone in it. A request the permissions already refuse is never sent.
  const manages = scope.ready && scope.can('collaboration.manage');
  const members = useMembers(scope.ownerId, manages);
  const groups = useGroups(scope.ownerId, scope.ready && scope.accountId !== undefined);
  const roles = useRoles(scope.ownerId, manages);
  const events = useQuery({
    enabled: scope.ready,
    queryKey: ['audit', scope.ownerId ?? 'mine', environmentId, actorId, outcome, debouncedAction, cursor],
    queryFn: () =>
      ok(
        api.GET('/api/v1/audit', {
          params: {
            query: {
              ...(scope.ownerId ? { ownerId: scope.ownerId } : {}),
              environmentId,
              actorId,
              outcome,
              action: debouncedAction || undefined,
              limit: PAGE,
              cursor,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const setFilter = (key: string, value: string | null) => {
    update({ [key]: value }, { replace: true });
    setCursors([undefined]);
  };
  // Names for the ids the log holds, from what this page has loaded anyway; others show a short id.
  const names = new Map<string, string>([
    ...(environments.data ?? []).map((env) => [env.id, env.name] as const),
    ...(groups.data ?? []).map((group) => [group.id, group.name] as const),
    ...(members.data ?? []).map((member) => [member.id, member.displayName || member.email] as const),
    ...(roles.data ?? []).map((role) => [role.id, role.name] as const),
    ...(me.data ? [[me.data.id, me.data.email] as const] : []),
  ]);
  const target = (event: AuditEvent) => (event.targetId ? (names.get(event.targetId) ?? `#${event.targetId.slice(0, 8)}`) : '');
  const actors = [
    ...(me.data ? [{ value: me.data.id, label: `Me (${me.data.email})` }] : []),
    ...(members.data ?? []).filter((member) => member.user).map((member) => ({ value: member.user?.id ?? '', label: `${memberName(member)} (${member.email})` })),
  ];
  const items = events.data?.items ?? [];

  return (
    <Page title="Audit log" description="Every change, every environment action and every refused attempt, newest first. Members see only their own actions.">
      <OwnerScopeSelect scope={scope} />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" maw={960}>
        <Select
          label="Environment"
          placeholder="Any"
          data={(environments.data ?? []).map((env) => ({ value: env.id, label: env.displayName || env.name }))}
          value={environmentId ?? null}
          onChange={(value) => setFilter('environment', value)}
          clearable
          searchable
        />
        <Select label="Actor" placeholder="Anyone" data={actors} value={actorId ?? null} onChange={(value) => setFilter('actor', value)} clearable searchable />
        <TextInput
          label="Action"
          placeholder="e.g. environment.* or share.create"
          value={action}
          onChange={(event) => {
            setAction(event.currentTarget.value);
            setCursors([undefined]);
          }}
        />
        <Select
          label="Outcome"
          placeholder="Any"
          data={(['ok', 'denied', 'failed'] as const).map((value) => ({ value, label: outcomeLabel[value] }))}
          value={outcome ?? null}
          onChange={(value) => setFilter('outcome', value)}
          clearable
        />
      </SimpleGrid>
      {queryFallback(events, 'Loading the audit log…') ??
        (items.length === 0 ? (
          <EmptyHint icon={<IconList size={28} />} title="No events match">
            Changes, environment actions and refused attempts are recorded as they happen. Loosen the filters to see more.
          </EmptyHint>
        ) : (
          <Stack gap="sm">
            <DataTable minWidth={760} label="Audit events" striped verticalSpacing="xs" columns={['When', 'Who', 'Action', 'Target', 'Outcome']}>
              {items.map((event) => (
                <Table.Tr key={event.id}>
                  <Table.Td>{formatDateTime(event.at)}</Table.Td>
                  <Table.Td>
                    {event.actorLabel ? (
                      <PersonLabel name={event.actorLabel} email={event.actorEmail ?? ''} note={event.actorName && event.actorName !== event.actorLabel ? ` · ${event.actorName}` : ''} />
                    ) : (
                      'the platform'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{event.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={event.targetId ?? undefined}>
                      {event.targetType} {target(event)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={event.details ? JSON.stringify(event.details) : `request ${event.requestId ?? '—'}`} multiline maw={360}>
                      <Badge color={outcomeColor[event.outcome]} variant="light">
                        {outcomeLabel[event.outcome]}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Page {cursors.length}
              </Text>
              <Group gap="xs">
                <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors((stack) => stack.slice(0, -1))}>
                  Newer
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={!events.data?.nextCursor}
                  onClick={() => {
                    const next = events.data?.nextCursor;
                    if (next) setCursors((stack) => [...stack, next]);
                  }}
                >
                  Older
                </Button>
              </Group>
            </Group>
          </Stack>
        ))}
    </Page>
  );
}
