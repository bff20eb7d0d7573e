import { Button, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Share, TeamShare } from '../api/types';
import { shareRemoval } from '../components/arrangements';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDate } from '../components/format';
import { IconPlus, IconShare } from '../components/Icons';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { type ShareHolder, holderManageable, holderName, holderRef, holderShareable } from './holder';
import { resourceLabel } from './labels';
import { rolesKey, teamsKey, useHolderShares } from './queries';
import { RoleBadges } from './RoleBadges';
import { ShareDialog } from './ShareDialog';

interface ShareScope {
  holder: ShareHolder;
  /** `?ownerId=` for a manager; undefined for my own account. */
  ownerId?: string | undefined;
  /** The owner's account id, to list its environments. */
  accountId: string | undefined;
}

/** What ends when a share is removed, for whoever holds it. */
function removalNote(holder: ShareHolder): string {
  return holder.kind === 'member'
    ? `What this share grants ends at once. ${holderName(holder)} keeps what other shares grant.`
    : 'What this share grants the team’s members ends at once, each of them told. They keep what their own shares and other teams grant.';
}

function ShareRow({ share, holder, ownerId, accountId }: ShareScope & { share: Share | TeamShare }) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const label = resourceLabel(share);
  const removal = shareRemoval(holderRef(holder), share.id, ownerId);
  const remove = useMutation({
    mutationFn: () => removal.run(false),
    onSuccess: () => {
      for (const key of [['shares'], rolesKey, teamsKey, ['explain']]) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <Table.Tr data-testid="share-row">
      <Table.Td fw={500}>{label}</Table.Td>
      <Table.Td>
        <RoleBadges roles={share.roles} />
        {share.ineffectivePermissions.length ? (
          <Text size="xs" c="red.9" mt={4} data-testid="share-ineffective">
            Grants nothing here: {share.ineffectivePermissions.join(', ')}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        {share.expiresAt ? (
          <Text size="sm" c={share.expired ? 'red.9' : undefined}>
            {share.expired ? 'expired ' : ''}
            {formatDate(share.expiresAt)}
          </Text>
        ) : (
          'never'
        )}
      </Table.Td>
      <Table.Td>
        {!holderManageable(holder) ? (
          <Text size="xs" c="dimmed">
            Only the owner changes these shares
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            <Button size="xs" variant="default" onClick={edit.open} aria-label={`Edit the share of ${label}`}>
              Edit
            </Button>
            <ConfirmAction
              label="Remove"
              aria-label={`Remove the share of ${label}`}
              title={`Stop sharing ${label}?`}
              confirmLabel="Remove share"
              onConfirm={() => remove.mutateAsync()}
              arrangement={removal}
            >
              {removalNote(holder)}
            </ConfirmAction>
          </Group>
        )}
        {editing ? <ShareDialog holder={holder} share={share} opened={editing} onClose={edit.close} ownerId={ownerId} accountId={accountId} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

/** Why a member cannot hold shares now. */
function NotShareable({ holder }: { holder: ShareHolder }) {
  const pending = holder.kind === 'member' && holder.member.status === 'pending';
  return (
    <EmptyHint icon={<IconShare size={28} />} title={pending ? 'Waiting for them to accept' : 'Not a member any more'}>
      {pending ? 'You can share environments once they accept the invitation. Nothing is shared on acceptance.' : 'They declined or left. Invite them again to share with them.'}
    </EmptyHint>
  );
}

/** The shares of a member or a team: resource, roles, expiry; Add, Edit and Remove for whoever may change them. */
export function SharesSection({ holder, ownerId, accountId }: ShareScope) {
  const shares = useHolderShares(holderRef(holder), ownerId);
  const [adding, add] = useDisclosure(false);
  const [addKey, setAddKey] = useState(0);
  const shareable = holderShareable(holder) && holderManageable(holder);
  const items: readonly (Share | TeamShare)[] = shares.data ?? [];
  const team = holder.kind === 'team';
  return (
    <Section
      title="Shared resources"
      description={
        team
          ? 'What every active member of the team can reach through it, and with which roles. It adds to what each member’s own shares give.'
          : `What ${holderName(holder)} can reach in this account, and with which roles.`
      }
      actions={
        shareable ? (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => {
              setAddKey((key) => key + 1);
              add.open();
            }}
          >
            Add
          </Button>
        ) : null
      }
    >
      {!holderShareable(holder) ? (
        <NotShareable holder={holder} />
      ) : (
        (queryFallback(shares) ??
        (items.length === 0 ? (
          <EmptyHint icon={<IconShare size={28} />} title="Nothing shared yet">
            Use Add to share all environments, a group or single environments, with one or more roles and an optional end date.
          </EmptyHint>
        ) : (
          <DataTable minWidth={620} label="Shares" verticalSpacing="sm" columns={['Resource', 'Roles', 'Expires', { label: 'Actions', actions: true }]}>
            {items.map((share) => (
              <ShareRow key={share.id} share={share} holder={holder} ownerId={ownerId} accountId={accountId} />
            ))}
          </DataTable>
        )))
      )}
      {adding ? <ShareDialog key={addKey} holder={holder} opened={adding} onClose={add.close} ownerId={ownerId} accountId={accountId} /> : null}
    </Section>
  );
}
