import { Button, Group, Modal, type ModalProps, Stack } from '@mantine/core';
import type { FormEventHandler, ReactNode } from 'react';
import { FormAlert } from './Feedback';

/** The submit button at the end of a form; in a dialog, right-aligned after Cancel (`onCancel`). */
export function FormActions({
  onCancel,
  submitLabel,
  submitting,
  submitDisabled = false,
}: {
  onCancel?: () => void;
  submitLabel: ReactNode;
  submitting: boolean;
  submitDisabled?: boolean;
}) {
  return (
    <Group justify={onCancel ? 'flex-end' : 'flex-start'} gap="xs">
      {onCancel ? (
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      ) : null}
      <Button type="submit" loading={submitting} disabled={submitDisabled}>
        {submitLabel}
      </Button>
    </Group>
  );
}

interface FormDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  size?: ModalProps['size'];
  /** What the dialog does, above the problem and the fields. */
  intro?: ReactNode;
  /** The problem of the last submit that belongs to no field. */
  error: string | null;
  onSubmit: FormEventHandler<HTMLFormElement>;
  submitLabel: ReactNode;
  submitting: boolean;
  /** Holds the submit button (a preview still loading, or a change the server would refuse). */
  submitDisabled?: boolean;
  children: ReactNode;
}

/** A dialog that is one form: what it does, the API's problem, the fields, then Cancel and submit (Enter submits too). */
export function FormDialog({ opened, onClose, title, size, intro, error, onSubmit, submitLabel, submitting, submitDisabled, children }: FormDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form noValidate onSubmit={onSubmit}>
        <Stack gap="md">
          {intro}
          <FormAlert message={error} />
          {children}
          <FormActions onCancel={onClose} submitLabel={submitLabel} submitting={submitting} {...(submitDisabled ? { submitDisabled } : {})} />
        </Stack>
      </form>
    </Modal>
  );
}
