import { Anchor, Badge, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import type { Member } from '../api/types';
import { Fact } from '../components/Fact';
import { formatDateTime } from '../components/format';
import { Page } from '../components/Page';
import { MissingPage, queryFallback } from '../components/QueryState';
import { BudgetSection } from './BudgetSection';
import { EffectiveAccess } from './EffectiveAccess';
import { memberHolder } from './holder';
import { memberName, statusColor, statusLabel } from './labels';
import { MemberActions } from './MemberActions';
import { useOwnerScope } from './OwnerScope';
import { useMember, useMemberTeamShares, useShares, useTeams } from './queries';
import { SharesSection } from './SharesSection';

/** The owner's teams this member is in, as links to each (teams are the owner's alone: a manager sees none). */
function MemberTeams({ member }: { member: Member }) {
  const teams = useTeams();
  const mine = (teams.data ?? []).filter((team) => team.members.some((item) => item.memberId === member.id));
  if (!mine.length) return <>none</>;
  return (
    <Group gap={6} component="span">
      {mine.map((team) => (
        <Anchor key={team.id} component={Link} to={`/settings/collaboration/teams/${team.id}`} size="sm">
          {team.name}
        </Anchor>
      ))}
    </Group>
  );
}

/** One member: who they are, their status and actions, what is shared with them, and their effective access. */
export function MemberPage() {
  const { id = '' } = useParams();
  const scope = useOwnerScope('collaboration.manage');
  const member = useMember(id, scope.ownerId, scope.ready && scope.accountId !== undefined);
  const shares = useShares(id, scope.ownerId, scope.ready && scope.accountId !== undefined && member.data !== undefined && member.data.status !== 'pending');
  // The panel below opens on what the member reaches, through its teams too (teams are the owner's: not for a manager).
  const teamShares = useMemberTeamShares(id, scope.ready && scope.ownerId === undefined && scope.accountId !== undefined);
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
        <SimpleGrid cols={{ base: 2, sm: scope.ownerId === undefined ? 5 : 4 }} spacing="md">
          <Fact label="Account">{data.user ? data.user.name : 'not yet (invited)'}</Fact>
          <Fact label="Alias">{data.displayName ?? '—'}</Fact>
          <Fact label="Invited">{formatDateTime(data.invitedAt)}</Fact>
          <Fact label={pending ? 'Link valid until' : 'Accepted'}>{formatDateTime(pending ? data.expiresAt : data.acceptedAt)}</Fact>
          {scope.ownerId === undefined ? (
            <Fact label="Teams">
              <MemberTeams member={data} />
            </Fact>
          ) : null}
        </SimpleGrid>
      </Paper>
      <SharesSection holder={memberHolder(data)} ownerId={scope.ownerId} accountId={scope.accountId} />
      {/* Budgets are the owner's alone: a manager never sees the section (the API answers it 403). */}
      {scope.ownerId === undefined && data.user && (data.status === 'active' || data.status === 'suspended') ? <BudgetSection member={data} /> : null}
      {data.status === 'active' || data.status === 'suspended' ? <EffectiveAccess member={data} shares={[...(shares.data ?? []), ...teamShares]} ownerId={scope.ownerId} accountId={scope.accountId} /> : null}
    </Page>
  );
}
