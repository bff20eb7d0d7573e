import { Button, Group, MultiSelect, Stack, TextInput } from '@mantine/core';
import { hasLength, useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { CreatedWebhookEndpoint } from '../api/types';
import { FormAlert } from '../components/Feedback';
import { IconPlus } from '../components/Icons';
import { webhooksKey } from './keys';

/** The subscription choices: everything, each family (share.*) and each event type, grouped by category. */
function useEventChoices() {
  const types = useQuery({ queryKey: ['webhook-event-types'], queryFn: () => ok(api.GET('/api/v1/webhooks/event-types')) });
  const categories = types.data?.categories ?? [];
  const families = [...new Set(categories.flatMap((category) => category.types.map((type) => `${type.split('.')[0]}.*`)))];
  return [
    { group: 'Everything', items: [{ value: '*', label: '* (every event)' }, ...families.map((family) => ({ value: family, label: family }))] },
    ...categories.map((category) => ({ group: category.name, items: category.types })),
  ];
}

/** Registers an endpoint: URL, event types and a description; answers with the secret through `onCreated`. */
export function RegisterEndpoint({ onCreated }: { onCreated: (created: CreatedWebhookEndpoint) => void }) {
  const queryClient = useQueryClient();
  const choices = useEventChoices();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { url: '', description: '', events: [] as string[] },
    validate: {
      url: (value) => (/^https?:\/\/\S+$/.test(value.trim()) ? null : 'An http:// or https:// URL'),
      description: hasLength({ max: 500 }, 'Up to 500 characters'),
      events: (value) => (value.length === 0 ? 'Choose at least one event type' : null),
    },
  });
  const problem = useFormProblem(form);
  const create = useMutation({
    mutationFn: (body: { url: string; description: string; events: string[] }) => ok(api.POST('/api/v1/webhooks', { body })),
    onSuccess: (created) => {
      onCreated(created);
      form.reset();
      return queryClient.invalidateQueries({ queryKey: webhooksKey });
    },
  });
  const submit = form.onSubmit(({ url, description, events }) => problem.watch(create.mutateAsync({ url: url.trim(), description: description.trim(), events })));
  return (
    <form onSubmit={submit} noValidate aria-label="Register a webhook endpoint">
      <Stack gap="xs">
        <FormAlert message={problem.message} />
        <Group align="flex-start" gap="sm">
          <TextInput label="Endpoint URL" placeholder="https://hooks.example.com/shareplane" required style={{ flex: '2 1 18rem' }} key={form.key('url')} {...form.getInputProps('url')} />
          <TextInput label="Description" placeholder="Deploys to the team chat" style={{ flex: '1 1 12rem' }} key={form.key('description')} {...form.getInputProps('description')} />
        </Group>
        <MultiSelect label="Event types" placeholder="Pick events" data={choices} searchable required key={form.key('events')} {...form.getInputProps('events')} />
        <Group>
          <Button type="submit" loading={create.isPending} leftSection={<IconPlus size={16} />}>
            Register endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
