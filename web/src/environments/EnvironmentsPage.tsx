import { Anchor, Badge, Button, CloseButton, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { DataTable } from '../components/DataTable';
import { useDisclosure } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import type { Environment } from '../api/types';
import { useMe } from '../auth/session';
import { EmptyHint, LoadError, Loading } from '../components/Feedback';
import { IconPlus, IconServer } from '../components/Icons';
import { Page } from '../components/Page';
import { CreateEnvironmentDialog } from './CreateEnvironmentDialog';
import { EnvironmentActions } from './EnvironmentActions';
import { GroupTreeNav } from './GroupTreeNav';
import { accessLabel, descendantIds, topologySummary } from './model';
import { OwnerTag } from './OwnerTag';
import { groupsKey, useEnvironments, useOwners } from './queries';
import { StatusBadge } from './StatusBadge';

type View = 'all' | 'mine' | 'shared';

function EnvironmentRow({ env, onOwner }: { env: Environment; onOwner: (ownerId: string) => void }) {
  const shared = env.access !== 'owner';
  return (
    <Table.Tr data-testid="env-row" data-env={env.name}>
      <Table.Td>
        <Stack gap={2}>
          <Group gap={6} wrap="nowrap">
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
                <Badge key={group.id} size="xs" variant="outline" color="gray" style={{ textTransform: 'none' }}>
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
            created by {env.createdBy.name}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <EnvironmentActions env={env} />
      </Table.Td>
    </Table.Tr>
  );
}

/** Own and shared environments together, filtered by owner, by group (with subgroups) or to what is shared with me. */
export function EnvironmentsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [creating, create] = useDisclosure(false);
  const view = (params.get('view') as View | null) ?? 'all';
  const ownerId = params.get('owner') ?? undefined;
  const groupId = params.get('group');
  const environments = useEnvironments({ ownerId });
  const { owners } = useOwners();
  const ownsAccount = me.data?.type !== 'collaborator';
  // Group trees: of the filtered owner, or of every account in reach (mine first).
  const treeOwners = ownerId ? owners.filter((owner) => owner.id === ownerId) : owners;
  const groupQueries = useQueries({
    queries: treeOwners.map((owner) => ({
      queryKey: [...groupsKey, owner.mine ? 'mine' : owner.id],
      queryFn: async () => (await ok(api.GET('/api/v1/groups', { params: { query: { ownerId: owner.mine ? undefined : owner.id, limit: 1000 } } }))).items,
    })),
  });
  const allGroups = groupQueries.flatMap((query) => query.data ?? []);
  const myId = me.data?.id;

  const update = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(change)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

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

  return (
    <Page
      title="Environments"
      description="Yours and those shared with you. Shared ones carry their owner's name: select it to see only that owner's."
      actions={
        owners.length > 0 ? (
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            New environment
          </Button>
        ) : null
      }
    >
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Paper withBorder p="sm" radius="md" w={{ base: '100%', sm: 240 }} component="aside" aria-label="Filters">
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
                <Badge
                  size="lg"
                  variant="light"
                  color="grape"
                  style={{ textTransform: 'none' }}
                  rightSection={<CloseButton size="xs" onClick={() => update({ owner: null, group: null })} aria-label="Show every owner" />}
                >
                  Owner: {filterOwner.name} ({filterOwner.email})
                </Badge>
              ) : null}
              {selectedGroup ? (
                <Badge
                  size="lg"
                  variant="light"
                  style={{ textTransform: 'none' }}
                  rightSection={<CloseButton size="xs" onClick={() => update({ group: null })} aria-label="Show every group" />}
                >
                  Group: {selectedGroup.name} and its subgroups
                </Badge>
              ) : null}
            </Group>
          ) : null}
          {environments.isPending ? (
            <Loading label="Loading environments…" />
          ) : environments.isError ? (
            <LoadError error={environments.error} retry={() => void environments.refetch()} />
          ) : items.length === 0 ? (
            filtered ? (
              <EmptyHint icon={<IconServer size={28} />} title="Nothing matches these filters">
                {view === 'shared'
                  ? 'Nobody shares an environment with you yet. When an owner invites you and shares environments, they show up here with the owner’s name.'
                  : 'Clear a filter to see more.'}
              </EmptyHint>
            ) : (
              <EmptyHint
                icon={<IconServer size={28} />}
                title="No environments yet"
                action={
                  owners.length ? (
                    <Button size="sm" onClick={create.open} leftSection={<IconPlus size={16} />}>
                      Create your first environment
                    </Button>
                  ) : null
                }
              >
                Create an environment to run an application, or wait for an owner to share theirs with you: invitations show
                up in Shared with me.
              </EmptyHint>
            )
          ) : (
            <DataTable minWidth={680} label="Environments" verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Environment</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Access</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((env) => (
                    <EnvironmentRow key={env.id} env={env} onOwner={(id) => update({ owner: id, group: null })} />
                  ))}
                </Table.Tbody>
              </DataTable>
          )}
        </Stack>
      </Group>
      {creating ? (
        <CreateEnvironmentDialog opened={creating} onClose={create.close} defaultOwnerId={ownerId} defaultGroupId={groupId ?? undefined} />
      ) : null}
    </Page>
  );
}
