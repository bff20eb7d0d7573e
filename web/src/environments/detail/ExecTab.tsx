import { Badge, Button, Code, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { useFormProblem } from '../../api/forms';
import type { Environment } from '../../api/types';
import { FormAlert } from '../../components/Feedback';

/** Runs a command on the environment's nodes, all or one role's, and shows each node's output (env.exec). */
export function ExecTab({ env }: { env: Environment }) {
  const form = useForm({
    initialValues: { command: '', role: '' },
    validate: { command: (value) => (value.trim() ? null : 'Type a command, e.g. uptime') },
  });
  const problem = useFormProblem(form, { codes: { invalid_state: 'command' } });
  const exec = useMutation({
    mutationFn: (body: { command: string; role?: string }) => ok(api.POST('/api/v1/environments/{id}/exec', { params: { path: { id: env.id } }, body })),
  });
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="md">
        <form
          noValidate
          onSubmit={form.onSubmit(({ command, role }) => problem.watch(exec.mutateAsync({ command: command.trim(), ...(role ? { role } : {}) })))}
        >
          <Stack gap="sm">
            <FormAlert message={problem.message} />
            <Group align="flex-start" gap="sm" wrap="wrap">
              <TextInput label="Command" placeholder="uptime" style={{ flex: '1 1 16rem' }} ff="monospace" {...form.getInputProps('command')} />
              <Select
                label="On"
                data={[{ value: '', label: 'every node' }, ...env.nodes.map((node) => ({ value: node.role, label: `${node.role} nodes` }))]}
                allowDeselect={false}
                w={{ base: '100%', xs: 160 }}
                {...form.getInputProps('role')}
              />
              <Button type="submit" mt={{ base: 0, xs: 25 }} loading={exec.isPending} disabled={env.status !== 'running'}>
                Run
              </Button>
            </Group>
            {env.status !== 'running' ? (
              <Text size="sm" c="dimmed">
                Commands run on running environments only.
              </Text>
            ) : null}
          </Stack>
        </form>
        {exec.data ? (
          <Stack gap="xs" aria-live="polite">
            {exec.data.results.map((result) => (
              <div key={result.node}>
                <Group gap="xs" mb={4}>
                  <Text size="sm" fw={600}>
                    {result.node}
                  </Text>
                  <Badge size="sm" variant="light" color={result.exitCode === 0 ? 'green' : 'red'}>
                    exit {result.exitCode}
                  </Badge>
                </Group>
                <Code block>{result.output || '(no output)'}</Code>
              </div>
            ))}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
