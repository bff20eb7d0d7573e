import { Badge, Button, Group, Select, Table } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, messageOf, ok } from '../api/client';
import type { MemberStatus, Team, TeamMember } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { EmptyHint, FormAlert } from '../components/Feedback';
import { IconUsers } from '../components/Icons';
import { PersonLabel } from '../components/PersonLabel';
import { Section } from '../components/Section';
import { memberName, statusColor, statusLabel } from './labels';
import { invalidateTeams, useMembers } from './queries';

function TeamMemberRow({ team, member }: { team: Team; member: TeamMember }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/collaboration/teams/{id}/members/{memberId}', { params: { path: { id: team.id, memberId: member.memberId } } })),
    onSuccess: () => invalidateTeams(queryClient),
  });
  // The API names the status as a word; one it adds later shows as it is, in grey.
  const status = member.status as MemberStatus;
  const name = memberName(member);
  return (
    <Table.Tr data-testid="team-member-row" data-email={member.email}>
      <Table.Td>
        <PersonLabel name={name} email={member.email} to={`/settings/collaboration/members/${member.memberId}`} />
      </Table.Td>
      <Table.Td>
        <Badge color={statusColor[status] ?? 'gray'} variant="light">
          {statusLabel[status] ?? member.status}
        </Badge>
      </Table.Td>
      <Table.Td>
        <ConfirmAction
          label="Remove"
          aria-label={`Remove ${name} from the team`}
          title={`Remove ${name} from ${team.name}?`}
          confirmLabel="Remove from team"
          onConfirm={() => remove.mutateAsync()}
        >
          What the team’s shares give {name} ends on their next request. {name} keeps their own shares and other teams’.
        </ConfirmAction>
      </Table.Td>
    </Table.Tr>
  );
}

/** Adds one of the owner's active members who is not in the team yet. */
function AddTeamMember({ team }: { team: Team }) {
  const queryClient = useQueryClient();
  const members = useMembers();
  const [chosen, choose] = useState<string | null>(null);
  const inTeam = new Set(team.members.map((member) => member.memberId));
  const candidates = (members.data ?? []).filter((member) => member.status === 'active' && !inTeam.has(member.id));
  const add = useMutation({
    mutationFn: (memberId: string) => ok(api.PUT('/api/v1/collaboration/teams/{id}/members/{memberId}', { params: { path: { id: team.id, memberId } } })),
    onSuccess: () => {
      choose(null);
      invalidateTeams(queryClient);
    },
  });
  return (
    <Group align="flex-end" gap="xs" wrap="wrap">
      <Select
        label="Member to add"
        placeholder={candidates.length ? 'Choose an active member' : 'Nobody left to add'}
        data={candidates.map((member) => ({ value: member.id, label: `${memberName(member)} (${member.email})` }))}
        value={chosen}
        onChange={choose}
        searchable
        disabled={!candidates.length}
        nothingFoundMessage="No active member matches"
        miw={280}
      />
      <Button onClick={() => chosen && add.mutate(chosen)} disabled={!chosen} loading={add.isPending}>
        Add to team
      </Button>
      {add.error ? <FormAlert message={messageOf(add.error)} /> : null}
    </Group>
  );
}

/** A team's members: who is in it, adding an active member, removing one. */
export function TeamMembersSection({ team }: { team: Team }) {
  return (
    <Section title="Members" description="Only active members join a team. A suspended member stays in it but gets nothing through it until activated.">
      <AddTeamMember team={team} />
      {team.members.length === 0 ? (
        <EmptyHint icon={<IconUsers size={28} />} title="Nobody in the team yet">
          Add active members above: each gets what the team’s shares give, on their next request.
        </EmptyHint>
      ) : (
        <DataTable minWidth={520} label="Team members" verticalSpacing="sm" columns={['Member', 'Status', { label: 'Actions', actions: true }]}>
          {team.members.map((member) => (
            <TeamMemberRow key={member.memberId} team={team} member={member} />
          ))}
        </DataTable>
      )}
    </Section>
  );
}
