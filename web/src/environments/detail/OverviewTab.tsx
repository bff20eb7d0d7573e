import { ActionIcon, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { DataTable } from '../../components/DataTable';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, messageOf, ok } from '../../api/client';
import { showProblem } from '../../api/forms';
import type { Environment, NodeSpec } from '../../api/types';
import { FormAlert } from '../../components/Feedback';
import { IconTrash } from '../../components/Icons';
import { formatDateTime } from '../../components/format';
import { accessLabel, can, environmentNameError, groupTree } from '../model';
import { NodesEditor, validateNodes } from '../NodesEditor';
import { environmentsKey, groupsKey, useGroups } from '../queries';

function useRefresh() {
  const queryClient = useQueryClient();
  return (env?: Environment) => {
    if (env) queryClient.setQueryData([...environmentsKey, 'one', env.id], env);
    void queryClient.invalidateQueries({ queryKey: environmentsKey });
    void queryClient.invalidateQueries({ queryKey: groupsKey });
  };
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function RenameDialog({ env, opened, onClose }: { env: Environment; opened: boolean; onClose: () => void }) {
  const refresh = useRefresh();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { displayName: env.displayName || env.name },
    validate: { displayName: (value) => (value.trim().length >= 1 && value.length <= 100 ? null : 'Use 1 to 100 characters') },
  });
  const rename = useMutation({
    mutationFn: (displayName: string) => ok(api.PATCH('/api/v1/environments/{id}', { params: { path: { id: env.id } }, body: { displayName } })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Rename ${env.name}`}>
      <form
        onSubmit={form.onSubmit(({ displayName }) => {
          setFormError(null);
          rename.mutate(displayName.trim(), {
            onSuccess: (updated) => {
              refresh(updated);
              onClose();
            },
            onError: (error) => setFormError(showProblem(form, error)),
          });
        })}
        noValidate
      >
        <Stack gap="md">
          <FormAlert message={formError} />
          <TextInput label="Display name" description="Free text; the name and domain stay as they are" data-autofocus {...form.getInputProps('displayName')} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={rename.isPending}>
              Rename
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CloneDialog({ env, opened, onClose }: { env: Environment; opened: boolean; onClose: () => void }) {
  const refresh = useRefresh();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { name: `${env.name}-copy`.slice(0, 40) }, validate: { name: environmentNameError } });
  const clone = useMutation({
    mutationFn: (name: string) => ok(api.POST('/api/v1/environments/{id}/clone', { params: { path: { id: env.id } }, body: { name } })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Clone ${env.name}`}>
      <form
        onSubmit={form.onSubmit(({ name }) => {
          setFormError(null);
          clone.mutate(name, {
            onSuccess: (created) => {
              refresh();
              onClose();
              notifications.show({ color: 'green', message: `${created.name} is being created as a copy of ${env.name}.` });
              void navigate(`/environments/${created.id}`);
            },
            onError: (error) => setFormError(showProblem(form, error, { missing_permission: 'name', conflict: 'name' })),
          });
        })}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">
            The copy has the same topology, variables and application, belongs to {env.owner.name} and joins the same groups.
          </Text>
          <FormAlert message={formError} />
          <TextInput label="Name of the copy" required data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={clone.isPending}>
              Clone
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TopologyDialog({ env, opened, onClose }: { env: Environment; opened: boolean; onClose: () => void }) {
  const refresh = useRefresh();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ nodes: NodeSpec[] }>({
    initialValues: { nodes: env.nodes.map(({ role, image, count, cloudlets }) => ({ role, image, count, cloudlets })) },
    validate: (values) => validateNodes(values.nodes),
  });
  const save = useMutation({
    mutationFn: (nodes: NodeSpec[]) => ok(api.PUT('/api/v1/environments/{id}/topology', { params: { path: { id: env.id } }, body: { nodes } })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Topology of ${env.name}`} size="lg">
      <form
        onSubmit={form.onSubmit(({ nodes }) => {
          setFormError(null);
          save.mutate(
            nodes.map((node) => ({ ...node, count: Number(node.count), cloudlets: Number(node.cloudlets) })),
            {
              onSuccess: (updated) => {
                refresh(updated);
                onClose();
                notifications.show({ color: 'green', message: 'Topology saved.' });
              },
              onError: (error) => setFormError(showProblem(form, error)),
            },
          );
        })}
        noValidate
      >
        <Stack gap="md">
          <FormAlert message={formError} />
          <NodesEditor form={form} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save topology
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function GroupsSection({ env }: { env: Environment }) {
  const refresh = useRefresh();
  const groups = useGroups(env.access === 'owner' ? undefined : env.owner.id, can(env, 'env.groups'));
  const [adding, setAdding] = useState<string | null>(null);
  const membership = useMutation({
    mutationFn: ({ groupId, add }: { groupId: string; add: boolean }) => {
      const params = { params: { path: { id: groupId, envId: env.id } } };
      return add ? ok(api.PUT('/api/v1/groups/{id}/environments/{envId}', params)) : ok(api.DELETE('/api/v1/groups/{id}/environments/{envId}', params));
    },
    onSuccess: (updated) => {
      setAdding(null);
      refresh(updated);
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Not done', message: messageOf(error) }),
  });
  const member = new Set(env.groups.map((group) => group.id));
  const candidates = groupTree(groups.data ?? []).flat.filter((node) => !member.has(node.group.id));
  return (
    <Stack gap="xs">
      <Group gap={6}>
        {env.groups.length === 0 ? (
          <Text size="sm" c="dimmed">
            In no group.
          </Text>
        ) : (
          env.groups.map((group) => (
            <Badge
              key={group.id}
              variant="light"
              color="gray"
              style={{ textTransform: 'none' }}
              rightSection={
                can(env, 'env.groups') ? (
                  <ActionIcon
                    size="xs"
                    variant="transparent"
                    color="gray"
                    onClick={() => membership.mutate({ groupId: group.id, add: false })}
                    aria-label={`Take ${env.name} out of ${group.name}`}
                  >
                    <IconTrash size={12} />
                  </ActionIcon>
                ) : null
              }
            >
              {group.name}
            </Badge>
          ))
        )}
      </Group>
      {can(env, 'env.groups') && candidates.length > 0 ? (
        <Group gap="xs" align="flex-end">
          <Select
            label="Add to a group"
            placeholder="Choose a group"
            data={candidates.map((node) => ({ value: node.group.id, label: node.path }))}
            value={adding}
            onChange={setAdding}
            size="xs"
            w={240}
          />
          <Button
            size="xs"
            variant="default"
            disabled={!adding}
            loading={membership.isPending}
            onClick={() => adding && membership.mutate({ groupId: adding, add: true })}
          >
            Add
          </Button>
        </Group>
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
      <Paper withBorder p="md" radius="md">
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} size="h4">
              Details
            </Title>
            <Group gap="xs">
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
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <Fact label="Name">{env.name}</Fact>
            <Fact label="Domain">{env.domain}</Fact>
            <Fact label="Owner">
              {env.owner.name} ({env.owner.email})
            </Fact>
            <Fact label="Your access">{accessLabel[env.access]}</Fact>
            <Fact label="Created">
              {formatDateTime(env.createdAt)}
              {env.createdBy ? ` by ${env.createdBy.name}` : ''}
            </Fact>
            <Fact label="Application">{env.deployedSource ?? 'none deployed'}</Fact>
          </SimpleGrid>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
              Groups
            </Text>
            <GroupsSection env={env} />
          </div>
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4">
              Topology
            </Title>
            {can(env, 'env.topology') ? (
              <Button size="xs" variant="default" onClick={edit.open}>
                Edit topology
              </Button>
            ) : null}
          </Group>
          <DataTable minWidth={480} label="Nodes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Image</Table.Th>
                  <Table.Th>Nodes</Table.Th>
                  <Table.Th>Cloudlets each</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {env.nodes.map((node) => (
                  <Table.Tr key={node.role}>
                    <Table.Td fw={500}>{node.role}</Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {node.image}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {node.count}
                      {node.instances.length ? (
                        <Text size="xs" c="dimmed">
                          {node.instances.map((instance) => `#${instance.ordinal} ${instance.status}`).join(', ')}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{node.cloudlets}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </DataTable>
          <Text size="xs" c="dimmed">
            {env.cloudlets} cloudlets in all; one cloudlet is 128 MiB of RAM and 400 MHz of CPU.
          </Text>
        </Stack>
      </Paper>
      {renaming ? <RenameDialog env={env} opened={renaming} onClose={rename.close} /> : null}
      {cloning ? <CloneDialog env={env} opened={cloning} onClose={clone.close} /> : null}
      {editing ? <TopologyDialog env={env} opened={editing} onClose={edit.close} /> : null}
    </Stack>
  );
}
