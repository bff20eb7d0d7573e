import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { messageOf } from '../api/client';
import { FormAlert } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { useAnswerTransfer, usePendingTransfers } from '../environments/transfer/queries';

/** Environments another account offers me: accept (it becomes mine and is billed to me from the next hour) or decline. */
export function IncomingTransfers() {
  const incoming = usePendingTransfers('incoming');
  const answer = useAnswerTransfer();
  const items = incoming.data ?? [];
  if (items.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="incoming-transfers">
      <Title order={2} size="h4">
        Environments offered to you
      </Title>
      <FormAlert message={answer.error ? messageOf(answer.error) : null} />
      {items.map((transfer) => (
        <Paper key={transfer.id} withBorder p="sm" radius="md" data-testid="incoming-transfer">
          <Group justify="space-between" wrap="wrap">
            <div style={{ minWidth: 0 }}>
              <Text fw={600} size="sm">
                {transfer.from.name} offers you {transfer.environment.name}
              </Text>
              <Text size="sm">
                Accepting makes your account its owner: it keeps running and is billed to you from the next hour. Answer by {formatDateTime(transfer.expiresAt)}.
              </Text>
            </div>
            <Group gap="xs">
              <Button size="xs" onClick={() => answer.mutate({ id: transfer.id, how: 'accept' })} loading={answer.isPending} aria-label={`Accept ${transfer.environment.name}`}>
                Accept
              </Button>
              <Button size="xs" variant="default" onClick={() => answer.mutate({ id: transfer.id, how: 'decline' })} disabled={answer.isPending} aria-label={`Decline ${transfer.environment.name}`}>
                Decline
              </Button>
            </Group>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
