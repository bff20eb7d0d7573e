import { Anchor, Box, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { Link } from 'react-router';

/** Sets the browser tab's title for the current page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Shareplane`;
  }, [title]);
}

interface PageProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** The page this one belongs to, as a breadcrumb above the title: "Environments › shop". */
  parent?: { to: string; label: string };
  children: ReactNode;
}

/** A dashboard page: its one h1 (focused after navigation), an optional description and actions, then the content. */
export function Page({ title, description, actions, parent, children }: PageProps) {
  usePageTitle(title);
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        {parent ? (
          <Box component="nav" aria-label="Breadcrumb">
            <Breadcrumbs separatorMargin={6}>
              <Anchor component={Link} to={parent.to} size="sm">
                {parent.label}
              </Anchor>
              <Text size="sm" aria-current="page" style={{ overflowWrap: 'anywhere' }}>
                {title}
              </Text>
            </Breadcrumbs>
          </Box>
        ) : null}
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} style={{ flex: '1 1 16rem', minWidth: 0 }}>
            <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none', overflowWrap: 'anywhere' }}>
              {title}
            </Title>
            {description ? (
              <Text c="dimmed" size="sm" component="div">
                {description}
              </Text>
            ) : null}
          </Stack>
          {actions ? <Group gap="xs">{actions}</Group> : null}
        </Group>
      </Stack>
      {children}
    </Stack>
  );
}
