import { Alert, Badge, Button, Code, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import type { WebhookEndpoint } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { EmptyHint } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { DeliveryLog } from './DeliveryLog';
import { SettingsNav } from '../layout/SettingsNav';
import { webhooksKey } from './keys';
import { RegisterEndpoint } from './RegisterEndpoint';
import { SecretNotice } from './SecretNotice';

interface Shown {
  title: string;
  secret: string;
}

function EndpointCard({ endpoint, onSecret }: { endpoint: WebhookEndpoint; onSecret: (shown: Shown) => void }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhooksKey });
  const path = { params: { path: { id: endpoint.id } } };
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => ok(api.PATCH('/api/v1/webhooks/{id}', { ...path, body: { enabled } })),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/webhooks/{id}/rotate-secret', path)),
    onSuccess: (answer) => onSecret({ title: `New secret for ${endpoint.url}`, secret: answer.secret }),
  });
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/webhooks/{id}', path)),
    onSuccess: () => {
      notifications.show({ message: `Endpoint ${endpoint.url} removed.` });
      return refresh();
    },
  });
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={`Webhook endpoint ${endpoint.url}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Stack gap={2}>
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
              {endpoint.url}
            </Text>
            {endpoint.description ? (
              <Text size="sm" c="dimmed">
                {endpoint.description}
              </Text>
            ) : null}
          </Stack>
          <Switch
            label={endpoint.enabled ? 'Enabled' : 'Disabled'}
            checked={endpoint.enabled}
            onChange={(event) => toggle.mutate(event.currentTarget.checked)}
            aria-label={`Deliveries to ${endpoint.url}`}
          />
        </Group>
        <Group gap={6}>
          {endpoint.events.map((event) => (
            <Badge key={event} variant="light" tt="none">
              {event}
            </Badge>
          ))}
        </Group>
        {endpoint.disabledReason ? (
          <Alert color="red" variant="light" title="Disabled by Shareplane">
            {endpoint.disabledReason} Fix the endpoint, enable it again, then redeliver what it missed.
          </Alert>
        ) : endpoint.failingSince ? (
          <Text size="sm" c="orange">
            Failing since {formatDateTime(endpoint.failingSince)}; disabled after a day of failures.
          </Text>
        ) : null}
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={() => setOpen((value) => !value)} aria-expanded={open}>
            {open ? 'Hide deliveries' : 'Deliveries'}
          </Button>
          <ConfirmAction
            label="Rotate secret"
            button={{ variant: 'light', color: undefined }}
            title="Rotate the signing secret?"
            confirmLabel="Rotate"
            onConfirm={() => rotate.mutateAsync()}
          >
            A new secret signs from now on. The old one keeps signing beside it for a day, so the receiver can switch without missing a delivery.
          </ConfirmAction>
          <ConfirmAction label="Remove" aria-label={`Remove endpoint ${endpoint.url}`} title="Remove this endpoint?" confirmLabel="Remove" onConfirm={() => remove.mutateAsync()}>
            Its delivery log goes with it; events stop being sent there at once.
          </ConfirmAction>
        </Group>
        {open ? <DeliveryLog endpoint={endpoint} /> : null}
      </Stack>
    </Paper>
  );
}

/** Account settings → Webhooks: the owner's endpoints, their signing secrets (shown once) and delivery logs. */
export function WebhooksPage() {
  const [shown, setShown] = useState<Shown | null>(null);
  const endpoints = useQuery({ queryKey: webhooksKey, queryFn: () => ok(api.GET('/api/v1/webhooks')) });
  const items = endpoints.data?.items ?? [];
  return (
    <Page
      title="Webhooks"
      parent={{ to: '/settings/account', label: 'Account settings' }}
      description={
        <>
          Shareplane posts your account&apos;s events (invitations, members, shares, roles, environment actions and status changes, refused attempts) to these
          URLs, signed as the Standard Webhooks specification says. Only you, the owner, manage them: they carry your whole audit trail.
        </>
      }
    >
      <SettingsNav />
      <Section title="Register an endpoint" description={<>Loopback and private addresses are refused. Each delivery carries <Code>{'{type, timestamp, data}'}</Code>.</>}>
        {shown ? <SecretNotice title={shown.title} secret={shown.secret} onDone={() => setShown(null)} /> : null}
        <RegisterEndpoint onCreated={(created) => setShown({ title: `Endpoint ${created.url} registered`, secret: created.secret })} />
      </Section>
      <Section title="Endpoints">
        {queryFallback(endpoints, 'Loading endpoints…') ??
          (items.length === 0 ? (
            <EmptyHint title="No endpoints yet">Register one above to receive your account&apos;s events in your chat, SIEM or scripts.</EmptyHint>
          ) : (
            <Stack gap="sm">
              {items.map((endpoint) => (
                <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={setShown} />
              ))}
            </Stack>
          ))}
      </Section>
    </Page>
  );
}
