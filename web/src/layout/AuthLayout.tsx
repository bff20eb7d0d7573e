import { Anchor, Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDevMailAvailable } from '../auth/session';
import { usePageTitle } from '../components/Page';
import { Brand } from './Brand';

/** The frame of the signed-out pages: the brand, one card with the page's h1, and the dev mailbox link when there is no SMTP. */
export function AuthLayout({ title, children, width = 440 }: { title: string; children: ReactNode; width?: number }) {
  usePageTitle(title);
  const devMail = useDevMailAvailable();
  return (
    <Box mih="100dvh" bg="gray.0" px="md" py="xl">
      <Center>
        <Stack w="100%" maw={width} gap="lg">
          <Box component="header">
            <Brand />
          </Box>
          <Paper component="main" withBorder shadow="xs" radius="md" p={{ base: 'md', sm: 'xl' }}>
            <Stack gap="md">
              <Title order={1} size="h2">
                {title}
              </Title>
              {children}
            </Stack>
          </Paper>
          {devMail ? (
            <Group component="footer" justify="center">
              <Text size="sm">
                No mail server is configured: mails land in the <Anchor component={Link} to="/dev/mail">dev mailbox</Anchor>.
              </Text>
            </Group>
          ) : null}
        </Stack>
      </Center>
    </Box>
  );
}
