import { Anchor, Button, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useMe } from '../auth/session';
import type { Team } from '../api/types';
import { api, ok } from '../api/client';
import { ConfirmAction } from '../components/ConfirmAction';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDate } from '../components/format';
import { IconPlus, IconUsers } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { SettingsNav } from '../layout/SettingsNav';
import { count, teamsPath } from './labels';
import { invalidateTeams, useTeams } from './queries';
import { TeamDialog } from './TeamDialog';

/** Delete a team after saying what ends: its shares, for each of its members, who are told. */
export function DeleteTeam({ team, onDeleted, size = 'xs' }: { team: Team; onDeleted?: () => void; size?: 'xs' | 'sm' }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/collaboration/teams/{id}', { params: { path: { id: team.id } } })),
    onSuccess: () => {
      invalidateTeams(queryClient);
      onDeleted?.();
    },
  });
  return (
    <ConfirmAction
      label="Delete"
      aria-label={`Delete the team ${team.name}`}
      button={{ size }}
      title={`Delete the team “${team.name}”?`}
      confirmLabel="Delete team"
      onConfirm={() => remove.mutateAsync()}
    >
      Its shares are revoked at once and each of its {count(team.members.length, 'member')} is told. The members stay in the account with their own shares.
    </ConfirmAction>
  );
}

/** Account settings › Collaboration › Teams: the owner's teams, a new one, and deleting one. */
export function TeamsPage() {
  const me = useMe();
  const owner = me.data !== undefined && me.data !== null && me.data.type !== 'collaborator';
  const teams = useTeams(owner);
  const [creating, create] = useDisclosure(false);
  const items = teams.data ?? [];
  return (
    <Page
      title="Teams"
      parent={{ to: '/settings/collaboration', label: 'Collaboration' }}
      description="A team is a set of your active members you share with as with one member. Each member gets what its own shares and its teams’ shares give, together."
      actions={
        owner ? (
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            New team
          </Button>
        ) : null
      }
    >
      <SettingsNav />
      {!owner ? (
        <EmptyHint icon={<IconUsers size={28} />} title="No teams to manage">
          Teams belong to an account owner, who alone creates and changes them. A collaborator account owns none.
        </EmptyHint>
      ) : (
        (queryFallback(teams, 'Loading teams…') ??
        (items.length === 0 ? (
          <EmptyHint
            icon={<IconUsers size={28} />}
            title="No teams yet"
            action={
              <Button size="sm" onClick={create.open} leftSection={<IconPlus size={16} />}>
                Create a team
              </Button>
            }
          >
            Group contractors or a department into a team, then share a group or environments with the team once instead of with each person.
          </EmptyHint>
        ) : (
          <DataTable minWidth={640} label="Teams" verticalSpacing="sm" highlightOnHover columns={['Team', 'External id', 'Members', 'Created', { label: 'Actions', actions: true }]}>
            {items.map((team) => (
              <Table.Tr key={team.id} data-testid="team-row" data-team={team.name}>
                <Table.Td>
                  <Anchor component={Link} to={`${teamsPath}/${team.id}`} fw={600} size="sm">
                    {team.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={team.externalId ? undefined : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
                    {team.externalId ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>{team.members.length}</Table.Td>
                <Table.Td>{formatDate(team.createdAt)}</Table.Td>
                <Table.Td>
                  <DeleteTeam team={team} />
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )))
      )}
      {creating ? <TeamDialog opened={creating} onClose={create.close} /> : null}
    </Page>
  );
}
