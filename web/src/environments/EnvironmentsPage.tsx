import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Environment } from '../api/types';
import { useMe } from '../auth/session';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { IconPlus, IconServer } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { useQueryString } from '../components/useQueryString';
import { CreateEnvironmentDialog } from './CreateEnvironmentDialog';
import { EnvironmentActions } from './EnvironmentActions';
import { FilterChip } from './FilterChip';
import { GroupTreeNav } from './GroupTreeNav';
import { accessLabel, descendantIds, topologySummary } from './model';
import { OwnerTag } from './OwnerTag';
import { groupsQuery, useEnvironments, useOwners } from './queries';
import { PersonName } from '../components/PersonLabel';
import { StatusBadge } from './StatusBadge';

type View = 'all' | 'mine' | 'shared';

function EnvironmentRow({ env, onOwner }: { env: Environment; onOwner: (ownerId: string) => void }) {
  const shared = env.access !== 'owner';
  return (
    <Table.Tr data-testid="env-row" data-env={env.name}>
      <Table.Td>
        <Stack gap={2}>
          <Group gap={6}>
            <Anchor component={Link} to={`/environments/${env.id}`} fw={600}>
              {env.displayName || env.name}
            </Anchor>
            {shared ? <OwnerTag owner={env.owner} onSelect={onOwner} /> : null}
          </Group>
          <Text size="xs" c="dimmed">
            {env.domain} · {topologySummary(env)}
          </Text>
          {env.groups.length ? (
            <Group gap={4}>
              {env.groups.map((group) => (
                <Badge key={group.id} size="xs" variant="outline" color="gray" tt="none">
                  {group.name}
                </Badge>
              ))}
            </Group>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <StatusBadge env={env} />
      </Table.Td>
      <Table.Td>
        <Text size="xs">{accessLabel[env.access]}</Text>
        {env.createdBy && env.createdBy.id !== env.owner.id ? (
          <Text size="xs" c="dimmed">
            created by <PersonName person={env.createdBy} />
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <EnvironmentActions env={env} sayNone />
      </Table.Td>
    </Table.Tr>
  );
}

/** Own and shared environments together, filtered by owner, by group (with subgroups) or to what is shared with me. */
export function EnvironmentsPage() {
  const me = useMe();
  const [params, update] = useQueryString();
  const [creating, create] = useDisclosure(false);
  const view = (params.get('view') as View | null) ?? 'all';
  const ownerId = params.get('owner') ?? undefined;
  const groupId = params.get('group');
  const environments = useEnvironments({ ownerId });
  const { owners } = useOwners();
  const ownsAccount = me.data?.type !== 'collaborator';
  // Only where a share lets me create (the API says which); my own account always.
  const canCreate = owners.some((owner) => owner.canCreate);
  // Group trees: of the filtered owner, or of every account in reach (mine first).
  const treeOwners = ownerId ? owners.filter((owner) => owner.id === ownerId) : owners;
  const groupQueries = useQueries({ queries: treeOwners.map((owner) => groupsQuery(owner.mine ? undefined : owner.id)) });
  const allGroups = groupQueries.flatMap((query) => query.data ?? []);
  const myId = me.data?.id;

  const inGroup = groupId ? descendantIds(allGroups, groupId) : null;
  const all = environments.data ?? [];
  const items = all.filter((env) => {
    if (view === 'mine' && env.owner.id !== myId) return false;
    if (view === 'shared' && env.access === 'owner') return false;
    if (inGroup && !env.groups.some((group) => inGroup.has(group.id))) return false;
    return true;
  });
  const filterOwner = ownerId ? (all.find((env) => env.owner.id === ownerId)?.owner ?? owners.find((owner) => owner.id === ownerId)) : undefined;
  const selectedGroup = allGroups.find((group) => group.id === groupId);
  const filtered = view !== 'all' || Boolean(ownerId) || Boolean(groupId);
  const createButton = (label: string, size?: 'sm') =>
    canCreate ? (
      <Button size={size} leftSection={<IconPlus size={16} />} onClick={create.open}>
        {label}
      </Button>
    ) : null;

  // What an empty list means depends on what narrowed it.
  const emptyHint = !filtered && !ownsAccount ? (
    <EmptyHint icon={<IconServer size={28} />} title={owners.length ? 'Nothing is shared with you now' : 'You work in no account now'} action={createButton('Create an environment', 'sm')}>
      {owners.length
        ? 'You are a member, but no share reaches an environment: what an owner shares shows up here at once.'
        : 'A collaborator account owns no environments. If an owner unlinked you or you left, the access ended with it.'}{' '}
      Your collaborations and invitations are in{' '}
      <Anchor component={Link} to="/shared-with-me">
        Shared with me
      </Anchor>
      .
    </EmptyHint>
  ) : !filtered ? (
    <EmptyHint icon={<IconServer size={28} />} title="No environments yet" action={createButton('Create your first environment', 'sm')}>
      Create an environment to run an application, or wait for an owner to share theirs with you: invitations show up in{' '}
      <Anchor component={Link} to="/shared-with-me">
        Shared with me
      </Anchor>
      .
    </EmptyHint>
  ) : filterOwner && !groupId && all.length === 0 ? (
    <EmptyHint icon={<IconServer size={28} />} title="No environments yet">
      {filterOwner.name} has not shared an environment with you yet. You are a member of their account: what they share shows up here at once.
    </EmptyHint>
  ) : view === 'shared' && !ownerId && !groupId ? (
    <EmptyHint icon={<IconServer size={28} />} title="No environments yet">
      When an owner invites you and shares environments, they show up here with the owner’s name. Invitations wait in{' '}
      <Anchor component={Link} to="/shared-with-me">
        Shared with me
      </Anchor>
      .
    </EmptyHint>
  ) : (
    <EmptyHint
      icon={<IconServer size={28} />}
      title="Nothing matches these filters"
      action={
        <Button size="sm" variant="default" onClick={() => update({ view: null, owner: null, group: null })}>
          Show all environments
        </Button>
      }
    >
      {selectedGroup ? `No environment you can see is in ${selectedGroup.name} or its subgroups. ` : ''}Clear a filter to see more.
    </EmptyHint>
  );

  return (
    <Page
      title="Environments"
      description="Yours and those shared with you. Shared ones carry their owner's name: select it to see only that owner's."
      actions={createButton('New environment')}
    >
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Paper withBorder p="sm" radius="md" w={{ base: '100%', sm: 260 }} component="aside" aria-label="Filters">
          <Stack gap="sm">
            <SegmentedControl
              fullWidth
              size="xs"
              value={view}
              onChange={(value) => update({ view: value === 'all' ? null : value })}
              data={[
                { value: 'all', label: 'All' },
                ...(ownsAccount ? [{ value: 'mine', label: 'Mine' }] : []),
                { value: 'shared', label: 'Shared with me' },
              ]}
              aria-label="Which environments"
            />
            {treeOwners.map((owner, index) => {
              const title = owner.mine ? 'My groups' : `Groups of ${owner.name}`;
              const groups = groupQueries[index]?.data ?? [];
              if (!owner.mine && groups.length === 0) return null;
              return (
                <div key={owner.id}>
                  <Title order={2} size="h6" mb={4}>
                    {title}
                  </Title>
                  <GroupTreeNav groups={groups} selected={groupId} onSelect={(id) => update({ group: id })} label={title} />
                </div>
              );
            })}
          </Stack>
        </Paper>
        <Stack gap="sm" style={{ flex: '1 1 32rem', minWidth: 0 }}>
          {filterOwner || selectedGroup ? (
            <Group gap="xs">
              {filterOwner ? (
                <FilterChip color="grape" clearLabel="Show every owner" onClear={() => update({ owner: null, group: null })}>
                  Owner: {filterOwner.name} ({filterOwner.email})
                </FilterChip>
              ) : null}
              {selectedGroup ? (
                <FilterChip clearLabel="Show every group" onClear={() => update({ group: null })}>
                  Group: {selectedGroup.name} and its subgroups
                </FilterChip>
              ) : null}
            </Group>
          ) : null}
          {queryFallback(environments, 'Loading environments…') ??
            (items.length === 0 ? (
              emptyHint
            ) : (
              <DataTable
                minWidth={680}
                label="Environments"
                verticalSpacing="sm"
                highlightOnHover
                columns={['Environment', 'Status', 'Access', { label: 'Actions', actions: true }]}
              >
                {items.map((env) => (
                  <EnvironmentRow key={env.id} env={env} onOwner={(id) => update({ owner: id, group: null })} />
                ))}
              </DataTable>
            ))}
        </Stack>
      </Group>
      {creating ? (
        <CreateEnvironmentDialog opened={creating} onClose={create.close} defaultOwnerId={ownerId} defaultGroupId={groupId ?? undefined} />
      ) : null}
    </Page>
  );
}
