import { MultiSelect, NumberInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useFormProblem } from '../api/forms';
import { FormDialog } from '../components/FormDialog';
import { requestableRoles, useRequestAccess } from './queries';

export interface RequestTarget {
  ownerId: string;
  resource: { type: 'account' } | { type: 'group' | 'environment'; id: string };
  /** How the dialog names the resource: `production`, `all environments`. */
  label: string;
}

/** Asks the owner for roles on one resource for some hours, with a reason; the owner and managers answer it. */
export function RequestAccessDialog({ opened, onClose, target, onRequested }: { opened: boolean; onClose: () => void; target: RequestTarget; onRequested?: () => void }) {
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { roleIds: ['operator'], durationHours: 2 as number | string, reason: '' },
    validate: {
      roleIds: (value) => (value.length === 0 ? 'Choose at least one role' : null),
      durationHours: (value) => (typeof value === 'number' && value >= 1 ? null : 'At least 1 hour'),
      reason: (value) => (value.trim() ? null : 'Say why you need it'),
    },
  });
  const problem = useFormProblem(form, { codes: { access_request_too_long: 'durationHours', access_request_limit: 'reason' } });
  const request = useRequestAccess();
  const submit = form.onSubmit(({ roleIds, durationHours, reason }) =>
    problem.watch(
      request.mutateAsync({ ownerId: target.ownerId, resource: target.resource, roleIds, durationHours: Number(durationHours), reason: reason.trim() }).then(() => {
        form.reset();
        onRequested?.();
        onClose();
      }),
    ),
  );
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Request access to ${target.label}`}
      intro="The owner and the account's managers are told at once. An approval gives you these roles for the hours you ask (or fewer); unanswered, the request lapses after 24 hours."
      error={problem.message}
      onSubmit={submit}
      submitLabel="Send request"
      submitting={request.isPending}
    >
      <MultiSelect label="Roles" data={requestableRoles} required key={form.key('roleIds')} {...form.getInputProps('roleIds')} />
      <NumberInput label="For how many hours" min={1} max={720} required key={form.key('durationHours')} {...form.getInputProps('durationHours')} />
      <Textarea label="Reason" placeholder="Incident: the shop is down and needs a restart" required maxLength={500} autosize minRows={2} key={form.key('reason')} {...form.getInputProps('reason')} />
    </FormDialog>
  );
}
