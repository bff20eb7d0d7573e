import { Alert, Button, Modal, Select, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { queryFallback } from '../components/QueryState';
import { environmentLabel } from '../environments/model';
import { useAccountEnvironments } from '../environments/queries';
import { blockedExplanation } from './labels';
import { PermissionBadges } from './RoleBadges';

interface ExplainedToken {
  id: string;
  name: string;
  holder: { label: string };
}

/** For one environment of mine, what a member's token may do there, what its holder may do, and which limit decided. */
function TokenExplanation({ token, environmentId }: { token: ExplainedToken; environmentId: string }) {
  const explain = useQuery({
    queryKey: ['explain-token', token.id, environmentId],
    queryFn: () => ok(api.GET('/api/v1/access/explain', { params: { query: { tokenId: token.id, environmentId } } })),
  });
  const data = explain.data;
  return (
    queryFallback(explain) ??
    (data ? (
      <Stack gap="xs" aria-live="polite" data-testid="token-explanation">
        {data.permissions.length > 0 ? (
          <Alert color="green" variant="light" title={`“${token.name}” may do this here`}>
            <PermissionBadges permissions={data.permissions} size="sm" />
          </Alert>
        ) : (
          <Alert color="gray" variant="light" title={`“${token.name}” can do nothing here`}>
            {data.blockedBy ? blockedExplanation[data.blockedBy] : 'Nothing grants it access.'}
          </Alert>
        )}
        <Text size="sm" fw={500}>
          What {token.holder.label} may do here
        </Text>
        {data.holderPermissions?.length ? <PermissionBadges permissions={data.holderPermissions} size="sm" /> : <Text size="sm">Nothing.</Text>}
        <Text size="sm">
          {data.decidedBy === 'scope'
            ? "Decided by the token's scope: it keeps less than its holder may do."
            : "Decided by its holder's access: the token can do no more than its holder, whatever its scope says."}
        </Text>
      </Stack>
    ) : null)
  );
}

/** A button that opens, for a member's token, the explanation of what it may do on an environment the owner picks. */
export function TokenExplainButton({ token }: { token: ExplainedToken }) {
  const [opened, { open, close }] = useDisclosure(false);
  const environments = useAccountEnvironments(undefined);
  const [chosen, setChosen] = useState<string | null>(null);
  const environmentId = chosen ?? environments[0]?.id ?? null;
  return (
    <>
      <Button size="xs" variant="subtle" onClick={open} aria-label={`Explain ${token.holder.label}'s token ${token.name}`}>
        Explain
      </Button>
      <Modal opened={opened} onClose={close} title={`What can “${token.name}” do?`} centered>
        <Stack gap="md">
          <Select
            label="On"
            data={environments.map((env) => ({ value: env.id, label: environmentLabel(env) }))}
            value={environmentId}
            onChange={setChosen}
            allowDeselect={false}
            searchable
          />
          {opened && environmentId ? <TokenExplanation token={token} environmentId={environmentId} /> : <Text size="sm">You have no environment to explain yet.</Text>}
        </Stack>
      </Modal>
    </>
  );
}
