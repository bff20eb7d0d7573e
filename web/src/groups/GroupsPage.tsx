import { Anchor, Button, Checkbox, Group as Row, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, messageOf, ok } from '../api/client';
import type { Environment, Group } from '../api/types';
import { OwnerScopeSelect, useOwnerScope } from '../collaboration/OwnerScope';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { IconFolder, IconPlus } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { useQueryString } from '../components/useQueryString';
import { GroupTreeNav } from '../environments/GroupTreeNav';
import { can, groupTree, leaveGroupNote } from '../environments/model';
import { environmentsKey, groupsKey, useEnvironments, useGroups } from '../environments/queries';
import { StatusBadge } from '../environments/StatusBadge';
import { GroupDialog } from './GroupDialogs';

/** Files an environment into a group (`add`), takes it out of one (`remove`), or both: a move. */
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

interface GroupPanelProps {
  group: Group;
  groups: readonly Group[];
  environments: readonly Environment[];
  ownerId?: string | undefined;
  onDeleted: () => void;
  onNewSubgroup: () => void;
}

function GroupPanel({ group, groups, environments, ownerId, onDeleted, onNewSubgroup }: GroupPanelProps) {
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
  const newEnvironment = `/environments?${new URLSearchParams({ ...(ownerId ? { owner: ownerId } : {}), group: group.id }).toString()}`;

  return (
    <div style={{ flex: '1 1 28rem', minWidth: 0 }}>
      <Section
        title={group.name}
        description={path}
        actions={
          <>
            <Button size="xs" variant="default" onClick={onNewSubgroup} leftSection={<IconPlus size={14} />}>
              New subgroup
            </Button>
            <Button size="xs" variant="default" onClick={edit.open}>
              Rename or move
            </Button>
            <ConfirmAction label="Delete" title={`Delete the group “${group.name}”?`} confirmLabel="Delete group" onConfirm={() => remove.mutateAsync()}>
              <Stack gap="xs">
                <Text size="sm">Its environments are kept; they only leave the group. Shares of this group stop granting access to them.</Text>
                {subgroups.length ? (
                  <Checkbox
                    label={`Also delete its ${subgroups.length} subgroup${subgroups.length === 1 ? '' : 's'} (needed: a group with subgroups is deleted with them)`}
                    checked={recursive}
                    onChange={(event) => setRecursive(event.currentTarget.checked)}
                  />
                ) : null}
              </Stack>
            </ConfirmAction>
          </>
        }
      >
        {inside.length === 0 ? (
          <EmptyHint title="No environments in this group">
            {outside.length ? (
              'Add one below, or from an environment’s page.'
            ) : (
              <>
                Every environment you can file is here already, or there is none yet.{' '}
                <Anchor component={Link} to={newEnvironment}>
                  Create an environment
                </Anchor>{' '}
                and choose this group for it.
              </>
            )}
          </EmptyHint>
        ) : (
          <DataTable minWidth={520} label={`Environments in ${group.name}`} columns={['Environment', 'Status', 'Move or remove']}>
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
                      <ConfirmAction
                        label="Remove"
                        aria-label={`Take ${env.name} out of ${group.name}`}
                        title={`Take ${env.name} out of ${group.name}?`}
                        confirmLabel="Take out"
                        onConfirm={() => membership.mutateAsync({ env, remove: group.id })}
                      >
                        {leaveGroupNote(env.name, group.name)}
                      </ConfirmAction>
                    </Row>
                  ) : (
                    <Text size="xs" c="dimmed">
                      needs env.groups
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
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
              w={{ base: '100%', xs: 260 }}
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
      </Section>
      {editing ? <GroupDialog opened={editing} onClose={edit.close} groups={groups} group={group} ownerId={ownerId} /> : null}
    </div>
  );
}

/** Nested groups of environments: create, rename, nest, and move environments between them. */
export function GroupsPage() {
  const [params, update] = useQueryString();
  const scope = useOwnerScope();
  const hasAccount = scope.accountId !== undefined;
  const groups = useGroups(scope.ownerId, hasAccount);
  const environments = useEnvironments({ ownerId: scope.accountId });
  const [creating, setCreating] = useState<{ parentId: string | null } | null>(null);
  const selectedId = params.get('group');
  const list = groups.data ?? [];
  const selected = list.find((group) => group.id === selectedId);
  const select = (id: string | null) => update({ group: id });
  const newGroup = (label: string, size?: 'sm') => (
    <Button size={size} leftSection={<IconPlus size={16} />} onClick={() => setCreating({ parentId: null })}>
      {label}
    </Button>
  );

  return (
    <Page
      title="Groups"
      description="Groups sort environments; they nest, and an environment can be in several. Sharing a group shares its environments and subgroups, including ones added later."
      actions={hasAccount ? newGroup('New group') : null}
    >
      <OwnerScopeSelect scope={scope} />
      {!hasAccount ? (
        <EmptyHint icon={<IconFolder size={28} />} title="No account to organise">
          A collaborator account owns no environments; groups of the accounts you work in appear here once an owner shares with you.
        </EmptyHint>
      ) : (
        (queryFallback(groups, 'Loading groups…') ??
        (list.length === 0 ? (
          <EmptyHint icon={<IconFolder size={28} />} title="No groups yet" action={newGroup('Create a group', 'sm')}>
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
                ownerId={scope.ownerId}
                onDeleted={() => select(null)}
                onNewSubgroup={() => setCreating({ parentId: selected.id })}
              />
            ) : (
              <Text size="sm" c="dimmed" style={{ flex: '1 1 20rem' }}>
                Select a group to see its environments, rename it, move it or delete it.
              </Text>
            )}
          </Row>
        )))
      )}
      {creating ? (
        <GroupDialog opened onClose={() => setCreating(null)} groups={list} ownerId={scope.ownerId} defaultParentId={creating.parentId} onSaved={(saved) => select(saved.id)} />
      ) : null}
    </Page>
  );
}
