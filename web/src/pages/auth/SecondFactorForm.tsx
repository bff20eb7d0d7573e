import { Anchor, Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'react';
import { messageOf } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { passkeyProblem } from '../../auth/passkey';
import { useSecondFactor } from '../../auth/session';
import { FormAlert } from '../../components/Feedback';
import { AuthLayout } from '../../layout/AuthLayout';

/** What the password step answered when a second factor is needed. */
export interface SecondStep {
  challenge: string;
  methods: Array<'totp' | 'recovery' | 'passkey'>;
  passkeyOptions: { challenge: string; [key: string]: unknown } | null;
}

/** The second step of a sign-in with two-factor on: a code of the authenticator app, a recovery code, or a passkey. */
export function SecondFactorForm({ step, onDone, onRestart }: { step: SecondStep; onDone: () => unknown; onRestart: () => void }) {
  const { challenge, methods, passkeyOptions } = step;
  const second = useSecondFactor();
  const form = useForm({ mode: 'uncontrolled', initialValues: { code: '' }, validate: { code: isNotEmpty('Enter the code') } });
  const problem = useFormProblem(form, { codes: { invalid_code: 'code' } });
  const submit = form.onSubmit(({ code }) => problem.watch(second.mutateAsync({ challenge, code }).then(onDone)));
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const withPasskey = async () => {
    setPasskeyError(null);
    try {
      // The server answers the library's own options format (the OpenAPI document names only the challenge).
      const optionsJSON = passkeyOptions as unknown as PublicKeyCredentialRequestOptionsJSON;
      const passkey = await startAuthentication({ optionsJSON }).catch((error: unknown) => {
        throw passkeyProblem(error);
      });
      await second.mutateAsync({ challenge, passkey });
      await onDone();
    } catch (error) {
      setPasskeyError(messageOf(error));
    }
  };
  const codes = methods.includes('totp');
  return (
    <AuthLayout title="Two-factor sign-in">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {passkeyOptions ? (
            <>
              <FormAlert message={passkeyError} />
              <Button variant={codes ? 'default' : 'filled'} onClick={() => void withPasskey()} loading={second.isPending}>
                Use a passkey
              </Button>
              {codes ? <Divider label="or" labelPosition="center" /> : null}
            </>
          ) : null}
          {codes ? (
            <>
          <Text size="sm">Type the six-digit code your authenticator app shows for Shareplane, or one of your recovery codes.</Text>
          <FormAlert message={problem.message} />
          <TextInput
            label="Code"
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
            required
            key={form.key('code')}
            {...form.getInputProps('code')}
          />
            </>
          ) : null}
          <Group justify="space-between">
            <Anchor component="button" type="button" size="sm" onClick={onRestart}>
              Start over
            </Anchor>
            {codes ? (
              <Button type="submit" loading={second.isPending}>
                Verify
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
