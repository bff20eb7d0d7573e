import { MultiSelect, NumberInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useFormProblem } from '../api/forms';
import type { AccessRequest } from '../api/types';
import { FormDialog } from '../components/FormDialog';
import { requestResource } from './labels';
import { useAnswerRequest } from './queries';

interface AnswerProps {
  request: AccessRequest;
  ownerId: string | undefined;
  opened: boolean;
  onClose: () => void;
}

/** Approves a request, with all or some of its roles, for its hours or fewer: an expiring share. */
export function ApproveDialog({ request, ownerId, opened, onClose }: AnswerProps) {
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { roleIds: request.roles.map((role) => role.id), durationHours: request.durationHours as number | string },
    validate: {
      roleIds: (value) => (value.length === 0 ? 'Keep at least one role' : null),
      durationHours: (value) => (typeof value === 'number' && value >= 1 && value <= request.durationHours ? null : `From 1 to ${request.durationHours} hours`),
    },
  });
  const problem = useFormProblem(form);
  const answer = useAnswerRequest();
  const submit = form.onSubmit(({ roleIds, durationHours }) =>
    problem.watch(answer.mutateAsync({ id: request.id, ownerId, verb: 'approve', body: { roleIds, durationHours: Number(durationHours) } }).then(onClose)),
  );
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Approve access to ${requestResource(request)}`}
      intro={`${request.memberLabel ?? request.requester.name} gets a share that ends by itself after these hours, beside what it already holds. You may keep fewer roles or fewer hours.`}
      error={problem.message}
      onSubmit={submit}
      submitLabel="Approve"
      submitting={answer.isPending}
    >
      <MultiSelect label="Roles" data={request.roles.map((role) => ({ value: role.id, label: role.name }))} key={form.key('roleIds')} {...form.getInputProps('roleIds')} />
      <NumberInput label="Hours" min={1} max={request.durationHours} key={form.key('durationHours')} {...form.getInputProps('durationHours')} />
    </FormDialog>
  );
}

/** Denies a request, with a comment the requester reads in its mail. */
export function DenyDialog({ request, ownerId, opened, onClose }: AnswerProps) {
  const form = useForm({ mode: 'uncontrolled', initialValues: { comment: '' } });
  const problem = useFormProblem(form);
  const answer = useAnswerRequest();
  const submit = form.onSubmit(({ comment }) => problem.watch(answer.mutateAsync({ id: request.id, ownerId, verb: 'deny', body: { comment: comment.trim() } }).then(onClose)));
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Deny access to ${requestResource(request)}`}
      intro={`${request.memberLabel ?? request.requester.name} is told by mail, with your comment.`}
      error={problem.message}
      onSubmit={submit}
      submitLabel="Deny"
      submitting={answer.isPending}
    >
      <Textarea label="Comment" maxLength={500} autosize minRows={2} key={form.key('comment')} {...form.getInputProps('comment')} />
    </FormDialog>
  );
}
