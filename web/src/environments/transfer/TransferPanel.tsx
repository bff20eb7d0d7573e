import { Alert, Button, Group, Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useFormProblem } from '../../api/forms';
import type { Environment } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { formatDateTime } from '../../components/format';
import { FormDialog } from '../../components/FormDialog';
import { useAnswerTransfer, usePendingTransfers, useRequestTransfer } from './queries';

function TransferDialog({ env, opened, onClose }: { env: Environment; opened: boolean; onClose: () => void }) {
  const form = useForm({ mode: 'uncontrolled', initialValues: { email: '' }, validate: { email: isEmail("Enter the recipient account's email") } });
  const problem = useFormProblem(form, { codes: { validation_failed: 'email', collaborator_cannot_own: 'email', conflict: 'email' } });
  const ask = useRequestTransfer(env.id);
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Transfer ${env.displayName || env.name}`}
      intro={
        <Text size="sm">
          The recipient has 7 days to accept. Once they do, the environment belongs to their account and is billed to them from the next hour; it keeps
          running, leaves your groups, and the shares on it end.
        </Text>
      }
      error={problem.message}
      onSubmit={form.onSubmit((values) => problem.watch(ask.mutateAsync(values.email.trim()).then(onClose)))}
      submitLabel="Ask to transfer"
      submitting={ask.isPending}
    >
      <TextInput label="Recipient's account email" type="email" required data-autofocus key={form.key('email')} {...form.getInputProps('email')} />
    </FormDialog>
  );
}

/** The owner's side of a transfer on the environment page: ask for one, or see the pending one and cancel it. */
export function TransferPanel({ env }: { env: Environment }) {
  const pending = usePendingTransfers('outgoing', env.id);
  const answer = useAnswerTransfer();
  const [asking, ask] = useDisclosure(false);
  const transfer = pending.data?.[0];
  if (pending.isPending) return null;
  if (transfer) {
    return (
      <Alert color="yellow" title="Transfer pending" data-testid="transfer-pending" mb="md">
        <Group justify="space-between" wrap="wrap">
          <Text size="sm">
            Waiting for {transfer.to.name} ({transfer.to.email}) to accept, until {formatDateTime(transfer.expiresAt)}.
          </Text>
          <ConfirmAction
            label="Cancel transfer"
            title="Cancel this transfer?"
            confirmLabel="Cancel transfer"
            onConfirm={() => answer.mutateAsync({ id: transfer.id, how: 'cancel' })}
          >
            The recipient is told; the environment stays in your account.
          </ConfirmAction>
        </Group>
      </Alert>
    );
  }
  return (
    <>
      <Button variant="default" size="sm" onClick={ask.open}>
        Transfer…
      </Button>
      {asking ? <TransferDialog env={env} opened={asking} onClose={ask.close} /> : null}
    </>
  );
}
