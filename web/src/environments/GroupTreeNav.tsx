import { NavLink, Stack, Text } from '@mantine/core';
import type { Group } from '../api/types';
import { IconFolder } from '../components/Icons';
import { type GroupNode, groupTree } from './model';

/** A nested, keyboard-usable list of groups; the selected one is marked as current. */
export function GroupTreeNav({
  groups,
  selected,
  onSelect,
  label,
}: {
  groups: readonly Group[];
  selected: string | null;
  onSelect: (groupId: string | null) => void;
  label: string;
}) {
  const { roots } = groupTree(groups);
  const render = (nodes: GroupNode[]) =>
    nodes.map((node) => (
      <NavLink
        key={node.group.id}
        component="button"
        type="button"
        label={node.group.name}
        leftSection={<IconFolder size={16} />}
        active={selected === node.group.id}
        aria-pressed={selected === node.group.id}
        onClick={() => onSelect(selected === node.group.id ? null : node.group.id)}
        opened
        childrenOffset={16}
        py={4}
        aria-label={`Group ${node.path}`}
      >
        {node.children.length ? render(node.children) : undefined}
      </NavLink>
    ));
  return (
    <Stack gap={2} component="nav" aria-label={label}>
      {roots.length === 0 ? (
        <Text size="xs" c="dimmed" px="xs">
          No groups yet.
        </Text>
      ) : (
        render(roots)
      )}
    </Stack>
  );
}
