import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useFormProblem } from '../../api/forms';
import { useSecondFactor } from '../../auth/session';
import { FormAlert } from '../../components/Feedback';
import { AuthLayout } from '../../layout/AuthLayout';

/** The second step of a sign-in with two-factor on: a code of the authenticator app, or a recovery code. */
export function SecondFactorForm({ challenge, onDone, onRestart }: { challenge: string; onDone: () => unknown; onRestart: () => void }) {
  const second = useSecondFactor();
  const form = useForm({ mode: 'uncontrolled', initialValues: { code: '' }, validate: { code: isNotEmpty('Enter the code') } });
  const problem = useFormProblem(form, { codes: { invalid_code: 'code' } });
  const submit = form.onSubmit(({ code }) => problem.watch(second.mutateAsync({ challenge, code }).then(onDone)));
  return (
    <AuthLayout title="Two-factor sign-in">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
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
          <Group justify="space-between">
            <Anchor component="button" type="button" size="sm" onClick={onRestart}>
              Start over
            </Anchor>
            <Button type="submit" loading={second.isPending}>
              Verify
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
