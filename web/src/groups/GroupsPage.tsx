import { Anchor, Button, Checkbox, Group as Row, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { DataTable } from '../components/DataTable';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, messageOf, ok } from '../api/client';
import type { Environment, Group } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { EmptyHint, LoadError, Loading } from '../components/Feedback';
import { IconFolder, IconPlus } from '../components/Icons';
import { Page } from '../components/Page';
import { GroupTreeNav } from '../environments/GroupTreeNav';
import { can, groupTree } from '../environments/model';
import { environmentsKey, groupsKey, useEnvironments, useGroups, useOwners } from '../environments/queries';
import { StatusBadge } from '../environments/StatusBadge';
import { GroupDialog } from './GroupDialogs';

function useMembership() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ env, add, remove }: { env: Environment; add?: string; remove?: string }) => {
      if (add) await ok(api.PUT('/api/v1/groups/{id}/environments/{envId}', { params: { path: { id: add, envId: env.id } } }));
      if (remove) await ok(api.DELETE('/api/v1/groups/{id}/environments/{envId}', { params: { path: { id: remove, envId: env.id } } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: environmentsKey }),
    onError: (error) => notifications.show({ color: 'red', title: 'Not done', message: messageOf(error) }),
  });
}

function GroupPanel({
  group,
  groups,
  environments,
  ownerId,
  onDeleted,
  onNewSubgroup,
}: {
  group: Group;
  groups: readonly Group[];
  environments: readonly Environment[];
  ownerId?: string | undefined;
  onDeleted: () => void;
  onNewSubgroup: () => void;
}) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const [adding, setAdding] = useState<string | null>(null);
  const [recursive, setRecursive] = useState(false);
  const membership = useMembership();
  const tree = groupTree(groups);
  const path = tree.flat.find((node) => node.group.id === group.id)?.path ?? group.name;
  const subgroups = groups.filter((candidate) => candidate.parentId === group.id);
  const inside = environments.filter((env) => env.groups.some((g) => g.id === group.id));
  const outside = environments.filter((env) => !env.groups.some((g) => g.id === group.id) && can(env, 'env.groups'));
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/groups/{id}', { params: { path: { id: group.id }, query: recursive ? { recursive: 'true' } : {} } })),
    onSuccess: () => {
      notifications.show({ message: `Group “${group.name}” deleted; its environments are kept.` });
      void queryClient.invalidateQueries({ queryKey: groupsKey });
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
      onDeleted();
    },
  });
  const others = tree.flat.filter((node) => node.group.id !== group.id);

  return (
    <Paper withBorder p="md" radius="md" style={{ flex: '1 1 28rem', minWidth: 0 }} component="section" aria-labelledby="group-title">
      <Stack gap="md">
        <Row justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id="group-title">
              {group.name}
            </Title>
            <Text size="xs" c="dimmed">
              {path}
            </Text>
          </div>
          <Row gap="xs">
            <Button size="xs" variant="default" onClick={onNewSubgroup} leftSection={<IconPlus size={14} />}>
              New subgroup
            </Button>
            <Button size="xs" variant="default" onClick={edit.open}>
              Rename or move
            </Button>
            <ConfirmAction
              title={`Delete the group “${group.name}”?`}
              confirmLabel="Delete group"
              onConfirm={() => remove.mutateAsync()}
              trigger={(open) => (
                <Button size="xs" variant="subtle" color="red" onClick={open}>
                  Delete
                </Button>
              )}
            >
              <Stack gap="xs">
                <Text size="sm">
                  Its environments are kept; they only leave the group. Shares of this group stop granting access to them.
                </Text>
                {subgroups.length ? (
                  <Checkbox
                    label={`Also delete its ${subgroups.length} subgroup${subgroups.length === 1 ? '' : 's'} (needed: a group with subgroups is deleted with them)`}
                    checked={recursive}
                    onChange={(event) => setRecursive(event.currentTarget.checked)}
                  />
                ) : null}
              </Stack>
            </ConfirmAction>
          </Row>
        </Row>
        {inside.length === 0 ? (
          <EmptyHint title="No environments in this group">Add one below, or from an environment's page.</EmptyHint>
        ) : (
          <DataTable minWidth={520} label={`Environments in ${group.name} `}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Environment</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Move or remove</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inside.map((env) => (
                  <Table.Tr key={env.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/environments/${env.id}`} size="sm">
                        {env.displayName || env.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge env={env} />
                    </Table.Td>
                    <Table.Td>
                      {can(env, 'env.groups') ? (
                        <Row gap="xs" wrap="nowrap">
                          <Select
                            size="xs"
                            placeholder="Move to…"
                            aria-label={`Move ${env.name} to another group`}
                            data={others.map((node) => ({ value: node.group.id, label: node.path }))}
                            value={null}
                            onChange={(target) => target && membership.mutate({ env, add: target, remove: group.id })}
                            w={170}
                          />
                          <Button size="xs" variant="subtle" onClick={() => membership.mutate({ env, remove: group.id })} aria-label={`Take ${env.name} out of ${group.name}`}>
                            Remove
                          </Button>
                        </Row>
                      ) : (
                        <Text size="xs" c="dimmed">
                          needs env.groups
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </DataTable>
        )}
        {outside.length ? (
          <Row gap="xs" align="flex-end">
            <Select
              label="Add an environment"
              placeholder="Choose an environment"
              data={outside.map((env) => ({ value: env.id, label: env.displayName || env.name }))}
              value={adding}
              onChange={setAdding}
              w={260}
              searchable
            />
            <Button
              variant="default"
              disabled={!adding}
              loading={membership.isPending}
              onClick={() => {
                const env = outside.find((candidate) => candidate.id === adding);
                if (env) membership.mutate({ env, add: group.id }, { onSuccess: () => setAdding(null) });
              }}
            >
              Add to group
            </Button>
          </Row>
        ) : null}
      </Stack>
      {editing ? <GroupDialog opened={editing} onClose={edit.close} groups={groups} group={group} ownerId={ownerId} /> : null}
    </Paper>
  );
}

/** Nested groups of environments: create, rename, nest, and move environments between them. */
export function GroupsPage() {
  const [params, setParams] = useSearchParams();
  const { owners } = useOwners();
  const ownerParam = params.get('owner');
  const owner = owners.find((candidate) => candidate.id === ownerParam) ?? owners.find((candidate) => candidate.mine) ?? owners[0];
  const ownerId = owner && !owner.mine ? owner.id : undefined;
  const groups = useGroups(ownerId, Boolean(owner));
  const environments = useEnvironments({ ownerId: owner?.id });
  const [creating, setCreating] = useState<{ parentId: string | null } | null>(null);
  const selectedId = params.get('group');
  const list = groups.data ?? [];
  const selected = list.find((group) => group.id === selectedId);
  const select = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('group', id);
    else next.delete('group');
    setParams(next);
  };

  return (
    <Page
      title="Groups"
      description="Groups sort environments; they nest, and an environment can be in several. Sharing a group shares its environments and subgroups, including ones added later."
      actions={
        owner ? (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating({ parentId: null })}>
            New group
          </Button>
        ) : null
      }
    >
      {owners.length > 1 ? (
        <Select
          label="Account"
          data={owners.map((candidate) => ({ value: candidate.id, label: candidate.mine ? 'My account' : `${candidate.name} (${candidate.email})` }))}
          value={owner?.id ?? null}
          onChange={(value) => setParams(value && value !== owners.find((o) => o.mine)?.id ? { owner: value } : {})}
          allowDeselect={false}
          maw={360}
        />
      ) : null}
      {!owner ? (
        <EmptyHint icon={<IconFolder size={28} />} title="No account to organise">
          A collaborator account owns no environments; groups of the accounts you work in appear here once an owner shares with you.
        </EmptyHint>
      ) : groups.isPending ? (
        <Loading label="Loading groups…" />
      ) : groups.isError ? (
        <LoadError error={groups.error} retry={() => void groups.refetch()} />
      ) : list.length === 0 ? (
        <EmptyHint
          icon={<IconFolder size={28} />}
          title="No groups yet"
          action={
            <Button size="sm" onClick={() => setCreating({ parentId: null })} leftSection={<IconPlus size={16} />}>
              Create a group
            </Button>
          }
        >
          Create groups such as “Production” and “Staging”, nest them, and file environments in them. Then share a whole group with a member at once.
        </EmptyHint>
      ) : (
        <Row align="flex-start" gap="lg" wrap="wrap">
          <Paper withBorder p="sm" radius="md" w={{ base: '100%', sm: 260 }}>
            <GroupTreeNav groups={list} selected={selectedId} onSelect={select} label="Groups" />
          </Paper>
          {selected ? (
            <GroupPanel
              key={selected.id}
              group={selected}
              groups={list}
              environments={environments.data ?? []}
              ownerId={ownerId}
              onDeleted={() => select(null)}
              onNewSubgroup={() => setCreating({ parentId: selected.id })}
            />
          ) : (
            <Text size="sm" c="dimmed" style={{ flex: '1 1 20rem' }}>
              Select a group to see its environments, rename it, move it or delete it.
            </Text>
          )}
        </Row>
      )}
      {creating ? (
        <GroupDialog
          opened
          onClose={() => setCreating(null)}
          groups={list}
          ownerId={ownerId}
          defaultParentId={creating.parentId}
          onSaved={(saved) => select(saved.id)}
        />
      ) : null}
    </Page>
  );
}
