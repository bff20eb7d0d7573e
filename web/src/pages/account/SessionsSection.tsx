import { Badge, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { ConfirmAction } from '../../components/ConfirmAction';
import { DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { queryFallback } from '../../components/QueryState';
import { Section } from '../../components/Section';
import { useSignOut } from '../../auth/session';

const sessionsKey = ['sessions'] as const;
type SessionItem = Awaited<ReturnType<typeof loadSessions>>['items'][number];
const loadSessions = () => ok(api.GET('/api/v1/me/sessions'));

function SessionRow({ session }: { session: SessionItem }) {
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const end = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id: session.id } } })),
    onSuccess: () => (session.current ? signOut.mutate() : queryClient.invalidateQueries({ queryKey: sessionsKey })),
  });
  return (
    <Table.Tr>
      <Table.Td fw={500}>
        <Group gap={6}>
          <span title={session.userAgent ?? undefined}>{session.device}</span>
          {session.current ? (
            <Badge size="sm" variant="light">
              this session
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>{session.ip ?? 'unknown'}</Table.Td>
      <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
      <Table.Td>{formatDateTime(session.lastSeenAt)}</Table.Td>
      <Table.Td>
        <ConfirmAction
          label={session.current ? 'Sign out' : 'End'}
          aria-label={`End the session on ${session.device} started ${formatDateTime(session.createdAt)}`}
          button={{ variant: 'light' }}
          title={session.current ? 'Sign out of this session?' : `End the session on ${session.device}?`}
          confirmLabel={session.current ? 'Sign out' : 'End session'}
          onConfirm={() => end.mutateAsync()}
        >
          {session.current ? 'You will be signed out here.' : 'Whoever uses it is signed out at their next request.'}
        </ConfirmAction>
      </Table.Td>
    </Table.Tr>
  );
}

/** My sessions: device, address, when started and last seen; end one, or all others. */
export function SessionsSection() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: loadSessions });
  const endOthers = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/me/sessions', { params: { query: { others: 'true' } } })),
    onSuccess: (answer) => {
      notifications.show({ color: 'green', message: answer.ended === 1 ? 'One other session ended.' : `${answer.ended} other sessions ended.` });
      return queryClient.invalidateQueries({ queryKey: sessionsKey });
    },
  });
  const items = sessions.data?.items ?? [];
  const others = items.filter((session) => !session.current).length;
  return (
    <Section
      title="Sessions"
      description="Where you are signed in. Last seen is updated at most once a minute. API tokens are listed under API tokens."
      actions={
        others > 0 ? (
          <ConfirmAction
            label="End all other sessions"
            button={{ variant: 'light' }}
            title="End every other session?"
            confirmLabel="End other sessions"
            onConfirm={() => endOthers.mutateAsync()}
          >
            Every browser and device but this one is signed out.
          </ConfirmAction>
        ) : null
      }
    >
      {queryFallback(sessions, 'Loading sessions…') ??
        (items.length === 0 ? (
          <Text size="sm">No sessions.</Text>
        ) : (
          <DataTable minWidth={560} label="Sessions" striped columns={['Device', 'Address', 'Signed in', 'Last seen', { label: 'Actions', hideLabel: true, actions: true }]}>
            {items.map((session) => (
              <SessionRow key={session.id} session={session} />
            ))}
          </DataTable>
        ))}
    </Section>
  );
}
