import { Badge, Button, Group, Paper, SimpleGrid, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { Member, Share } from '../api/types';
import { shareRemoval } from '../components/arrangements';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { Fact } from '../components/Fact';
import { EmptyHint } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconPlus, IconShare } from '../components/Icons';
import { Page } from '../components/Page';
import { MissingPage, queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { BudgetSection } from './BudgetSection';
import { EffectiveAccess } from './EffectiveAccess';
import { memberName, resourceLabel, statusColor, statusLabel } from './labels';
import { MemberActions } from './MemberActions';
import { useOwnerScope } from './OwnerScope';
import { rolesKey, useMember, useShares } from './queries';
import { RoleBadges } from './RoleBadges';
import { ShareDialog } from './ShareDialog';

interface ShareScope {
  member: Member;
  /** `?ownerId=` for a manager; undefined for my own account. */
  ownerId?: string | undefined;
  /** The owner's account id, to list its environments. */
  accountId: string | undefined;
}

function ShareRow({ share, member, ownerId, accountId }: ShareScope & { share: Share }) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const label = resourceLabel(share);
  const removal = shareRemoval(member.id, share.id, ownerId);
  const remove = useMutation({
    mutationFn: () => removal.run(false),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['shares'] });
      void queryClient.invalidateQueries({ queryKey: rolesKey });
      void queryClient.invalidateQueries({ queryKey: ['explain'] });
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
        {!member.manageable ? (
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
            What this share grants ends at once. {memberName(member)} keeps what other shares grant.
          </ConfirmAction>
        </Group>
        )}
        {editing ? <ShareDialog member={member} share={share} opened={editing} onClose={edit.close} ownerId={ownerId} accountId={accountId} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

function SharesSection({ member, ownerId, accountId }: ShareScope) {
  const shares = useShares(member.id, ownerId);
  const [adding, add] = useDisclosure(false);
  const [addKey, setAddKey] = useState(0);
  const shareable = (member.status === 'active' || member.status === 'suspended') && member.manageable;
  const items = shares.data ?? [];
  return (
    <Section
      title="Shared resources"
      description={`What ${memberName(member)} can reach in this account, and with which roles.`}
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
      {!shareable ? (
        <EmptyHint icon={<IconShare size={28} />} title={member.status === 'pending' ? 'Waiting for them to accept' : 'Not a member any more'}>
          {member.status === 'pending'
            ? 'You can share environments once they accept the invitation. Nothing is shared on acceptance.'
            : 'They declined or left. Invite them again to share with them.'}
        </EmptyHint>
      ) : (
        (queryFallback(shares) ??
        (items.length === 0 ? (
          <EmptyHint icon={<IconShare size={28} />} title="Nothing shared yet">
            Use Add to share all environments, a group or single environments, with one or more roles and an optional end date.
          </EmptyHint>
        ) : (
          <DataTable minWidth={620} label="Shares" verticalSpacing="sm" columns={['Resource', 'Roles', 'Expires', { label: 'Actions', actions: true }]}>
            {items.map((share) => (
              <ShareRow key={share.id} share={share} member={member} ownerId={ownerId} accountId={accountId} />
            ))}
          </DataTable>
        )))
      )}
      {adding ? <ShareDialog key={addKey} member={member} opened={adding} onClose={add.close} ownerId={ownerId} accountId={accountId} /> : null}
    </Section>
  );
}

/** One member: who they are, their status and actions, what is shared with them, and their effective access. */
export function MemberPage() {
  const { id = '' } = useParams();
  const scope = useOwnerScope('collaboration.manage');
  const member = useMember(id, scope.ownerId, scope.ready && scope.accountId !== undefined);
  const shares = useShares(id, scope.ownerId, scope.ready && scope.accountId !== undefined && member.data !== undefined && member.data.status !== 'pending');
  const back = `/settings/collaboration${scope.ownerId ? `?owner=${scope.ownerId}` : ''}`;

  const fallback = queryFallback(
    member,
    'Loading the member…',
    <MissingPage title="Member not found" hint="No such member" back={{ to: back, label: 'Back to the members' }}>
      They may have been unlinked.
    </MissingPage>,
  );
  if (fallback || !member.data) return fallback;
  const data = member.data;
  const pending = data.status === 'pending';
  return (
    <Page
      title={memberName(data)}
      parent={{ to: back, label: 'Collaboration' }}
      description={
        <Group gap="xs" component="span">
          <Badge color={statusColor[data.status]} variant="light">
            {statusLabel[data.status]}
          </Badge>
          <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>
            {data.email}
          </Text>
        </Group>
      }
      actions={<MemberActions member={data} ownerId={scope.ownerId} size="sm" afterUnlink={back} />}
    >
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
          <Fact label="Account">{data.user ? data.user.name : 'not yet (invited)'}</Fact>
          <Fact label="Alias">{data.displayName ?? '—'}</Fact>
          <Fact label="Invited">{formatDateTime(data.invitedAt)}</Fact>
          <Fact label={pending ? 'Link valid until' : 'Accepted'}>{formatDateTime(pending ? data.expiresAt : data.acceptedAt)}</Fact>
        </SimpleGrid>
      </Paper>
      <SharesSection member={data} ownerId={scope.ownerId} accountId={scope.accountId} />
      {/* Budgets are the owner's alone: a manager never sees the section (the API answers it 403). */}
      {scope.ownerId === undefined && data.user && (data.status === 'active' || data.status === 'suspended') ? <BudgetSection member={data} /> : null}
      {data.status === 'active' || data.status === 'suspended' ? <EffectiveAccess member={data} shares={shares.data ?? []} ownerId={scope.ownerId} accountId={scope.accountId} /> : null}
    </Page>
  );
}
