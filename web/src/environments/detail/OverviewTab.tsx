import { Button, Group, Pill, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, applied, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { Environment, NodeSpec } from '../../api/types';
import { filing } from '../../components/arrangements';
import { ConfirmDialog } from '../../components/ConfirmAction';
import { DataTable } from '../../components/DataTable';
import { Fact } from '../../components/Fact';
import { formatDateTime } from '../../components/format';
import { FormDialog } from '../../components/FormDialog';
import { Section } from '../../components/Section';
import { accessLabel, can, environmentNameError, groupTree, leaveGroupNote } from '../model';
import { NodesEditor, nodesBody, validateNodes } from '../NodesEditor';
import { PersonName } from '../../components/PersonLabel';
import { HeldShares } from '../../collaboration/HeldShares';
import { environmentsKey, groupsKey, useGroups } from '../queries';

/** After a change: the environment as the API answered it, and the lists that show it. */
function useRefresh() {
  const queryClient = useQueryClient();
  return (env?: Environment) => {
    if (env) queryClient.setQueryData([...environmentsKey, 'one', env.id], env);
    void queryClient.invalidateQueries({ queryKey: environmentsKey });
    void queryClient.invalidateQueries({ queryKey: groupsKey });
  };
}

interface DialogProps {
  env: Environment;
  opened: boolean;
  onClose: () => void;
}

function RenameDialog({ env, opened, onClose }: DialogProps) {
  const refresh = useRefresh();
  const form = useForm({
    initialValues: { displayName: env.displayName || env.name },
    validate: { displayName: (value) => (value.trim().length >= 1 && value.length <= 100 ? null : 'Use 1 to 100 characters') },
  });
  const problem = useFormProblem(form);
  const rename = useMutation({
    mutationFn: (displayName: string) => ok(api.PATCH('/api/v1/environments/{id}', { params: { path: { id: env.id } }, body: { displayName } })),
    onSuccess: (updated) => {
      refresh(updated);
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Rename ${env.name}`}
      error={problem.message}
      onSubmit={form.onSubmit(({ displayName }) => problem.watch(rename.mutateAsync(displayName.trim())))}
      submitLabel="Rename"
      submitting={rename.isPending}
    >
      <TextInput label="Display name" description="Free text; the name and domain stay as they are" data-autofocus {...form.getInputProps('displayName')} />
    </FormDialog>
  );
}

function CloneDialog({ env, opened, onClose }: DialogProps) {
  const refresh = useRefresh();
  const navigate = useNavigate();
  const form = useForm({ initialValues: { name: `${env.name}-copy`.slice(0, 40) }, validate: { name: environmentNameError } });
  const problem = useFormProblem(form, { codes: { missing_permission: 'name', conflict: 'name' } });
  const clone = useMutation({
    mutationFn: (name: string) => ok(api.POST('/api/v1/environments/{id}/clone', { params: { path: { id: env.id } }, body: { name } })).then(applied),
    onSuccess: (created) => {
      refresh();
      onClose();
      void navigate(`/environments/${created.id}`);
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Clone ${env.name}`}
      intro={<Text size="sm">The copy has the same topology, variables and application, belongs to {env.owner.name} and joins the same groups.</Text>}
      error={problem.message}
      onSubmit={form.onSubmit(({ name }) => problem.watch(clone.mutateAsync(name)))}
      submitLabel="Clone"
      submitting={clone.isPending}
    >
      <TextInput label="Name of the copy" required data-autofocus {...form.getInputProps('name')} />
    </FormDialog>
  );
}

function TopologyDialog({ env, opened, onClose }: DialogProps) {
  const refresh = useRefresh();
  const form = useForm<{ nodes: NodeSpec[] }>({
    initialValues: { nodes: env.nodes.map(({ role, image, count, cloudlets }) => ({ role, image, count, cloudlets })) },
    validate: (values) => validateNodes(values.nodes),
  });
  const problem = useFormProblem(form);
  const save = useMutation({
    mutationFn: (nodes: NodeSpec[]) => ok(api.PUT('/api/v1/environments/{id}/topology', { params: { path: { id: env.id } }, body: { nodes } })),
    onSuccess: (updated) => {
      refresh(updated);
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Topology of ${env.name}`}
      size="lg"
      error={problem.message}
      onSubmit={form.onSubmit(({ nodes }) => problem.watch(save.mutateAsync(nodesBody(nodes))))}
      submitLabel="Save topology"
      submitting={save.isPending}
    >
      <NodesEditor form={form} />
    </FormDialog>
  );
}

/** The groups the environment is filed in, each removable, and adding it to another (env.groups). */
function GroupsSection({ env }: { env: Environment }) {
  const refresh = useRefresh();
  const editable = can(env, 'env.groups');
  const groups = useGroups(env.access === 'owner' ? undefined : env.owner.id, editable);
  const [adding, setAdding] = useState<string | null>(null);
  const [filingOpen, filingDialog] = useDisclosure(false);
  // The group to take the environment out of, once asked: it may end members' access.
  const [leaving, setLeaving] = useState<{ id: string; name: string } | null>(null);
  const membership = useMutation({
    mutationFn: ({ groupId, add }: { groupId: string; add: boolean }) =>
      filing(groupId, env.id, add)
        .run(false)
        .then((answer) => applied(answer as Environment)),
    onSuccess: (updated) => {
      setAdding(null);
      refresh(updated);
    },
  });
  // Filing both ways needs env.groups on the environment and on the group: the API's permissions say where.
  const arrangeable = new Set((groups.data ?? []).filter((group) => group.permissions.includes('env.groups')).map((group) => group.id));
  const member = new Set(env.groups.map((group) => group.id));
  const candidates = groupTree(groups.data ?? []).flat.filter((node) => !member.has(node.group.id) && arrangeable.has(node.group.id));
  const addingPath = candidates.find((node) => node.group.id === adding)?.path ?? '';
  return (
    <Stack gap="xs">
      {env.groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          In no group.
        </Text>
      ) : (
        <Pill.Group>
          {env.groups.map((group) => (
            <Pill
              key={group.id}
              size="md"
              withRemoveButton={editable && arrangeable.has(group.id)}
              onRemove={() => setLeaving(group)}
              // Mantine hides the remove button from the keyboard (it expects a pills input): this one is the only way.
              removeButtonProps={{ 'aria-label': `Take ${env.name} out of ${group.name}`, 'aria-hidden': false, tabIndex: 0 }}
            >
              {group.name}
            </Pill>
          ))}
        </Pill.Group>
      )}
      {editable && candidates.length > 0 ? (
        <Group gap="xs" align="flex-end">
          <Select
            label="Add to a group"
            placeholder="Choose a group"
            data={candidates.map((node) => ({ value: node.group.id, label: node.path }))}
            value={adding}
            onChange={setAdding}
            size="xs"
            w={{ base: '100%', xs: 240 }}
          />
          <Button size="xs" variant="default" disabled={!adding} onClick={filingDialog.open}>
            Add
          </Button>
        </Group>
      ) : null}
      <ConfirmDialog
        opened={leaving !== null}
        onClose={() => setLeaving(null)}
        title={`Take ${env.name} out of ${leaving?.name ?? ''}?`}
        confirmLabel="Take out"
        onConfirm={() => (leaving ? membership.mutateAsync({ groupId: leaving.id, add: false }) : Promise.resolve())}
        {...(leaving ? { arrangement: filing(leaving.id, env.id, false) } : {})}
      >
        {leaveGroupNote(env.name, leaving?.name ?? '')}
      </ConfirmDialog>
      {adding ? (
        <ConfirmDialog
          opened={filingOpen}
          onClose={filingDialog.close}
          title={`Add ${env.name} to ${addingPath}?`}
          confirmLabel="Add to group"
          danger={false}
          onConfirm={() => membership.mutateAsync({ groupId: adding, add: true })}
          arrangement={filing(adding, env.id, true)}
        >
          Shares of {addingPath} and of the groups above it then reach {env.name}.
        </ConfirmDialog>
      ) : null}
    </Stack>
  );
}

/** What the environment is, where it is filed, and its nodes; with rename, clone and topology editing when allowed. */
export function OverviewTab({ env }: { env: Environment }) {
  const [renaming, rename] = useDisclosure(false);
  const [cloning, clone] = useDisclosure(false);
  const [editing, edit] = useDisclosure(false);
  return (
    <Stack gap="md">
      <Section
        title="Details"
        actions={
          <>
            {can(env, 'env.rename') ? (
              <Button size="xs" variant="default" onClick={rename.open}>
                Rename
              </Button>
            ) : null}
            {can(env, 'env.clone') ? (
              <Button size="xs" variant="default" onClick={clone.open}>
                Clone
              </Button>
            ) : null}
          </>
        }
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
          <Fact label="Name">{env.name}</Fact>
          <Fact label="Domain">{env.domain}</Fact>
          <Fact label="Owner">
            {env.owner.name} ({env.owner.email})
          </Fact>
          <Fact label="Your access">
            {accessLabel[env.access]}
            {env.access === 'owner' ? null : <HeldShares shares={env.heldThrough} empty="No share of yours decides it." />}
          </Fact>
          <Fact label="Created">
            {formatDateTime(env.createdAt)}
            {env.createdBy ? (
              <>
                {' by '}
                <PersonName person={env.createdBy} />
              </>
            ) : null}
          </Fact>
          <Fact label="Application">{env.deployedSource ?? 'none deployed'}</Fact>
        </SimpleGrid>
        <Fact label="Groups">
          <GroupsSection env={env} />
        </Fact>
      </Section>
      <Section
        title="Topology"
        description={`${env.cloudlets} cloudlets in all; one cloudlet is 128 MiB of RAM and 400 MHz of CPU.`}
        actions={
          can(env, 'env.topology') ? (
            <Button size="xs" variant="default" onClick={edit.open}>
              Edit topology
            </Button>
          ) : null
        }
      >
        <DataTable minWidth={480} label="Nodes" columns={['Role', 'Image', 'Nodes', 'Cloudlets each']}>
          {env.nodes.map((node) => (
            <Table.Tr key={node.role}>
              <Table.Td fw={500}>{node.role}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {node.image}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{node.count}</Text>
                {node.instances.length ? (
                  <Text size="xs" c="dimmed">
                    {node.instances.map((instance) => `#${instance.ordinal} ${instance.status}`).join(', ')}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{node.cloudlets}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      </Section>
      {renaming ? <RenameDialog env={env} opened={renaming} onClose={rename.close} /> : null}
      {cloning ? <CloneDialog env={env} opened={cloning} onClose={clone.close} /> : null}
      {editing ? <TopologyDialog env={env} opened={editing} onClose={edit.close} /> : null}
    </Stack>
  );
}
