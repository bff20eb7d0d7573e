import { Button, type ButtonProps, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, useState } from 'react';
import { messageOf } from '../api/client';
import { AccessChanges, type Arrangement, previewHolds, useAccessPreview } from './AccessChanges';
import { FormAlert } from './Feedback';

interface ConfirmDialogProps {
  opened: boolean;
  onClose: () => void;
  /** The question, as the dialog's title: "Revoke the token “ci”?" */
  title: string;
  /** What will happen and what will be lost. */
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; the dialog stays open with the error when it fails. */
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
  /** A change that can move access: previewed when the dialog opens, its button held while the server refuses it. */
  arrangement?: Arrangement;
}

/** A confirmation dialog that says what the action does, runs it, and shows why when it fails. */
export function ConfirmDialog({ opened, onClose, title, children, confirmLabel, onConfirm, danger = true, arrangement }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const preview = useAccessPreview(arrangement, opened);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={() => {
        setError(null);
        onClose();
      }}
      title={title}
      centered
    >
      <Stack gap="md">
        <Text size="sm" component="div">
          {children}
        </Text>
        {arrangement ? <AccessChanges preview={preview} /> : null}
        <FormAlert message={error} />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={() => void confirm()} loading={busy} disabled={arrangement ? previewHolds(preview) : false} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

interface ConfirmActionProps extends Omit<ConfirmDialogProps, 'opened' | 'onClose'> {
  /** The button's text. */
  label: ReactNode;
  /** Its accessible name when the text alone is ambiguous in a list: "Remove the share of Group Staging". */
  'aria-label'?: string;
  /** How the button looks: a small red subtle button unless told otherwise. */
  button?: ButtonProps;
}

/** A destructive or weighty action: a button that opens a confirmation dialog saying what will be lost. */
export function ConfirmAction({ label, 'aria-label': ariaLabel, button, ...dialog }: ConfirmActionProps) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button size="xs" variant="subtle" color="red" {...button} onClick={open} aria-label={ariaLabel}>
        {label}
      </Button>
      <ConfirmDialog opened={opened} onClose={close} {...dialog} />
    </>
  );
}
