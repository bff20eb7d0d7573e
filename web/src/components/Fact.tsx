import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled fact of a summary panel: a small uppercase label over its value. */
export function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}
