import { Anchor, Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { Link } from 'react-router';
import type { User } from '../api/types';
import { useSignOut } from '../auth/session';
import { IconAlert } from '../components/Icons';
import { formatDate } from '../components/format';
import { Page } from '../components/Page';

/** What an ended trial means, what still works, and how to get access back. */
export function TrialExpiredPage({ user }: { user: User }) {
  const signOut = useSignOut();
  return (
    <Page title="Your trial has ended" description={`It ended on ${formatDate(user.trialEndsAt)}.`}>
      <Paper withBorder p="lg" radius="md">
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon color="orange" variant="light" size="lg" radius="xl" aria-hidden="true">
              <IconAlert />
            </ThemeIcon>
            <Text>
              Your own environments are being stopped, and the environments other accounts share with you are out of reach
              for now. Nothing is deleted: your environments, groups, members and shares are kept and come back as they were.
            </Text>
          </Group>
          <div>
            <Text fw={600} mb={4}>
              To get access back
            </Text>
            <List spacing={4} size="sm">
              <List.Item>
                <strong>Upgrade to a paid account</strong>: contact the billing team; access returns the moment the account
                is converted.
              </List.Item>
              <List.Item>
                <strong>Only working in other people&apos;s accounts?</strong> Ask the billing team to convert yours to a{' '}
                <em>collaborator</em> account: it never expires, and the accounts that invited you pay for what you use
                there.
              </List.Item>
            </List>
          </div>
          <div>
            <Text fw={600} mb={4}>
              Meanwhile you can still
            </Text>
            <List spacing={4} size="sm">
              <List.Item>
                see and leave the accounts you collaborate with in{' '}
                <Anchor component={Link} to="/shared-with-me">
                  Shared with me
                </Anchor>
                ;
              </List.Item>
              <List.Item>
                change your password and manage API tokens in{' '}
                <Anchor component={Link} to="/settings/account">
                  Account settings
                </Anchor>
                .
              </List.Item>
            </List>
          </div>
          <Group>
            <Button variant="default" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Page>
  );
}
