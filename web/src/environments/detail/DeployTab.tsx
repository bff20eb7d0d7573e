import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { Environment } from '../../api/types';
import { FormAlert } from '../../components/Feedback';
import { environmentsKey } from '../queries';

/** Deploys an archive URL or a git repository to the running environment (env.deploy). */
export function DeployTab({ env }: { env: Environment }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { source: '' },
    validate: {
      source: (value) => (/^(https?:\/\/|git:\/\/|ssh:\/\/|git@)\S+$/.test(value.trim()) ? null : 'An https:// archive URL or a git repository (git@…, ssh://…)'),
    },
  });
  const problem = useFormProblem(form, { codes: { invalid_state: 'source' } });
  const deploy = useMutation({
    mutationFn: (source: string) => ok(api.POST('/api/v1/environments/{id}/deploy', { params: { path: { id: env.id } }, body: { source } })),
    onSuccess: (updated) => {
      queryClient.setQueryData([...environmentsKey, 'one', updated.id], updated);
      void queryClient.invalidateQueries({ queryKey: environmentsKey });
      notifications.show({ color: 'green', message: 'Deploying: follow it in the logs.' });
      form.reset();
    },
  });
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        onSubmit={form.onSubmit(({ source }) => problem.watch(deploy.mutateAsync(source.trim())))}
      >
        <Stack gap="sm" maw={640}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            Currently deployed: <strong>{env.deployedSource ?? 'nothing yet'}</strong>
          </Text>
          <FormAlert message={problem.message} />
          <TextInput label="Source" placeholder="https://example.com/app.tar.gz or git@github.com:me/app.git" required {...form.getInputProps('source')} />
          <Group>
            <Button type="submit" loading={deploy.isPending} disabled={env.status !== 'running'}>
              Deploy
            </Button>
            {env.status !== 'running' ? (
              <Text size="sm" c="dimmed">
                Start the environment first: deploying needs it running.
              </Text>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
