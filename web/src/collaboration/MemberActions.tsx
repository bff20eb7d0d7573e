import { Button, Group, List, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { messageOf } from '../api/client';
import type { Member } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { formatDateTime } from '../components/format';
import { count, memberName, resourceLabel } from './labels';
import { AliasDialog, InviteDialog } from './MemberDialogs';
import { useMemberAction, useRemoveMember, useShares } from './queries';

function UnlinkSummary({ member, ownerId }: { member: Member; ownerId?: string | undefined }) {
  const shares = useShares(member.id, ownerId);
  const items = shares.data ?? [];
  return (
    <>
      <Text size="sm">
        {member.status === 'pending'
          ? `The invitation link sent to ${member.email} stops working.`
          : `${memberName(member)} loses access to everything you share with them, at once.`}{' '}
        The membership is deleted{items.length ? ` with its ${count(items.length, 'share')}:` : '.'}
      </Text>
      {items.length ? (
        <List size="sm" mt={4}>
          {items.map((share) => (
            <List.Item key={share.id}>
              {resourceLabel(share)}: {share.roles.map((role) => role.name).join(', ')}
            </List.Item>
          ))}
        </List>
      ) : null}
      <Text size="sm" mt={4}>
        To work together again you would invite them anew and share again. Suspending instead keeps the shares, dormant.
      </Text>
    </>
  );
}

/** What can be done to a member in its status: alias, resend, suspend/activate, invite again, unlink. */
export function MemberActions({ member, ownerId, size = 'xs', afterUnlink }: { member: Member; ownerId?: string | undefined; size?: 'xs' | 'sm'; afterUnlink?: string }) {
  const [aliasOpened, alias] = useDisclosure(false);
  const [reinviteOpened, reinvite] = useDisclosure(false);
  const action = useMemberAction(ownerId);
  const remove = useRemoveMember(ownerId);
  const navigate = useNavigate();
  const name = memberName(member);
  // Only a resend says more than the row then shows (a mail left, the old link died): the others toast nothing.
  const run = (kind: 'resend' | 'suspend' | 'activate', done?: string) =>
    action.mutateAsync({ member, action: kind }).then(
      (updated) => {
        if (done) notifications.show({ color: 'green', message: `${done} It works until ${formatDateTime(updated.expiresAt)}.` });
        return updated;
      },
      (error: unknown) => {
        notifications.show({ color: 'red', title: 'Not done', message: messageOf(error) });
        throw error;
      },
    );
  // The API says whether I may act on this member (a manager never acts on itself or on another manager).
  if (!member.manageable) {
    return (
      <Text size="xs" c="dimmed">
        Only the owner manages this member
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="wrap">
      {member.status === 'pending' || member.status === 'active' || member.status === 'suspended' ? (
        <Button size={size} variant="default" onClick={alias.open} aria-label={`Edit alias of ${name}`}>
          Edit alias
        </Button>
      ) : null}
      {member.status === 'pending' ? (
        <Button
          size={size}
          variant="default"
          onClick={() => void run('resend', `A new invitation link is on its way to ${member.email}; the old one no longer works.`).catch(() => undefined)}
          loading={action.isPending && action.variables?.action === 'resend'}
          aria-label={`Resend the invitation to ${member.email}`}
        >
          Resend
        </Button>
      ) : null}
      {member.status === 'active' ? (
        <ConfirmAction
          label="Suspend"
          aria-label={`Suspend ${name}`}
          button={{ size, variant: 'light', color: 'orange' }}
          title={`Suspend ${name}?`}
          confirmLabel="Suspend"
          onConfirm={() => run('suspend')}
        >
          They lose access to everything you share with them at once. Their shares are kept, dormant, and work again when you activate them.
        </ConfirmAction>
      ) : null}
      {member.status === 'suspended' ? (
        <Button
          size={size}
          variant="light"
          color="green"
          onClick={() => void run('activate').catch(() => undefined)}
          loading={action.isPending && action.variables?.action === 'activate'}
          aria-label={`Activate ${name}`}
        >
          Activate
        </Button>
      ) : null}
      {member.status === 'rejected' || member.status === 'left' ? (
        <Button size={size} variant="default" onClick={reinvite.open} aria-label={`Invite ${member.email} again`}>
          Invite again
        </Button>
      ) : null}
      <ConfirmAction
        label="Unlink"
        aria-label={`Unlink ${name}`}
        button={{ size }}
        title={`Unlink ${name}?`}
        confirmLabel="Unlink"
        onConfirm={async () => {
          await remove.mutateAsync(member);
          if (afterUnlink) void navigate(afterUnlink);
        }}
      >
        <UnlinkSummary member={member} ownerId={ownerId} />
      </ConfirmAction>
      {aliasOpened ? <AliasDialog member={member} opened={aliasOpened} onClose={alias.close} ownerId={ownerId} /> : null}
      {reinviteOpened ? <InviteDialog opened={reinviteOpened} onClose={reinvite.close} ownerId={ownerId} email={member.email} /> : null}
    </Group>
  );
}
