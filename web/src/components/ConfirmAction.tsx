import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, useState } from 'react';
import { messageOf } from '../api/client';
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
}

/** A confirmation dialog that says what the action does, runs it, and shows why when it fails. */
export function ConfirmDialog({ opened, onClose, title, children, confirmLabel, onConfirm, danger = true }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
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
        <FormAlert message={error} />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={() => void confirm()} loading={busy} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A destructive or weighty action behind a confirmation dialog; `trigger` renders the button that opens it. */
export function ConfirmAction({ trigger, ...dialog }: Omit<ConfirmDialogProps, 'opened' | 'onClose'> & { trigger: (open: () => void) => ReactNode }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      {trigger(open)}
      <ConfirmDialog opened={opened} onClose={close} {...dialog} />
    </>
  );
}
