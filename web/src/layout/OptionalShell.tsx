import { Anchor, Box, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth/session';
import { Loading } from '../components/Feedback';
import { Brand } from './Brand';
import { Shell } from './Shell';

/** For pages open to everyone (the dev mailbox): inside the shell when signed in, a light frame otherwise. */
export function OptionalShell({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.data) return <Shell user={me.data}>{children}</Shell>;
  return (
    <Stack gap={0} mih="100dvh">
      <Group component="header" justify="space-between" px="md" h={56} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Brand />
        <Anchor component={Link} to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>
          Sign in
        </Anchor>
      </Group>
      <Box component="main" id="main" p={{ base: 'sm', sm: 'lg' }} w="100%" maw={1200} mx="auto">
        {children}
      </Box>
    </Stack>
  );
}
