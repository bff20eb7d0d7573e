import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { showProblem } from '../../api/forms';
import { useSignIn } from '../../auth/session';
import { FormAlert } from '../../components/Feedback';
import { safeNext } from '../../components/format';
import { usePageTitle } from '../../components/Page';
import { AuthLayout } from '../../layout/AuthLayout';

export const MIN_PASSWORD = 10;

/** Client-side checks of a new password; the API checks again and its messages win. */
export function newPasswordError(value: string): string | null {
  if (value.length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters`;
  if (value.trim().length < MIN_PASSWORD) return 'Use at least 10 characters that are not spaces';
  if (value.length > 200) return 'Use at most 200 characters';
  return null;
}

/** Sign up for a trial account, then sign in at once; the verification mail is on its way meanwhile. */
export function SignUpPage() {
  usePageTitle('Create an account');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [formError, setFormError] = useState<string | null>(null);
  const next = safeNext(params.get('next'));
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', email: params.get('email') ?? '', password: '' },
    validate: {
      name: hasLength({ min: 1, max: 100 }, 'Enter your name (up to 100 characters)'),
      email: isEmail('Enter an email address'),
      password: newPasswordError,
    },
  });
  const signUp = useMutation({
    mutationFn: (body: { name: string; email: string; password: string }) => ok(api.POST('/api/v1/auth/signup', { body })),
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const { user } = await signUp.mutateAsync(values);
      await signIn.mutateAsync({ email: values.email, password: values.password });
      notifications.show({
        color: 'green',
        title: 'Welcome to Shareplane',
        message: `We sent a confirmation link to ${user.email}.`,
      });
      void navigate(next, { replace: true });
    } catch (error) {
      setFormError(showProblem(form, error, { account_exists: 'email' }));
    }
  });

  return (
    <AuthLayout>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={1} size="h2">
            Create your account
          </Title>
          <Text size="sm" c="dimmed">
            A free trial: run environments, group them and invite people to work on them with you.
          </Text>
          <FormAlert message={formError} />
          <TextInput label="Your name" autoComplete="name" required key={form.key('name')} {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" autoComplete="email" required key={form.key('email')} {...form.getInputProps('email')} />
          <PasswordInput
            label="Password"
            description={`At least ${MIN_PASSWORD} characters`}
            autoComplete="new-password"
            required
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={signUp.isPending || signIn.isPending}>
            Create account
          </Button>
          <Text size="sm">
            Already have an account?{' '}
            <Anchor component={Link} to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`}>
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
