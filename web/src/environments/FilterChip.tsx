import { CloseButton, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** An active filter of a list, with the button that clears it; long names (emails) wrap rather than being cut. */
export function FilterChip({ children, clearLabel, onClear, color = 'blue' }: { children: ReactNode; clearLabel: string; onClear: () => void; color?: string }) {
  return (
    <Group
      gap={4}
      wrap="nowrap"
      pl="sm"
      pr={4}
      py={2}
      maw="100%"
      bg={`var(--mantine-color-${color}-light)`}
      c={`var(--mantine-color-${color}-light-color)`}
      style={{ borderRadius: 16 }}
    >
      <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
        {children}
      </Text>
      <CloseButton size="sm" onClick={onClear} aria-label={clearLabel} c="inherit" />
    </Group>
  );
}
