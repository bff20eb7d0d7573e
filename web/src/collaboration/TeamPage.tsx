import { Button, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useNavigate, useParams } from 'react-router';
import { useMe } from '../auth/session';
import { Page } from '../components/Page';
import { MissingPage, queryFallback } from '../components/QueryState';
import { teamHolder } from './holder';
import { count, teamsPath } from './labels';
import { useTeam } from './queries';
import { SharesSection } from './SharesSection';
import { TeamDialog } from './TeamDialog';
import { TeamMembersSection } from './TeamMembersSection';
import { DeleteTeam } from './TeamsPage';

/** One team: its name and external id, its members, and what is shared with it. */
export function TeamPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const team = useTeam(id);
  const navigate = useNavigate();
  const [editing, edit] = useDisclosure(false);
  const fallback = queryFallback(
    team,
    'Loading the team…',
    <MissingPage title="Team not found" hint="No such team" back={{ to: teamsPath, label: 'Back to the teams' }}>
      It may have been deleted.
    </MissingPage>,
  );
  if (fallback || !team.data) return fallback;
  const data = team.data;
  return (
    <Page
      title={data.name}
      parent={{ to: teamsPath, label: 'Teams' }}
      description={`${count(data.members.length, 'member')}${data.externalId ? ` · external id ${data.externalId}` : ''}`}
      actions={
        <Group gap={6}>
          <Button size="sm" variant="default" onClick={edit.open} aria-label={`Edit the team ${data.name}`}>
            Edit
          </Button>
          <DeleteTeam team={data} size="sm" onDeleted={() => void navigate(teamsPath)} />
        </Group>
      }
    >
      <TeamMembersSection team={data} />
      <SharesSection holder={teamHolder(data)} accountId={me.data?.id} />
      {editing ? <TeamDialog team={data} opened={editing} onClose={edit.close} /> : null}
    </Page>
  );
}
