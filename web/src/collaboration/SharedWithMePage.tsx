import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, messageOf, ok } from '../api/client';
import type { Collaboration } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmAction } from '../components/ConfirmAction';
import { EmptyHint } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconShare } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { environmentsKey, useCollaborations } from '../environments/queries';
import { HeldShares } from './HeldShares';

function useAnswer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ collaboration, action }: { collaboration: Collaboration; action: 'accept' | 'reject' | 'leave' }) => {
      const params = { params: { path: { id: collaboration.id } } };
      if (action === 'accept') return ok(api.POST('/api/v1/collaborations/{id}/accept', params));
      if (action === 'reject') return ok(api.POST('/api/v1/collaborations/{id}/reject', params));
      return ok(api.POST('/api/v1/collaborations/{id}/leave', params));
    },
    onSuccess: (_answer, { collaboration, action }) => {
      // An accepted invitation shows as a membership at once; a declined one or a departure leaves nothing to see.
      const owner = collaboration.owner.name;
      if (action !== 'accept') notifications.show({ message: action === 'reject' ? `You declined ${owner}'s invitation.` : `You left ${owner}'s account.` });
      void queryClient.invalidateQueries({ queryKey: ['collaborations'] });
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
    },
  });
}

function Invitation({ collaboration }: { collaboration: Collaboration }) {
  const answer = useAnswer();
  const me = useMe();
  const busy = answer.isPending;
  return (
    <Paper withBorder p="md" radius="md" data-testid="pending-invitation">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div style={{ flex: '1 1 16rem', minWidth: 0 }}>
            <Text fw={600}>{collaboration.owner.name} invites you to collaborate</Text>
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {collaboration.owner.email} · invited {formatDate(collaboration.invitedAt)}
              {collaboration.expiresAt ? ` · answer by ${formatDateTime(collaboration.expiresAt)}` : ''}
            </Text>
          </div>
          <Group gap="xs">
            <Button size="sm" onClick={() => answer.mutate({ collaboration, action: 'accept' })} loading={busy && answer.variables?.action === 'accept'} disabled={!me.data?.emailVerified}>
              Accept
            </Button>
            <ConfirmAction
              label="Decline"
              button={{ size: 'sm', variant: 'default', color: undefined }}
              title={`Decline ${collaboration.owner.name}'s invitation?`}
              confirmLabel="Decline"
              onConfirm={() => answer.mutateAsync({ collaboration, action: 'reject' })}
            >
              {collaboration.owner.name} is told you declined. They can invite you again later.
            </ConfirmAction>
          </Group>
        </Group>
        {answer.isError ? (
          <Alert color="red" variant="light" role="alert">
            {messageOf(answer.error)}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Membership({ collaboration }: { collaboration: Collaboration }) {
  const answer = useAnswer();
  const suspended = collaboration.status === 'suspended';
  const locked = collaboration.locked ?? null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="collaboration" data-owner={collaboration.owner.email}>
      <Group justify="space-between" align="flex-start">
        <div style={{ flex: '1 1 16rem', minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600}>{collaboration.owner.name}</Text>
            <Badge color={suspended ? 'orange' : 'green'} variant="light">
              {suspended ? 'suspended' : 'active'}
            </Badge>
            {locked ? (
              <Badge color="red" variant="light">
                locked
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {collaboration.owner.email} · since {formatDate(collaboration.acceptedAt)}
          </Text>
          {locked ? (
            <Alert color="red" variant="light" mt="xs" title="Two-factor sign-in required" data-testid="locked-account">
              <Text size="sm">{locked.detail}</Text>
              <Anchor component={Link} to={locked.enrol.dashboard} size="sm">
                Turn on two-factor sign-in
              </Anchor>
            </Alert>
          ) : null}
          {suspended ? (
            <Text size="sm" mt={4}>
              The owner suspended your access for now; what they share with you comes back if they activate you again.
            </Text>
          ) : (
            <Stack gap={2} mt={6}>
              <Text size="sm" fw={500}>
                What you hold
              </Text>
              <HeldShares shares={collaboration.shares ?? []} empty="Nothing is shared with you in this account yet." />
              {collaboration.permissions?.length ? (
                <Text size="xs" c="dimmed">
                  On the whole account: {collaboration.permissions.join(', ')}
                </Text>
              ) : null}
            </Stack>
          )}
        </div>
        <Group gap="xs">
          {!suspended && !locked ? (
            <Button size="sm" variant="light" component={Link} to={`/environments?owner=${collaboration.owner.id}`}>
              Their environments
            </Button>
          ) : null}
          <ConfirmAction
            label="Leave"
            aria-label={`Leave ${collaboration.owner.name}'s account`}
            button={{ size: 'sm' }}
            title={`Leave ${collaboration.owner.name}'s account?`}
            confirmLabel="Leave"
            onConfirm={() => answer.mutateAsync({ collaboration, action: 'leave' })}
          >
            Your access to {collaboration.owner.name}'s environments ends at once and everything shared with you there is deleted. Environments you created
            there stay theirs. To come back, they would have to invite you again.
          </ConfirmAction>
        </Group>
      </Group>
    </Paper>
  );
}

/** The accounts I collaborate with, my pending invitations (accept or decline), and leaving. */
export function SharedWithMePage() {
  const collaborations = useCollaborations();
  const me = useMe();
  const items = collaborations.data ?? [];
  const pending = items.filter((c) => c.status === 'pending');
  const memberships = items.filter((c) => c.status === 'active' || c.status === 'suspended');
  return (
    <Page title="Shared with me" description="The accounts you work in, what you hold in each and through which share, and your invitations.">
      {me.data && !me.data.emailVerified ? (
        <Alert color="yellow" variant="light">
          Invitations to your address show here once you confirm it: use the link we mailed you.
        </Alert>
      ) : null}
      {queryFallback(collaborations) ?? (
        <Stack gap="lg">
          {pending.length ? (
            <Stack gap="sm" component="section" aria-labelledby="pending-title">
              <Title order={2} size="h4" id="pending-title">
                Invitations
              </Title>
              {pending.map((c) => (
                <Invitation key={c.id} collaboration={c} />
              ))}
            </Stack>
          ) : null}
          <Stack gap="sm" component="section" aria-labelledby="accounts-title">
            <Title order={2} size="h4" id="accounts-title">
              Accounts I collaborate with
            </Title>
            {memberships.length === 0 ? (
              <EmptyHint icon={<IconShare size={28} />} title="You do not collaborate with anyone yet">
                When an owner invites you by email, the invitation shows up here and in your mail. After you accept, what they share appears in{' '}
                <Anchor component={Link} to="/environments?view=shared">
                  Environments
                </Anchor>{' '}
                with their name on it.
              </EmptyHint>
            ) : (
              memberships.map((c) => <Membership key={c.id} collaboration={c} />)
            )}
          </Stack>
        </Stack>
      )}
    </Page>
  );
}
