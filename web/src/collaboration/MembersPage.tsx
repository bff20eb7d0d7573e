import { Anchor, Badge, Button, Stack, Table, Text, Tooltip } from '@mantine/core';
import { DataTable } from '../components/DataTable';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { EmptyHint, LoadError, Loading } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconPlus, IconUsers } from '../components/Icons';
import { Page } from '../components/Page';
import { statusColor, statusLabel } from './labels';
import { MemberActions, memberName } from './MemberActions';
import { InviteDialog } from './MemberDialogs';
import { OwnerScopeSelect, useOwnerScope } from './OwnerScope';
import { useMembers } from './queries';

/** Account settings › Collaboration › User management: the members, invitations, and what can be done to each. */
export function MembersPage() {
  const scope = useOwnerScope('collaboration.manage');
  const members = useMembers(scope.ownerId);
  const [inviting, invite] = useDisclosure(false);
  const suffix = scope.ownerId ? `?owner=${scope.ownerId}` : '';
  const items = members.data ?? [];
  return (
    <Page
      title="Collaboration"
      description="User management: invite people by email, give each an alias, and select a member to choose what they can reach and with which roles."
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={invite.open}>
          Invite
        </Button>
      }
    >
      <OwnerScopeSelect scope={scope} />
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.isError ? (
        <LoadError error={members.error} retry={() => void members.refetch()} />
      ) : items.length === 0 ? (
        <EmptyHint
          icon={<IconUsers size={28} />}
          title="Nobody collaborates with you yet"
          action={
            <Button size="sm" onClick={invite.open} leftSection={<IconPlus size={16} />}>
              Invite someone
            </Button>
          }
        >
          Invite a developer, a consultant or a teammate by email. Once they accept, select them here to share all environments, a group or single
          environments, with the roles you choose.
        </EmptyHint>
      ) : (
        <DataTable minWidth={860} label="Members" verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Invited</Table.Th>
                <Table.Th>Accepted</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((member) => (
                <Table.Tr key={member.id} data-testid="member-row" data-email={member.email}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Anchor component={Link} to={`/settings/collaboration/members/${member.id}${suffix}`} fw={600} size="sm">
                        {memberName(member)}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {member.email}
                        {member.user && member.displayName ? ` · ${member.user.name}` : ''}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <Badge color={statusColor[member.status]} variant="light">
                        {statusLabel[member.status]}
                      </Badge>
                      {member.status === 'pending' ? (
                        member.invitationExpired ? (
                          <Tooltip label="Resend to send a new link">
                            <Text size="xs" c="red.9">
                              link expired {formatDate(member.expiresAt)}
                            </Text>
                          </Tooltip>
                        ) : (
                          <Text size="xs" c="dimmed">
                            link valid until {formatDateTime(member.expiresAt)}
                          </Text>
                        )
                      ) : null}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(member.invitedAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(member.acceptedAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <MemberActions member={member} ownerId={scope.ownerId} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
      )}
      {inviting ? <InviteDialog opened={inviting} onClose={invite.close} ownerId={scope.ownerId} /> : null}
    </Page>
  );
}
