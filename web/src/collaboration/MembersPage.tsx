import { Badge, Button, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { Member } from '../api/types';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDate, formatDateTime } from '../components/format';
import { IconPlus, IconUsers } from '../components/Icons';
import { Page } from '../components/Page';
import { PersonLabel } from '../components/PersonLabel';
import { queryFallback } from '../components/QueryState';
import { memberName, statusColor, statusLabel } from './labels';
import { MemberActions } from './MemberActions';
import { MemberTokensSection } from './MemberTokensSection';
import { TwoFactorPolicySection } from './TwoFactorPolicySection';
import { InviteDialog } from './MemberDialogs';
import { SettingsNav } from '../layout/SettingsNav';
import { OwnerScopeSelect, useOwnerScope } from './OwnerScope';
import { useMembers } from './queries';

/** A member's status, and for a pending invitation how long its link works. */
function MemberStatus({ member }: { member: Member }) {
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={statusColor[member.status]} variant="light">
        {statusLabel[member.status]}
      </Badge>
      {member.status !== 'pending' ? null : member.invitationExpired ? (
        <Tooltip label="Resend to send a new link">
          <Text size="xs" c="red.9">
            link expired {formatDate(member.expiresAt)}
          </Text>
        </Tooltip>
      ) : (
        <Text size="xs" c="dimmed">
          link valid until {formatDateTime(member.expiresAt)}
        </Text>
      )}
    </Stack>
  );
}

/** Account settings › Collaboration › User management: the members, invitations, and what can be done to each. */
export function MembersPage() {
  const scope = useOwnerScope('collaboration.manage');
  const members = useMembers(scope.ownerId, scope.ready && scope.accountId !== undefined);
  const [inviting, invite] = useDisclosure(false);
  const suffix = scope.ownerId ? `?owner=${scope.ownerId}` : '';
  const items = members.data ?? [];
  return (
    <Page
      title="Collaboration"
      parent={{ to: '/settings/account', label: 'Account settings' }}
      description="User management: invite people by email, give each an alias, and select a member to choose what they can reach and with which roles."
      actions={
        scope.accountId !== undefined ? (
          <Button leftSection={<IconPlus size={16} />} onClick={invite.open}>
            Invite
          </Button>
        ) : null
      }
    >
      <SettingsNav />
      <OwnerScopeSelect scope={scope} />
      {scope.accountId === undefined ? (
        <EmptyHint icon={<IconUsers size={28} />} title="No members to manage">
          A collaborator account owns no account of its own, and no owner lets you manage its members (collaboration.manage). The accounts you work in, and
          what you may do in each, are under Shared with me.
        </EmptyHint>
      ) : (queryFallback(members, 'Loading members…') ??
        (items.length === 0 ? (
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
          <DataTable
            minWidth={860}
            label="Members"
            verticalSpacing="sm"
            highlightOnHover
            columns={['Member', 'Status', 'Two-factor', 'Invited', 'Accepted', { label: 'Actions', actions: true }]}
          >
            {items.map((member) => (
              <Table.Tr key={member.id} data-testid="member-row" data-email={member.email}>
                <Table.Td>
                  <PersonLabel
                    name={memberName(member)}
                    email={member.email}
                    to={`/settings/collaboration/members/${member.id}${suffix}`}
                    note={member.user && member.displayName ? ` · ${member.user.name}` : ''}
                  />
                </Table.Td>
                <Table.Td>
                  <MemberStatus member={member} />
                </Table.Td>
                <Table.Td>
                  {member.user ? (
                    <Badge color={member.twoFactor ? 'green' : 'gray'} variant="light">
                      {member.twoFactor ? 'on' : 'off'}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{formatDate(member.invitedAt)}</Table.Td>
                <Table.Td>{formatDate(member.acceptedAt)}</Table.Td>
                <Table.Td>
                  <MemberActions member={member} ownerId={scope.ownerId} />
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )))}
      {scope.ownerId ? null : <TwoFactorPolicySection />}
      {scope.ownerId ? null : <MemberTokensSection />}
      {inviting ? <InviteDialog opened={inviting} onClose={invite.close} ownerId={scope.ownerId} /> : null}
    </Page>
  );
}
