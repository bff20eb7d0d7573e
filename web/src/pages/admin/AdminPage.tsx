import { Badge, Button, Group, Menu, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { User } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmAction';
import { DataTable } from '../../components/DataTable';
import { EmptyHint } from '../../components/Feedback';
import { endOfLocalDay, formatDate, toDateInput } from '../../components/format';
import { FormDialog } from '../../components/FormDialog';
import { IconSearch } from '../../components/Icons';
import { Page } from '../../components/Page';
import { PersonLabel } from '../../components/PersonLabel';
import { queryFallback } from '../../components/QueryState';
import { FailedMail } from './FailedMail';

const usersKey = ['admin-users'] as const;

function typeBadge(user: User) {
  if (user.type === 'trial') {
    return (
      <Badge color={user.trialExpired ? 'red' : 'blue'} variant="light">
        {user.trialExpired ? 'trial ended' : 'trial'}
      </Badge>
    );
  }
  return (
    <Badge color={user.type === 'paid' ? 'green' : 'grape'} variant="light">
      {user.type}
    </Badge>
  );
}

function TrialEndDialog({ user, opened, onClose }: { user: User; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { endsOn: toDateInput(user.trialEndsAt ?? new Date(Date.now() + 14 * 86_400_000).toISOString()) },
    validate: { endsOn: (value) => (value ? null : 'Pick the last day of the trial') },
  });
  const problem = useFormProblem(form);
  const setTrial = useMutation({
    mutationFn: (endsAt: string) => ok(api.POST('/api/v1/admin/users/{id}/trial', { params: { path: { id: user.id } }, body: { endsAt } })),
    onSuccess: (updated) => {
      notifications.show({ color: 'green', message: `${updated.email}: trial ends ${formatDate(updated.trialEndsAt)}.` });
      void queryClient.invalidateQueries({ queryKey: usersKey });
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Set the trial end of ${user.email}`}
      intro={
        <Text size="sm">
          The account becomes a trial ending on the chosen day. A day in the future restores access at once; a day in the
          past ends the trial now.
        </Text>
      }
      error={problem.message}
      onSubmit={form.onSubmit(({ endsOn }) => problem.watch(setTrial.mutateAsync(endOfLocalDay(endsOn))))}
      submitLabel="Set trial end"
      submitting={setTrial.isPending}
    >
      <TextInput label="Trial ends on" type="date" required data-autofocus key={form.key('endsOn')} {...form.getInputProps('endsOn')} />
    </FormDialog>
  );
}

function UserActions({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [trialOpened, trial] = useDisclosure(false);
  const [converting, setConverting] = useState<'paid' | 'collaborator' | null>(null);
  const convert = useMutation({
    mutationFn: (type: 'paid' | 'collaborator') =>
      ok(api.POST('/api/v1/admin/users/{id}/convert', { params: { path: { id: user.id } }, body: { type } })),
    onSuccess: (updated) => {
      notifications.show({ color: 'green', message: `${updated.email} is now a ${updated.type} account.` });
      return queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
  return (
    <Group gap={6} wrap="nowrap">
      <Button size="xs" variant="default" onClick={trial.open}>
        Set trial end
      </Button>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="default" aria-label={`Convert ${user.email}`}>
            Convert…
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {(['paid', 'collaborator'] as const)
            .filter((type) => type !== user.type)
            .map((type) => (
              <Menu.Item key={type} onClick={() => setConverting(type)}>
                To {type}
              </Menu.Item>
            ))}
        </Menu.Dropdown>
      </Menu>
      {/* Outside the menu: the menu's dropdown unmounts when it closes, and the dialog must outlive it. */}
      <ConfirmDialog
        opened={converting !== null}
        onClose={() => setConverting(null)}
        title={`Convert ${user.email} to ${converting ?? ''}?`}
        confirmLabel={`Convert to ${converting ?? ''}`}
        danger={false}
        onConfirm={() => (converting ? convert.mutateAsync(converting) : Promise.resolve())}
      >
        {converting === 'paid'
          ? 'A paid account never expires and pays for its own environments. An ended trial gets its access back at once.'
          : 'A collaborator account never expires and works in the accounts that invited it; it owns no environments of its own. An ended trial gets its access back at once.'}
      </ConfirmDialog>
      {trialOpened ? <TrialEndDialog user={user} opened={trialOpened} onClose={trial.close} /> : null}
    </Group>
  );
}

/** Platform admins (the billing team): find accounts, move trial ends, convert to paid or collaborator; send failed mail again. */
export function AdminPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('email') ?? '';
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const users = useQuery({
    queryKey: [...usersKey, debounced],
    queryFn: () => ok(api.GET('/api/v1/admin/users', { params: { query: { email: debounced || undefined, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
  const items = users.data?.items ?? [];
  return (
    <Page title="Admin" description="For the billing team: find accounts, extend or end trials, convert accounts to paid or collaborator, send failed mail again.">
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <Stack gap="md">
            <TextInput
              label="Find accounts by email"
              placeholder="part of an email, e.g. @example.com"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(event) => setParams(event.currentTarget.value ? { email: event.currentTarget.value } : {}, { replace: true })}
              maw={420}
              type="search"
            />
            {queryFallback(users, 'Finding accounts…') ??
              (items.length === 0 ? (
                <EmptyHint icon={<IconSearch size={28} />} title="No account matches">
                  Search with another part of the email address; the search ignores case.
                </EmptyHint>
              ) : (
                <DataTable
                  minWidth={760}
                  label="Accounts"
                  striped
                  columns={['Account', 'Type', 'Trial ends', 'Signed up', { label: 'Actions', hideLabel: true, actions: true }]}
                >
                  {items.map((user) => (
                    <Table.Tr key={user.id}>
                      <Table.Td>
                        <PersonLabel name={`${user.name}${user.isAdmin ? ' (admin)' : ''}`} email={user.email} note={user.emailVerified ? '' : ' · not confirmed'} />
                      </Table.Td>
                      <Table.Td>{typeBadge(user)}</Table.Td>
                      <Table.Td>{user.type === 'trial' ? formatDate(user.trialEndsAt) : '—'}</Table.Td>
                      <Table.Td>{formatDate(user.createdAt)}</Table.Td>
                      <Table.Td>
                        <UserActions user={user} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </DataTable>
              ))}
            {items.length === 100 ? (
              <Text size="xs" c="dimmed">
                Showing the first 100 matches; narrow the search to see others.
              </Text>
            ) : null}
          </Stack>
        </Paper>
        <FailedMail />
      </Stack>
    </Page>
  );
}
