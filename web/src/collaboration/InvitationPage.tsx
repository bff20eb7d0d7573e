import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, isApiError, messageOf, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Invitation, User } from '../api/types';
import { meKey, useMe } from '../auth/session';
import { ConfirmAction } from '../components/ConfirmAction';
import { FormAlert, Loading } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { AuthLayout } from '../layout/AuthLayout';
import { NewPasswordFields, newPasswordError } from '../pages/auth/NewPasswordFields';

interface InvitationProps {
  token: string;
  invitation: Invitation;
}

const signInToAccept = ({ token, invitation }: InvitationProps) =>
  `/sign-in?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(`/invitations/${token}`)}`;

/** Declining, after a confirmation; once declined, what happened replaces the choices (`children`). */
function DeclineOr({ token, invitation, children, after }: InvitationProps & { children: ReactNode; after?: ReactNode }) {
  const reject = useMutation({ mutationFn: () => ok(api.POST('/api/v1/invitations/{token}/reject', { params: { path: { token } } })) });
  if (reject.isSuccess) {
    return (
      <Alert color="gray" variant="light" role="status" title="Invitation declined">
        {invitation.owner.name} is told you declined. {after}
      </Alert>
    );
  }
  return (
    <Group>
      {children}
      <ConfirmAction
        label="Decline"
        button={{ size: 'sm', variant: 'default', color: undefined }}
        title={`Decline ${invitation.owner.name}'s invitation?`}
        confirmLabel="Decline"
        onConfirm={() => reject.mutateAsync()}
      >
        The link stops working and {invitation.owner.name} is told you declined. They can invite you again later.
      </ConfirmAction>
    </Group>
  );
}

function SignUpToAccept({ token, invitation }: InvitationProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', password: '' },
    validate: { name: hasLength({ min: 1, max: 100 }, 'Enter your name (up to 100 characters)'), password: newPasswordError },
  });
  const problem = useFormProblem(form);
  const signUp = useMutation({
    mutationFn: (body: { name: string; password: string }) => ok(api.POST('/api/v1/invitations/{token}/signup', { params: { path: { token } }, body })),
    onSuccess: (answer) => {
      queryClient.clear();
      queryClient.setQueryData(meKey, answer.user);
      void navigate(`/environments?owner=${answer.collaboration.owner.id}`, { replace: true });
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit((values) => problem.watch(signUp.mutateAsync(values)))}>
      <Stack gap="md">
        <Text size="sm">Create your collaborator account to accept. It never expires, and {invitation.owner.name} pays for what you use in their account.</Text>
        <FormAlert message={problem.message} />
        {isApiError(signUp.error, 409, 'account_exists') ? (
          <Anchor component={Link} to={signInToAccept({ token, invitation })}>
            Sign in to accept instead
          </Anchor>
        ) : null}
        <TextInput label="Email" value={invitation.email} readOnly variant="filled" description="Fixed: the invitation was sent to this address" />
        <TextInput label="Your name" autoComplete="name" required key={form.key('name')} {...form.getInputProps('name')} />
        <NewPasswordFields form={form} field="password" />
        <Button type="submit" loading={signUp.isPending}>
          Create account and accept
        </Button>
        <DeclineOr token={token} invitation={invitation}>
          <Text size="sm" c="dimmed">
            Not interested?
          </Text>
        </DeclineOr>
      </Stack>
    </form>
  );
}

function AcceptAsMe({ token, invitation, me }: InvitationProps & { me: User }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } } })),
    onSuccess: (answer) => {
      void queryClient.invalidateQueries();
      void navigate(`/environments?owner=${answer.collaboration.owner.id}`, { replace: true });
    },
  });
  const resend = useMutation({ mutationFn: () => ok(api.POST('/api/v1/auth/verify/resend')) });
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
      <DeclineOr
        token={token}
        invitation={invitation}
        after={
          <Anchor component={Link} to="/">
            Go to your dashboard
          </Anchor>
        }
      >
        <Button onClick={() => accept.mutate()} loading={accept.isPending}>
          Accept
        </Button>
      </DeclineOr>
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
      <Stack gap="xs" align="flex-start">
        <Button onClick={() => signOut.mutate()} loading={signOut.isPending} maw="100%" styles={{ label: { whiteSpace: 'normal' } }} h="auto" mih={36} py={6}>
          Sign out and continue as {invitation.email}
        </Button>
        <Button variant="default" component={Link} to="/" maw="100%" styles={{ label: { whiteSpace: 'normal' } }} h="auto" mih={36} py={6}>
          Stay signed in as {me.email}
        </Button>
      </Stack>
    </Stack>
  );
}

function SignInToAccept({ token, invitation }: InvitationProps) {
  return (
    <Stack gap="md">
      <Text size="sm">
        {invitation.email} already has a Shareplane account. Sign in with it to accept; your own environments stay separate.
      </Text>
      <DeclineOr token={token} invitation={invitation}>
        <Button component={Link} to={signInToAccept({ token, invitation })}>
          Sign in to accept
        </Button>
      </DeclineOr>
    </Stack>
  );
}

/** The page an invitation link opens: who invites which address, and the way to accept that fits who is here. */
export function InvitationPage() {
  const { token = '' } = useParams();
  const me = useMe();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => ok(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
    retry: false,
  });

  let body: ReactNode;
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
      <>
        <Text style={{ overflowWrap: 'anywhere' }}>
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
      </>
    );
  }

  return (
    <AuthLayout title="Invitation to collaborate" width={520}>
      {body}
    </AuthLayout>
  );
}
