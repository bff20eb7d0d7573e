import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import { useSignIn } from '../../auth/session';
import { FormAlert } from '../../components/Feedback';
import { safeNext } from '../../components/format';
import { AuthLayout } from '../../layout/AuthLayout';
import { NewPasswordFields, newPasswordError } from './NewPasswordFields';

/** Sign up for a trial account, then sign in at once; the verification mail is on its way meanwhile. */
export function SignUpPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
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
  const problem = useFormProblem(form, { codes: { account_exists: 'email' } });
  const signUp = useMutation({
    mutationFn: (body: { name: string; email: string; password: string }) => ok(api.POST('/api/v1/auth/signup', { body })),
  });

  const submit = form.onSubmit((values) =>
    problem.watch(
      (async () => {
        const { user } = await signUp.mutateAsync(values);
        await signIn.mutateAsync({ email: values.email, password: values.password });
        notifications.show({ color: 'green', title: 'Welcome to Shareplane', message: `We sent a confirmation link to ${user.email}.` });
        void navigate(next, { replace: true });
      })(),
    ),
  );

  return (
    <AuthLayout title="Create your account">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            A free trial: run environments, group them and invite people to work on them with you.
          </Text>
          <FormAlert message={problem.message} />
          <TextInput label="Your name" autoComplete="name" required key={form.key('name')} {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" autoComplete="email" required key={form.key('email')} {...form.getInputProps('email')} />
          <NewPasswordFields form={form} field="password" />
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
