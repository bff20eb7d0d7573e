import { ActionIcon, Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { NodeSpec } from '../api/types';
import { IconPlus, IconTrash } from '../components/Icons';

export const NEW_NODE: NodeSpec = { role: 'db', image: 'postgres:16', count: 1, cloudlets: 4 };

/** Checks of one node row; the API checks again (role: a DNS label, image: a reference like nginx:1.27). */
export function nodeErrors(node: NodeSpec): Partial<Record<keyof NodeSpec, string>> {
  const errors: Partial<Record<keyof NodeSpec, string>> = {};
  if (!/^[a-z][a-z0-9-]{0,29}$/.test(node.role)) errors.role = 'Lowercase letters, digits and dashes, e.g. app';
  if (!/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/.test(node.image)) errors.image = 'An image like nginx:1.27';
  if (!Number.isInteger(node.count) || node.count < 1 || node.count > 20) errors.count = '1 to 20';
  if (!Number.isInteger(node.cloudlets) || node.cloudlets < 1 || node.cloudlets > 64) errors.cloudlets = '1 to 64';
  return errors;
}

/** The form validation of a `nodes` list field. */
export function validateNodes(nodes: NodeSpec[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (nodes.length === 0) errors.nodes = 'Add at least one node';
  nodes.forEach((node, index) => {
    for (const [field, message] of Object.entries(nodeErrors(node))) errors[`nodes.${index}.${field}`] = message;
  });
  return errors;
}

/** The nodes as the API takes them: number inputs may hold strings while typed. */
export function nodesBody(nodes: NodeSpec[]): NodeSpec[] {
  return nodes.map((node) => ({ ...node, count: Number(node.count), cloudlets: Number(node.cloudlets) }));
}

/** Edits the `nodes` list of a form: role, image, count and cloudlets (128 MiB + 400 MHz each) per row. */
export function NodesEditor<V extends { nodes: NodeSpec[] }>({ form }: { form: UseFormReturnType<V> }) {
  const nodes = (form.getValues() as { nodes: NodeSpec[] }).nodes;
  const total = nodes.reduce((sum, node) => sum + (Number(node.count) || 0) * (Number(node.cloudlets) || 0), 0);
  const anyForm = form as unknown as UseFormReturnType<{ nodes: NodeSpec[] }>;
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600} id="nodes-label">
        Nodes
      </Text>
      {nodes.map((_node, index) => (
        <Group key={anyForm.key(`nodes.${index}`)} gap="xs" align="flex-start" wrap="wrap" role="group" aria-label={`Node ${index + 1}`}>
          <TextInput label="Role" w={110} {...anyForm.getInputProps(`nodes.${index}.role`)} key={anyForm.key(`nodes.${index}.role`)} />
          <TextInput
            label="Image"
            style={{ flex: '1 1 10rem' }}
            {...anyForm.getInputProps(`nodes.${index}.image`)}
            key={anyForm.key(`nodes.${index}.image`)}
          />
          <NumberInput label="Count" w={80} min={1} max={20} {...anyForm.getInputProps(`nodes.${index}.count`)} key={anyForm.key(`nodes.${index}.count`)} />
          <NumberInput
            label="Cloudlets"
            w={95}
            min={1}
            max={64}
            {...anyForm.getInputProps(`nodes.${index}.cloudlets`)}
            key={anyForm.key(`nodes.${index}.cloudlets`)}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={25}
            size="lg"
            onClick={() => anyForm.removeListItem('nodes', index)}
            disabled={nodes.length === 1}
            aria-label={`Remove node ${index + 1}`}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      {anyForm.errors.nodes ? (
        <Text size="xs" c="var(--mantine-color-error)" role="alert">
          {anyForm.errors.nodes}
        </Text>
      ) : null}
      <Group justify="space-between">
        <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => anyForm.insertListItem('nodes', { ...NEW_NODE })}>
          Add a node
        </Button>
        <Text size="xs" c="dimmed">
          {total} cloudlets in all ({(total * 128) / 1024} GiB RAM)
        </Text>
      </Group>
    </Stack>
  );
}
