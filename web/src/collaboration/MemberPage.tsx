import { Anchor, Badge, Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { DataTable } from '../components/DataTable';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, isApiError, ok } from '../api/client';
import type { Member, Share } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmAction } from '../components/ConfirmAction';
import { EmptyHint, LoadError, Loading } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconPlus, IconShare } from '../components/Icons';
import { Page } from '../components/Page';
import { EffectiveAccess } from './EffectiveAccess';
import { statusColor, statusLabel } from './labels';
import { MemberActions, memberName, resourceLabel } from './MemberActions';
import { useOwnerScope } from './OwnerScope';
import { ownerQuery, rolesKey, useMember, useShares } from './queries';
import { ShareDialog } from './ShareDialog';

function ShareRow({ share, member, ownerId, accountOwnerId }: { share: Share; member: Member; ownerId?: string | undefined; accountOwnerId: string | undefined }) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () =>
      ok(api.DELETE('/api/v1/collaboration/members/{id}/shares/{shareId}', { params: { path: { id: member.id, shareId: share.id }, query: ownerQuery(ownerId) } })),
    onSuccess: () => {
      notifications.show({ message: `${resourceLabel(share)} is no longer shared with ${memberName(member)}.` });
      void queryClient.invalidateQueries({ queryKey: ['shares'] });
      void queryClient.invalidateQueries({ queryKey: rolesKey });
      void queryClient.invalidateQueries({ queryKey: ['explain'] });
    },
  });
  const label = resourceLabel(share);
  return (
    <Table.Tr data-testid="share-row">
      <Table.Td fw={500}>{label}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {share.roles.map((role) => (
            <Badge key={role.id} variant="light" style={{ textTransform: 'none' }}>
              {role.name}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        {share.expiresAt ? (
          <Text size="sm" c={share.expired ? 'red.9' : undefined}>
            {share.expired ? 'expired ' : ''}
            {formatDate(share.expiresAt)}
          </Text>
        ) : (
          <Text size="sm">never</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Button size="xs" variant="default" onClick={edit.open} aria-label={`Edit the share of ${label}`}>
            Edit
          </Button>
          <ConfirmAction
            title={`Stop sharing ${label}?`}
            confirmLabel="Remove share"
            onConfirm={() => remove.mutateAsync()}
            trigger={(open) => (
              <Button size="xs" variant="subtle" color="red" onClick={open} aria-label={`Remove the share of ${label}`}>
                Remove
              </Button>
            )}
          >
            What this share grants ends at once. {memberName(member)} keeps what other shares grant.
          </ConfirmAction>
        </Group>
        {editing ? <ShareDialog member={member} share={share} opened={editing} onClose={edit.close} ownerId={ownerId} accountOwnerId={accountOwnerId} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

function SharesSection({ member, ownerId, accountOwnerId }: { member: Member; ownerId?: string | undefined; accountOwnerId: string | undefined }) {
  const shares = useShares(member.id, ownerId);
  const [adding, add] = useDisclosure(false);
  const [addKey, setAddKey] = useState(0);
  const shareable = member.status === 'active' || member.status === 'suspended';
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="shares-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4" id="shares-title">
              Shared resources
            </Title>
            <Text size="sm" c="dimmed">
              What {memberName(member)} can reach in this account, and with which roles.
            </Text>
          </div>
          {shareable ? (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => {
                setAddKey((key) => key + 1);
                add.open();
              }}
            >
              Add
            </Button>
          ) : null}
        </Group>
        {!shareable ? (
          <EmptyHint icon={<IconShare size={28} />} title={member.status === 'pending' ? 'Waiting for them to accept' : 'Not a member any more'}>
            {member.status === 'pending'
              ? 'You can share environments once they accept the invitation. Nothing is shared on acceptance.'
              : 'They declined or left. Invite them again to share with them.'}
          </EmptyHint>
        ) : shares.isPending ? (
          <Loading />
        ) : shares.isError ? (
          <LoadError error={shares.error} retry={() => void shares.refetch()} />
        ) : shares.data.length === 0 ? (
          <EmptyHint icon={<IconShare size={28} />} title="Nothing shared yet">
            Use Add to share all environments, a group or single environments, with one or more roles and an optional end date.
          </EmptyHint>
        ) : (
          <DataTable minWidth={620} label="Shares" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Resource</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shares.data.map((share) => (
                  <ShareRow key={share.id} share={share} member={member} ownerId={ownerId} accountOwnerId={accountOwnerId} />
                ))}
              </Table.Tbody>
            </DataTable>
        )}
      </Stack>
      {adding ? <ShareDialog key={addKey} member={member} opened={adding} onClose={add.close} ownerId={ownerId} accountOwnerId={accountOwnerId} /> : null}
    </Paper>
  );
}

/** One member: who they are, their status and actions, what is shared with them, and their effective access. */
export function MemberPage() {
  const { id = '' } = useParams();
  const scope = useOwnerScope('collaboration.manage');
  const me = useMe();
  const member = useMember(id, scope.ownerId);
  const back = `/settings/collaboration${scope.ownerId ? `?owner=${scope.ownerId}` : ''}`;
  const accountOwnerId = scope.ownerId ?? me.data?.id;

  if (member.isPending) return <Loading label="Loading the member…" />;
  if (member.isError) {
    if (isApiError(member.error, 404)) {
      return (
        <Page title="Member not found">
          <EmptyHint title="No such member">
            They may have been unlinked.{' '}
            <Anchor component={Link} to={back}>
              Back to the members
            </Anchor>
          </EmptyHint>
        </Page>
      );
    }
    return <LoadError error={member.error} retry={() => void member.refetch()} />;
  }
  const data = member.data;
  return (
    <Page
      title={memberName(data)}
      description={
        <Group gap="xs" component="span">
          <Badge color={statusColor[data.status]} variant="light">
            {statusLabel[data.status]}
          </Badge>
          <Text span size="sm">
            {data.email}
          </Text>
        </Group>
      }
      actions={<MemberActions member={data} ownerId={scope.ownerId} size="sm" afterUnlink={back} />}
    >
      <Breadcrumbs>
        <Anchor component={Link} to={back} size="sm">
          Collaboration
        </Anchor>
        <Text size="sm">{memberName(data)}</Text>
      </Breadcrumbs>
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Account
            </Text>
            <Text size="sm">{data.user ? `${data.user.name}` : 'not yet (invited)'}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Alias
            </Text>
            <Text size="sm">{data.displayName ?? '—'}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Invited
            </Text>
            <Text size="sm">{formatDateTime(data.invitedAt)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {data.status === 'pending' ? 'Link valid until' : 'Accepted'}
            </Text>
            <Text size="sm">{formatDateTime(data.status === 'pending' ? data.expiresAt : data.acceptedAt)}</Text>
          </div>
        </SimpleGrid>
      </Paper>
      <SharesSection member={data} ownerId={scope.ownerId} accountOwnerId={accountOwnerId} />
      {data.status === 'active' || data.status === 'suspended' ? <EffectiveAccess member={data} ownerId={scope.ownerId} accountOwnerId={accountOwnerId} /> : null}
    </Page>
  );
}
