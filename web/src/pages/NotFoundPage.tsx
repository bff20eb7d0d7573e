import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { usePageTitle } from '../components/Page';

/** A dashboard address that leads nowhere. */
export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <Stack component="main" align="center" py={80} px="md" ta="center" gap="sm">
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text c="dimmed">There is nothing at this address. It may have moved, or the link may be incomplete.</Text>
      <Button component={Link} to="/">
        Go to the dashboard
      </Button>
    </Stack>
  );
}
