import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

interface SectionProps {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons at the heading's end; they move under it on narrow screens. */
  actions?: ReactNode;
  children?: ReactNode;
  'data-testid'?: string;
}

/** A titled panel of a page: a region named by its h2, an optional description and actions, then the content. */
export function Section({ title, description, actions, children, ...rest }: SectionProps) {
  const id = useId();
  return (
    <Paper withBorder p={{ base: 'sm', xs: 'md' }} radius="md" component="section" aria-labelledby={id} {...rest}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <div style={{ flex: '1 1 16rem', minWidth: 0 }}>
            <Title order={2} size="h4" id={id}>
              {title}
            </Title>
            {description ? (
              <Text size="sm" c="dimmed" component="div">
                {description}
              </Text>
            ) : null}
          </div>
          {actions ? <Group gap="xs">{actions}</Group> : null}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
