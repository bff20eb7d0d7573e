import { Anchor, Button, Checkbox, Group as Row, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Environment, Group } from '../api/types';
import { OwnerScopeSelect, useOwnerScope } from '../collaboration/OwnerScope';
import { ConfirmAction, ConfirmDialog } from '../components/ConfirmAction';
import { filing, groupDeletion } from '../components/arrangements';
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

/** Files an environment into a group or takes it out, as its confirmation previewed. */
function useFiling() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ groupId, env, file }: { groupId: string; env: Environment; file: boolean }) => filing(groupId, env.id, file).run(false),
    onSettled: () => queryClient.invalidateQueries({ queryKey: environmentsKey }),
  });
}

interface GroupPanelProps {
  group: Group;
  /** Whether I may create groups at the account's top level (env.groups there). */
  canArrangeTop: boolean;
  groups: readonly Group[];
  environments: readonly Environment[];
  ownerId?: string | undefined;
  onDeleted: () => void;
  onNewSubgroup: () => void;
}

function GroupPanel({ group, groups, canArrangeTop, environments, ownerId, onDeleted, onNewSubgroup }: GroupPanelProps) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const [adding, setAdding] = useState<string | null>(null);
  const [filingOpen, filingDialog] = useDisclosure(false);
  const [recursive, setRecursive] = useState(false);
  const membership = useFiling();
  // Everything here changes the group itself: the API's permissions on it say whether I may.
  const arranges = group.permissions.includes('env.groups');
  const tree = groupTree(groups);
  const path = tree.flat.find((node) => node.group.id === group.id)?.path ?? group.name;
  const subgroups = groups.filter((candidate) => candidate.parentId === group.id);
  const inside = environments.filter((env) => env.groups.some((g) => g.id === group.id));
  const outside = environments.filter((env) => !env.groups.some((g) => g.id === group.id) && can(env, 'env.groups'));
  const deletion = groupDeletion(group.id, recursive);
  const remove = useMutation({
    mutationFn: () => deletion.run(false),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: groupsKey });
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
      onDeleted();
    },
  });
  const addingEnv = outside.find((candidate) => candidate.id === adding);
  const newEnvironment = `/environments?${new URLSearchParams({ ...(ownerId ? { owner: ownerId } : {}), group: group.id }).toString()}`;

  return (
    <div style={{ flex: '1 1 28rem', minWidth: 0 }}>
      <Section
        title={group.name}
        description={path}
        actions={
          arranges ? (
            <>
              <Button size="xs" variant="default" onClick={onNewSubgroup} leftSection={<IconPlus size={14} />}>
                New subgroup
              </Button>
              <Button size="xs" variant="default" onClick={edit.open}>
                Rename or move
              </Button>
              <ConfirmAction
                label="Delete"
                title={`Delete the group “${group.name}”?`}
                confirmLabel="Delete group"
                onConfirm={() => remove.mutateAsync()}
                arrangement={deletion}
              >
                <Stack gap="xs">
                  <Text size="sm">Its environments are kept; they only leave the group. Shares of this group end, and their members are told.</Text>
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
          ) : (
            <Text size="xs" c="dimmed">
              Arranging this group needs env.groups here
            </Text>
          )
        }
      >
        {inside.length === 0 ? (
          <EmptyHint title="No environments in this group">
            {outside.length && arranges ? (
              'Add one below, or from an environment’s page.'
            ) : group.permissions.includes('env.create') ? (
              <>
                <Anchor component={Link} to={newEnvironment}>
                  Create an environment
                </Anchor>{' '}
                and choose this group for it.
              </>
            ) : (
              'None of its environments is shared with you.'
            )}
          </EmptyHint>
        ) : (
          <DataTable minWidth={520} label={`Environments in ${group.name}`} columns={['Environment', 'Status', 'Take out of the group']}>
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
                  {can(env, 'env.groups') && arranges ? (
                    <ConfirmAction
                      label="Take out"
                      aria-label={`Take ${env.name} out of ${group.name}`}
                      title={`Take ${env.name} out of ${group.name}?`}
                      confirmLabel="Take out"
                      onConfirm={() => membership.mutateAsync({ groupId: group.id, env, file: false })}
                      arrangement={filing(group.id, env.id, false)}
                    >
                      {leaveGroupNote(env.name, group.name)}
                    </ConfirmAction>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {arranges ? 'Needs env.groups on this environment' : 'Needs env.groups on this group'}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
        {outside.length && arranges ? (
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
            <Button variant="default" disabled={!addingEnv} onClick={filingDialog.open}>
              Add to group
            </Button>
          </Row>
        ) : null}
        {addingEnv ? (
          <ConfirmDialog
            opened={filingOpen}
            onClose={filingDialog.close}
            title={`Add ${addingEnv.name} to ${group.name}?`}
            confirmLabel="Add to group"
            danger={false}
            onConfirm={() => membership.mutateAsync({ groupId: group.id, env: addingEnv, file: true }).then(() => setAdding(null))}
            arrangement={filing(group.id, addingEnv.id, true)}
          >
            Shares of {group.name} and of the groups above it then reach {addingEnv.name}.
          </ConfirmDialog>
        ) : null}
      </Section>
      {editing ? <GroupDialog opened={editing} onClose={edit.close} groups={groups} group={group} ownerId={ownerId} canArrangeTop={canArrangeTop} /> : null}
    </div>
  );
}

/** Nested groups of environments: create, rename, nest, and move environments between them. */
export function GroupsPage() {
  const [params, update] = useQueryString();
  const scope = useOwnerScope();
  const hasAccount = scope.accountId !== undefined;
  const groups = useGroups(scope.ownerId, scope.ready && hasAccount);
  // A top-level group is arranged at the account's level: the API's account-level permissions say whether I may.
  const canArrangeTop = scope.can('env.groups');
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
      actions={canArrangeTop ? newGroup('New group') : null}
    >
      <OwnerScopeSelect scope={scope} />
      {!hasAccount ? (
        <EmptyHint icon={<IconFolder size={28} />} title="No account to organise">
          A collaborator account owns no environments; groups of the accounts you work in appear here once an owner shares with you.
        </EmptyHint>
      ) : (
        (queryFallback(groups, 'Loading groups…') ??
        (list.length === 0 ? (
          canArrangeTop ? (
            <EmptyHint icon={<IconFolder size={28} />} title="No groups yet" action={newGroup('Create a group', 'sm')}>
              Create groups such as “Production” and “Staging”, nest them, and file environments in them. Then share a whole group with a member at once.
            </EmptyHint>
          ) : (
            <EmptyHint icon={<IconFolder size={28} />} title="No groups to show">
              None of this account’s groups is shared with you. Creating groups here needs env.groups on all its environments.
            </EmptyHint>
          )
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
                canArrangeTop={canArrangeTop}
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
        <GroupDialog
          opened
          onClose={() => setCreating(null)}
          groups={list}
          ownerId={scope.ownerId}
          canArrangeTop={canArrangeTop}
          defaultParentId={creating.parentId}
          onSaved={(saved) => select(saved.id)}
        />
      ) : null}
    </Page>
  );
}
