import { Alert, Anchor, Button, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { api, messageOf, ok } from '../api/client';
import type { User } from '../api/types';
import { IconInfo, IconMail } from '../components/Icons';
import { daysUntil, formatDate } from '../components/format';

/** Days left of a running trial, and what to do before it ends. */
export function TrialBanner({ user }: { user: User }) {
  if (user.type !== 'trial' || user.trialExpired || !user.trialEndsAt) return null;
  const days = daysUntil(user.trialEndsAt);
  const soon = days <= 3;
  return (
    <Alert
      color={soon ? 'orange' : 'blue'}
      variant="light"
      icon={<IconInfo />}
      role="status"
      aria-label="Trial"
      data-testid="trial-banner"
      py="xs"
    >
      <Text size="sm">
        <strong>
          Trial: {days} {days === 1 ? 'day' : 'days'} left
        </strong>{' '}
        (ends {formatDate(user.trialEndsAt)}). Upgrade before then to keep your environments running.{' '}
        <Anchor component={Link} to="/billing" size="sm">
          Billing
        </Anchor>
      </Text>
    </Alert>
  );
}

/** Asks an unverified account to confirm its email, with a way to get a new link. */
export function VerifyEmailBanner({ user }: { user: User }) {
  const resend = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/auth/verify/resend')),
    onSuccess: () => notifications.show({ color: 'green', message: `A new confirmation link is on its way to ${user.email}.` }),
    onError: (error) => notifications.show({ color: 'red', message: messageOf(error) }),
  });
  if (user.emailVerified) return null;
  return (
    <Alert color="yellow" variant="light" icon={<IconMail />} role="status" aria-label="Email confirmation" py="xs">
      <Group justify="space-between" gap="xs">
        <Text size="sm" style={{ flex: '1 1 20rem' }}>
          Confirm your email: we sent a link to <strong>{user.email}</strong>. You need it to accept invitations from other
          accounts.
        </Text>
        <Button size="compact-sm" variant="default" onClick={() => resend.mutate()} loading={resend.isPending}>
          Send a new link
        </Button>
      </Group>
    </Alert>
  );
}
