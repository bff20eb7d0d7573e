import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, isApiError, messageOf, ok } from '../api/client';
import { showProblem } from '../api/forms';
import type { Invitation, User } from '../api/types';
import { meKey, useMe } from '../auth/session';
import { FormAlert, Loading } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { usePageTitle } from '../components/Page';
import { AuthLayout } from '../layout/AuthLayout';
import { newPasswordError } from '../pages/auth/SignUpPage';

function useReject(token: string) {
  return useMutation({ mutationFn: () => ok(api.POST('/api/v1/invitations/{token}/reject', { params: { path: { token } } })) });
}

function SignUpToAccept({ token, invitation }: { token: string; invitation: Invitation }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', password: '' },
    validate: { name: hasLength({ min: 1, max: 100 }, 'Enter your name (up to 100 characters)'), password: newPasswordError },
  });
  const signUp = useMutation({
    mutationFn: (body: { name: string; password: string }) => ok(api.POST('/api/v1/invitations/{token}/signup', { params: { path: { token } }, body })),
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        signUp.mutate(values, {
          onSuccess: (answer) => {
            queryClient.clear();
            queryClient.setQueryData(meKey, answer.user);
            void navigate(`/environments?owner=${answer.collaboration.owner.id}`, { replace: true });
          },
          onError: (error) => setFormError(showProblem(form, error)),
        });
      })}
    >
      <Stack gap="md">
        <Text size="sm">Create your collaborator account to accept. It never expires, and {invitation.owner.name} pays for what you use in their account.</Text>
        <FormAlert message={formError} />
        {isApiError(signUp.error, 409, 'account_exists') ? (
          <Anchor component={Link} to={`/sign-in?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(`/invitations/${token}`)}`}>
            Sign in to accept instead
          </Anchor>
        ) : null}
        <TextInput label="Email" value={invitation.email} readOnly description="Fixed: the invitation was sent to this address" />
        <TextInput label="Your name" autoComplete="name" required key={form.key('name')} {...form.getInputProps('name')} />
        <PasswordInput label="Password" description="At least 10 characters" autoComplete="new-password" required key={form.key('password')} {...form.getInputProps('password')} />
        <Button type="submit" loading={signUp.isPending}>
          Create account and accept
        </Button>
      </Stack>
    </form>
  );
}

function AcceptAsMe({ token, invitation, me }: { token: string; invitation: Invitation; me: User }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const reject = useReject(token);
  const accept = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } } })),
    onSuccess: (answer) => {
      void queryClient.invalidateQueries();
      void navigate(`/environments?owner=${answer.collaboration.owner.id}`, { replace: true });
    },
  });
  const resend = useMutation({ mutationFn: () => ok(api.POST('/api/v1/auth/verify/resend')) });
  if (reject.isSuccess) {
    return (
      <Alert color="gray" variant="light" role="status" title="Invitation declined">
        {invitation.owner.name} is told you declined. <Anchor component={Link} to="/">Go to your dashboard</Anchor>
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <Text size="sm">
        You are signed in as <strong>{me.email}</strong>. Accepting lets {invitation.owner.name} share environments with you; nothing is shared until they do.
      </Text>
      {accept.isError ? (
        <Alert color="red" variant="light" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{messageOf(accept.error)}</Text>
            {isApiError(accept.error, 403, 'email_unverified') ? (
              resend.isSuccess ? (
                <Text size="sm">A new confirmation link is on its way: open it, then come back to this page.</Text>
              ) : (
                <Button size="xs" variant="default" onClick={() => resend.mutate()} loading={resend.isPending}>
                  Send me a new confirmation link
                </Button>
              )
            ) : null}
          </Stack>
        </Alert>
      ) : null}
      {reject.isError ? <FormAlert message={messageOf(reject.error)} /> : null}
      <Group>
        <Button onClick={() => accept.mutate()} loading={accept.isPending}>
          Accept
        </Button>
        <Button variant="default" onClick={() => reject.mutate()} loading={reject.isPending}>
          Decline
        </Button>
      </Group>
    </Stack>
  );
}

function WrongAccount({ invitation, me }: { invitation: Invitation; me: User }) {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => api.POST('/api/v1/auth/logout'),
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
    },
  });
  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" title="This invitation is for someone else" role="alert">
        You are signed in as <strong>{me.email}</strong>, but {invitation.owner.name} invited <strong>{invitation.email}</strong>. Only that address can
        accept it.
      </Alert>
      <Group>
        <Button onClick={() => signOut.mutate()} loading={signOut.isPending}>
          Sign out and continue as {invitation.email}
        </Button>
        <Button variant="default" component={Link} to="/">
          Stay signed in as {me.email}
        </Button>
      </Group>
    </Stack>
  );
}

function SignInToAccept({ token, invitation }: { token: string; invitation: Invitation }) {
  const reject = useReject(token);
  if (reject.isSuccess) {
    return (
      <Alert color="gray" variant="light" role="status" title="Invitation declined">
        {invitation.owner.name} is told you declined.
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <Text size="sm">
        {invitation.email} already has a Shareplane account. Sign in with it to accept; your own environments stay separate.
      </Text>
      {reject.isError ? <FormAlert message={messageOf(reject.error)} /> : null}
      <Group>
        <Button component={Link} to={`/sign-in?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(`/invitations/${token}`)}`}>
          Sign in to accept
        </Button>
        <Button variant="default" onClick={() => reject.mutate()} loading={reject.isPending}>
          Decline
        </Button>
      </Group>
    </Stack>
  );
}

/** The page an invitation link opens: who invites which address, and the way to accept that fits who is here. */
export function InvitationPage() {
  usePageTitle('Invitation');
  const { token = '' } = useParams();
  const me = useMe();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => ok(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
    retry: false,
  });

  let body: React.ReactNode;
  if (invitation.isPending || me.isPending) body = <Loading label="Opening the invitation…" />;
  else if (invitation.isError) {
    body = isApiError(invitation.error, 410) ? (
      <Alert color="orange" variant="light" title="This invitation has expired" role="alert">
        Invitation links work for a limited time. Ask the person who invited you to send it again: the new link arrives by mail.
      </Alert>
    ) : isApiError(invitation.error, 404) ? (
      <Alert color="gray" variant="light" title="This invitation link no longer works" role="alert">
        It was already used, replaced by a newer link, or withdrawn. If you accepted it, what is shared with you is in your{' '}
        <Anchor component={Link} to="/shared-with-me">
          dashboard
        </Anchor>
        ; otherwise ask for a new invitation.
      </Alert>
    ) : (
      <FormAlert message={messageOf(invitation.error)} />
    );
  } else {
    const data = invitation.data;
    const user = me.data;
    body = (
      <Stack gap="md">
        <Text>
          <strong>{data.owner.name}</strong> invites <strong>{data.email}</strong> to collaborate on their Shareplane account.
        </Text>
        <Text size="sm" c="dimmed">
          The link works until {formatDateTime(data.expiresAt)}.
        </Text>
        {user ? (
          user.email.toLowerCase() === data.email.toLowerCase() ? (
            <AcceptAsMe token={token} invitation={data} me={user} />
          ) : (
            <WrongAccount invitation={data} me={user} />
          )
        ) : data.accountExists ? (
          <SignInToAccept token={token} invitation={data} />
        ) : (
          <SignUpToAccept token={token} invitation={data} />
        )}
      </Stack>
    );
  }

  return (
    <AuthLayout width={520}>
      <Stack gap="md">
        <Title order={1} size="h2">
          Invitation to collaborate
        </Title>
        {body}
      </Stack>
    </AuthLayout>
  );
}
