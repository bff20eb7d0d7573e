import { Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { AccessRequest } from '../api/types';
import { DataTable } from '../components/DataTable';
import { EmptyHint } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { OwnerScopeSelect, useOwnerScope } from '../collaboration/OwnerScope';
import { useOwners } from '../environments/queries';
import { ApproveDialog, DenyDialog } from './AnswerDialogs';
import { requestResource, requestStatusColor } from './labels';
import { useAccessRequests, useCancelRequest } from './queries';
import { RequestAccessDialog } from './RequestAccessDialog';

const roleNames = (request: AccessRequest) => (request.grantedRoles ?? request.roles).map((role) => role.name).join(', ');

/** One pending request with Approve and Deny. */
function PendingRow({ request, ownerId }: { request: AccessRequest; ownerId: string | undefined }) {
  const [open, setOpen] = useState<'approve' | 'deny' | null>(null);
  const who = request.memberLabel ?? request.requester.name;
  return (
    <Table.Tr>
      <Table.Td>{who}</Table.Td>
      <Table.Td>{requestResource(request)}</Table.Td>
      <Table.Td>
        {roleNames(request)} for {request.durationHours} h
      </Table.Td>
      <Table.Td>{request.reason}</Table.Td>
      <Table.Td>{formatDateTime(request.lapsesAt)}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" onClick={() => setOpen('approve')} aria-label={`Approve the request of ${who}`}>
            Approve
          </Button>
          <Button size="xs" variant="default" onClick={() => setOpen('deny')} aria-label={`Deny the request of ${who}`}>
            Deny
          </Button>
        </Group>
        {open === 'approve' ? <ApproveDialog request={request} ownerId={ownerId} opened onClose={() => setOpen(null)} /> : null}
        {open === 'deny' ? <DenyDialog request={request} ownerId={ownerId} opened onClose={() => setOpen(null)} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

/** The owner's and managers' inbox: pending requests of the account chosen, to approve or deny. */
function ToAnswer() {
  const scope = useOwnerScope('collaboration.manage');
  const pending = useAccessRequests(scope.ownerId, 'pending', scope.ready && scope.accountId !== undefined);
  if (!scope.accountId) return null;
  return (
    <Section title="Requests to answer" description="Members asking for more access for a while. An approval gives an expiring share; unanswered, a request lapses after 24 hours.">
      <OwnerScopeSelect scope={scope} />
      {queryFallback(pending) ??
        (pending.data?.length ? (
          <DataTable minWidth={760} label="Pending access requests" columns={['Member', 'Resource', 'Asks for', 'Reason', 'Lapses', { label: 'Actions', hideLabel: true, actions: true }]}>
            {pending.data.map((request) => (
              <PendingRow key={request.id} request={request} ownerId={scope.ownerId} />
            ))}
          </DataTable>
        ) : (
          <EmptyHint title="No pending requests">When a member asks for access, it shows here and you are told by mail.</EmptyHint>
        ))}
    </Section>
  );
}

/** My own requests in one account I work in: their answers, and Cancel while pending. */
function MyRequests() {
  const { owners } = useOwners();
  const accounts = owners.filter((owner) => !owner.mine);
  const [chosen, setChosen] = useState<string | null>(null);
  const ownerId = chosen ?? accounts[0]?.id;
  const mine = useAccessRequests(ownerId, undefined, ownerId !== undefined);
  const cancel = useCancelRequest();
  const [asking, setAsking] = useState(false);
  const owner = accounts.find((account) => account.id === ownerId);
  if (!ownerId || !owner) return null;
  return (
    <Section
      title="My requests"
      description="What you asked for in the accounts you work in, and the answers."
      actions={
        <Button variant="default" onClick={() => setAsking(true)}>
          Request access to all environments
        </Button>
      }
    >
      {accounts.length > 1 ? (
        <Select label="Account" data={accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.email})` }))} value={ownerId} onChange={setChosen} allowDeselect={false} maw={360} />
      ) : null}
      {queryFallback(mine) ??
        (mine.data?.length ? (
          <DataTable minWidth={720} label="My access requests" columns={['Resource', 'Roles', 'Status', 'Answer', { label: 'Actions', hideLabel: true, actions: true }]}>
            {mine.data.map((request) => (
              <Table.Tr key={request.id}>
                <Table.Td>{requestResource(request)}</Table.Td>
                <Table.Td>
                  {roleNames(request)} for {request.grantedHours ?? request.durationHours} h
                </Table.Td>
                <Table.Td>
                  <Badge color={requestStatusColor[request.status]} variant="light">
                    {request.status}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {request.accessUntil ? <Text size="sm">Until {formatDateTime(request.accessUntil)}</Text> : null}
                    {request.comment ? <Text size="sm">“{request.comment}”</Text> : null}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {request.status === 'pending' ? (
                    <Button size="xs" variant="default" loading={cancel.isPending} onClick={() => cancel.mutate({ id: request.id, ownerId })}>
                      Cancel request
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        ) : (
          <EmptyHint title="No requests yet">Ask from an environment's page (Request access) when you need more than you hold.</EmptyHint>
        ))}
      {asking ? <RequestAccessDialog opened onClose={() => setAsking(false)} target={{ ownerId, resource: { type: 'account' }, label: `all environments of ${owner.name}` }} /> : null}
    </Section>
  );
}

/** Access requests: the inbox of the owner and managers, and a member's own requests. */
export function AccessRequestsPage() {
  return (
    <Page title="Access requests" description="Temporary access, asked for with a reason and granted by the owner or a manager.">
      <ToAnswer />
      <MyRequests />
    </Page>
  );
}
