import { Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { browserSupportsWebAuthn, type PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { Passkey } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { DataTable } from '../../components/DataTable';
import { EmptyHint, FormAlert } from '../../components/Feedback';
import { FormDialog } from '../../components/FormDialog';
import { formatDateTime } from '../../components/format';
import { IconKey } from '../../components/Icons';
import { queryFallback } from '../../components/QueryState';
import { Section } from '../../components/Section';
import { passkeyProblem } from '../../auth/passkey';

const passkeysKey = ['passkeys'] as const;
const nameRule = hasLength({ min: 1, max: 100 }, 'Name the passkey (up to 100 characters), e.g. “Work laptop”');

function RenamePasskey({ passkey }: { passkey: Passkey }) {
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const form = useForm({ mode: 'uncontrolled', initialValues: { name: passkey.name }, validate: { name: nameRule } });
  const problem = useFormProblem(form);
  const rename = useMutation({
    mutationFn: (name: string) => ok(api.PATCH('/api/v1/me/passkeys/{id}', { params: { path: { id: passkey.id } }, body: { name } })),
    onSuccess: () => {
      close();
      return queryClient.invalidateQueries({ queryKey: passkeysKey });
    },
  });
  return (
    <>
      <Button size="xs" variant="subtle" onClick={open} aria-label={`Rename the passkey ${passkey.name}`}>
        Rename
      </Button>
      <FormDialog
        opened={opened}
        onClose={close}
        title={`Rename the passkey “${passkey.name}”`}
        error={problem.message}
        onSubmit={form.onSubmit(({ name }) => problem.watch(rename.mutateAsync(name.trim())))}
        submitLabel="Rename"
        submitting={rename.isPending}
      >
        <TextInput label="Name" required data-autofocus key={form.key('name')} {...form.getInputProps('name')} />
      </FormDialog>
    </>
  );
}

function PasskeyRow({ passkey }: { passkey: Passkey }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/me/passkeys/{id}', { params: { path: { id: passkey.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: passkeysKey }),
  });
  return (
    <Table.Tr>
      <Table.Td fw={500}>
        <Group gap={6}>
          <span>{passkey.name}</span>
          {passkey.backedUp ? (
            <Badge variant="light" size="sm" color="gray">
              synced
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>{formatDateTime(passkey.createdAt)}</Table.Td>
      <Table.Td>{passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : 'never'}</Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <RenamePasskey passkey={passkey} />
          <ConfirmAction
            label="Remove"
            aria-label={`Remove the passkey ${passkey.name}`}
            title={`Remove the passkey “${passkey.name}”?`}
            confirmLabel="Remove passkey"
            onConfirm={() => remove.mutateAsync()}
          >
            It will no longer sign you in. Your other passkeys and your password keep working.
          </ConfirmAction>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Passkeys: add one from this browser (it signs in without a password), rename or remove them. */
export function PasskeysSection() {
  const queryClient = useQueryClient();
  const passkeys = useQuery({ queryKey: passkeysKey, queryFn: () => ok(api.GET('/api/v1/me/passkeys')) });
  const form = useForm({ mode: 'uncontrolled', initialValues: { name: '' }, validate: { name: nameRule } });
  const problem = useFormProblem(form);
  const add = useMutation({
    mutationFn: async (name: string) => {
      // The server answers the library's own options format (the OpenAPI document names only the challenge).
      const optionsJSON = await ok(api.POST('/api/v1/me/passkeys/options'));
      const response = await startRegistration({ optionsJSON: optionsJSON as unknown as PublicKeyCredentialCreationOptionsJSON }).catch((error: unknown) => {
        throw passkeyProblem(error);
      });
      return ok(api.POST('/api/v1/me/passkeys', { body: { name, response } }));
    },
    onSuccess: () => {
      form.reset();
      return queryClient.invalidateQueries({ queryKey: passkeysKey });
    },
  });
  const supported = browserSupportsWebAuthn();
  const items = passkeys.data?.items ?? [];
  return (
    <Section
      title="Passkeys"
      description="A passkey signs you in without a password, with this device's screen lock or a security key; it also counts as a second factor. Nobody can phish it: it works only on this site."
    >
      {supported ? (
        <form onSubmit={form.onSubmit(({ name }) => problem.watch(add.mutateAsync(name.trim())))} noValidate aria-label="Add a passkey">
          <Stack gap="xs">
            <FormAlert message={problem.message} />
            <Group align="flex-start" gap="sm">
              <TextInput label="Passkey name" placeholder="Work laptop" required style={{ flex: '1 1 14rem' }} key={form.key('name')} {...form.getInputProps('name')} />
              <Button type="submit" mt={{ base: 0, xs: 25 }} loading={add.isPending} leftSection={<IconKey size={16} />}>
                Add a passkey
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Text size="sm" c="dimmed">
          This browser cannot create passkeys here (passkeys need a secure page at a host name, not an IP address).
        </Text>
      )}
      {queryFallback(passkeys, 'Loading passkeys…') ??
        (items.length === 0 ? (
          <EmptyHint icon={<IconKey size={28} />} title="No passkeys yet">
            Add one for each device you sign in from, so losing one device never locks you out.
          </EmptyHint>
        ) : (
          <DataTable minWidth={480} label="Passkeys" striped highlightOnHover columns={['Name', 'Added', 'Last used', { label: 'Actions', hideLabel: true, actions: true }]}>
            {items.map((passkey) => (
              <PasskeyRow key={passkey.id} passkey={passkey} />
            ))}
          </DataTable>
        ))}
    </Section>
  );
}
