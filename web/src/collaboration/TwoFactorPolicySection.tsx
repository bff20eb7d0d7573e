import { Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmAction';
import { Section } from '../components/Section';
import { policyKey } from './MemberTokensSection';
import { membersKey } from './queries';

/** The owner's policy: collaborators must sign in with a second factor, or they can do nothing in the account. */
export function TwoFactorPolicySection() {
  const queryClient = useQueryClient();
  const policy = useQuery({ queryKey: policyKey, queryFn: () => ok(api.GET('/api/v1/account/policy')) });
  const [asking, setAsking] = useState<boolean | null>(null);
  const save = useMutation({
    mutationFn: (requireTwoFactor: boolean) => ok(api.PATCH('/api/v1/account/policy', { body: { requireTwoFactor } })),
    onSuccess: (answer) => {
      notifications.show({
        message: answer.requireTwoFactor
          ? 'Two-factor sign-in is now required here. Members without it were mailed and are locked out until they turn it on.'
          : 'Two-factor sign-in is no longer required here.',
      });
      queryClient.setQueryData(policyKey, answer);
      return queryClient.invalidateQueries({ queryKey: membersKey });
    },
  });
  const required = policy.data?.requireTwoFactor ?? false;
  return (
    <Section
      title="Two-factor sign-in"
      description="Require every collaborator to sign in with a second factor. The member list shows who has one."
    >
      <Switch
        label="Require two-factor sign-in of collaborators"
        checked={required}
        disabled={!policy.data || save.isPending}
        onChange={(event) => setAsking(event.currentTarget.checked)}
      />
      <ConfirmDialog
        opened={asking !== null}
        onClose={() => setAsking(null)}
        title={asking ? 'Require two-factor sign-in?' : 'Stop requiring two-factor sign-in?'}
        confirmLabel={asking ? 'Require it' : 'Stop requiring it'}
        danger={asking === false}
        onConfirm={() => save.mutateAsync(asking === true)}
      >
        <Text size="sm">
          {asking
            ? 'Members without a second factor get nothing in your account, with their sessions and API tokens alike, until they turn two-factor sign-in on. Each of them is mailed now.'
            : 'Members without a second factor get their access back at once.'}
        </Text>
      </ConfirmDialog>
    </Section>
  );
}
