import { Alert, Badge, Button, Code, CopyButton, Group, Image, List, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { FormAlert } from '../../components/Feedback';
import { FormActions, FormDialog } from '../../components/FormDialog';
import { formatDateTime } from '../../components/format';
import { queryFallback } from '../../components/QueryState';
import { Section } from '../../components/Section';

const twoFactorKey = ['two-factor'] as const;
const codeRule = { code: isNotEmpty('Enter the code your app shows') };

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert color="green" variant="light" title="Your recovery codes" role="status">
      <Stack gap="xs">
        <Text size="sm">Store them somewhere safe now: this is the only time they are shown. Each one signs you in once if you lose the app.</Text>
        <Code block data-testid="recovery-codes">
          {codes.join('\n')}
        </Code>
        <Group gap="xs">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button size="xs" color={copied ? 'green' : undefined} onClick={copy}>
                {copied ? 'Copied' : 'Copy the codes'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            I have stored them
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** The QR code of the otpauth:// URI, drawn in the browser (the secret never goes to anyone else). */
function QrCode({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [uri]);
  return src ? <Image src={src} w={200} h={200} alt="QR code to scan with your authenticator app" /> : null;
}

function Enrolment({ enrolment, onConfirmed }: { enrolment: { secret: string; otpauthUrl: string }; onConfirmed: (codes: string[]) => void }) {
  const form = useForm({ mode: 'uncontrolled', initialValues: { code: '' }, validate: codeRule });
  const problem = useFormProblem(form, { codes: { invalid_code: 'code' } });
  const confirm = useMutation({
    mutationFn: (code: string) => ok(api.POST('/api/v1/me/totp/confirm', { body: { code } })),
    onSuccess: (answer) => onConfirmed(answer.recoveryCodes),
  });
  return (
    <form onSubmit={form.onSubmit(({ code }) => problem.watch(confirm.mutateAsync(code)))} noValidate aria-label="Confirm two-factor sign-in">
      <Stack gap="sm">
        <List size="sm" type="ordered">
          <List.Item>Scan the QR code with an authenticator app (or type the key into it).</List.Item>
          <List.Item>Type the six-digit code it shows to confirm.</List.Item>
        </List>
        <Group align="flex-start" gap="lg">
          <QrCode uri={enrolment.otpauthUrl} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Key
            </Text>
            <Code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
              {enrolment.secret}
            </Code>
          </Stack>
        </Group>
        <FormAlert message={problem.message} />
        <TextInput label="Code from the app" autoComplete="one-time-code" maw={240} required key={form.key('code')} {...form.getInputProps('code')} />
        <FormActions submitLabel="Confirm and turn on" submitting={confirm.isPending} />
      </Stack>
    </form>
  );
}

function NewRecoveryCodes({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const [opened, { open, close }] = useDisclosure(false);
  const form = useForm({ mode: 'uncontrolled', initialValues: { password: '' }, validate: { password: isNotEmpty('Enter your password') } });
  const problem = useFormProblem(form);
  const regenerate = useMutation({
    mutationFn: (password: string) => ok(api.POST('/api/v1/me/recovery-codes', { body: { password } })),
    onSuccess: (answer) => {
      close();
      form.reset();
      onCodes(answer.recoveryCodes);
    },
  });
  return (
    <>
      <Button variant="light" onClick={open}>
        New recovery codes
      </Button>
      <FormDialog
        opened={opened}
        onClose={close}
        title="Replace your recovery codes"
        intro={<Text size="sm">Your current recovery codes stop working. Confirm with your password.</Text>}
        error={problem.message}
        onSubmit={form.onSubmit(({ password }) => problem.watch(regenerate.mutateAsync(password)))}
        submitLabel="Replace codes"
        submitting={regenerate.isPending}
      >
        <PasswordInput label="Password" autoComplete="current-password" required key={form.key('password')} {...form.getInputProps('password')} />
      </FormDialog>
    </>
  );
}

function TurnOff({ onOff }: { onOff: () => void }) {
  const [opened, { open, close }] = useDisclosure(false);
  const form = useForm({ mode: 'uncontrolled', initialValues: { password: '', code: '' }, validate: { password: isNotEmpty('Enter your password'), ...codeRule } });
  const problem = useFormProblem(form, { codes: { invalid_code: 'code' } });
  const disable = useMutation({
    mutationFn: (body: { password: string; code: string }) => ok(api.DELETE('/api/v1/me/totp', { body })),
    onSuccess: () => {
      close();
      form.reset();
      onOff();
    },
  });
  return (
    <>
      <Button variant="light" color="red" onClick={open}>
        Turn off
      </Button>
      <FormDialog
        opened={opened}
        onClose={close}
        title="Turn off two-factor sign-in"
        intro={<Text size="sm">Signing in will take only your password. Owners who require two-factor sign-in will lock you out of their accounts.</Text>}
        error={problem.message}
        onSubmit={form.onSubmit((values) => problem.watch(disable.mutateAsync(values)))}
        submitLabel="Turn off"
        submitting={disable.isPending}
      >
        <PasswordInput label="Password" autoComplete="current-password" required key={form.key('password')} {...form.getInputProps('password')} />
        <TextInput label="Code from the app, or a recovery code" autoComplete="one-time-code" required key={form.key('code')} {...form.getInputProps('code')} />
      </FormDialog>
    </>
  );
}

/** Two-factor sign-in (TOTP): turn on with an authenticator app, recovery codes, turn off. */
export function TwoFactorSection() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: twoFactorKey, queryFn: () => ok(api.GET('/api/v1/me/totp')) });
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: twoFactorKey });
  const enrol = useMutation({ mutationFn: () => ok(api.POST('/api/v1/me/totp')), onSuccess: setEnrolment });
  const state = status.data;
  return (
    <Section
      title="Two-factor sign-in"
      description="After your password, signing in asks for a code of an authenticator app on your phone, so a leaked password alone does not let anyone in."
      actions={state ? <Badge color={state.enabled ? 'green' : 'gray'} variant="light">{state.enabled ? 'On' : 'Off'}</Badge> : null}
    >
      {codes ? (
        <RecoveryCodes
          codes={codes}
          onDone={() => {
            setCodes(null);
          }}
        />
      ) : null}
      {queryFallback(status, 'Loading two-factor sign-in…') ??
        (state?.enabled ? (
          <Stack gap="sm">
            <Text size="sm">
              On since {formatDateTime(state.confirmedAt)}. {state.recoveryCodesLeft} of 10 recovery codes left.
            </Text>
            <Group gap="xs">
              <NewRecoveryCodes onCodes={setCodes} />
              <TurnOff onOff={() => void refresh()} />
            </Group>
          </Stack>
        ) : enrolment ? (
          <Enrolment
            enrolment={enrolment}
            onConfirmed={(recoveryCodes) => {
              setEnrolment(null);
              setCodes(recoveryCodes);
              void refresh();
            }}
          />
        ) : (
          <Group gap="sm">
            <FormAlert message={enrol.error ? enrol.error.message : null} />
            <Button onClick={() => enrol.mutate()} loading={enrol.isPending}>
              {state?.pending ? 'Start again with a new key' : 'Turn on two-factor sign-in'}
            </Button>
          </Group>
        ))}
    </Section>
  );
}
