import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { messageOf } from '../api/client';
import { IconAlert } from './Icons';

/** The message an API call left for the whole form (fields get theirs next to them). */
export function FormAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
      {message}
    </Alert>
  );
}

/** A centered spinner with a label screen readers announce. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden="true" />
        <Text size="sm">{label}</Text>
      </Group>
    </Center>
  );
}

/** A failed load, with what went wrong and a retry. */
export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title="Could not load this" role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{messageOf(error)}</Text>
        {retry ? (
          <Button size="xs" variant="default" onClick={retry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** An empty list that says what it would hold and what to do next. */
export function EmptyHint({ icon, title, children, action }: { icon?: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="xl" px="md" ta="center" style={{ border: '1px dashed var(--mantine-color-gray-4)', borderRadius: 8 }}>
      {icon ? <Text c="dimmed">{icon}</Text> : null}
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" maw={520}>
        {children}
      </Text>
      {action}
    </Stack>
  );
}
