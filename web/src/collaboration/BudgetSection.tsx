import { Button, Checkbox, Group, NumberInput, Paper, Progress, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { useFormProblem } from '../api/forms';
import type { Budget, BudgetBody, Member } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { Fact } from '../components/Fact';
import { FormDialog } from '../components/FormDialog';
import { Section } from '../components/Section';
import { memberName } from './labels';

const budgetKey = (memberId: string) => ['budget', memberId] as const;
const MONEY = /^\d{1,12}(\.\d{1,6})?$/;

/** An amount of the API's money (six decimal places) as people read it. */
export const readableMoney = (value: string) => Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });

function BudgetDialog({ member, budget, opened, onClose }: { member: Member; budget: Budget; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: {
      monthlyBudget: budget ? readableMoney(budget.monthlyBudget).replaceAll(/[^\d.]/g, '') : '',
      maxCloudlets: (budget?.maxCloudlets ?? '') as number | string,
      hardStop: budget?.hardStop ?? false,
    },
    validate: { monthlyBudget: (value) => (MONEY.test(value.trim()) ? null : 'Enter an amount like 25 or 25.50') },
  });
  const problem = useFormProblem(form);
  const save = useMutation({
    mutationFn: (body: BudgetBody) => ok(api.PUT('/api/v1/collaboration/members/{id}/budget', { params: { path: { id: member.id } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: budgetKey(member.id) });
      void queryClient.invalidateQueries({ queryKey: ['billing'] });
      onClose();
    },
  });
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={`Monthly budget for ${memberName(member)}`}
      intro={
        <Text size="sm">
          Counts what the environments {memberName(member)} created in your account cost each UTC month. At 80 % you are both told; at 100 % they can no
          longer create, start or scale up those environments until you raise it or the month ends.
        </Text>
      }
      error={problem.message}
      onSubmit={form.onSubmit((values) =>
        problem.watch(
          save.mutateAsync({
            monthlyBudget: values.monthlyBudget.trim(),
            maxCloudlets: values.maxCloudlets === '' ? null : Number(values.maxCloudlets),
            hardStop: values.hardStop,
          }),
        ),
      )}
      submitLabel="Save budget"
      submitting={save.isPending}
    >
      <TextInput label="Monthly budget" required data-autofocus key={form.key('monthlyBudget')} {...form.getInputProps('monthlyBudget')} />
      <NumberInput
        label="Cloudlets running at once (empty: no cap)"
        min={1}
        allowDecimal={false}
        key={form.key('maxCloudlets')}
        {...form.getInputProps('maxCloudlets')}
      />
      <Checkbox label="Hard stop: stop their running environments at 100 %" key={form.key('hardStop')} {...form.getInputProps('hardStop', { type: 'checkbox' })} />
    </FormDialog>
  );
}

/** The owner's spend guardrail for one member: the budget, this month's progress, and set / remove. */
export function BudgetSection({ member }: { member: Member }) {
  const queryClient = useQueryClient();
  const [editing, edit] = useDisclosure(false);
  const budget = useQuery({
    queryKey: budgetKey(member.id),
    queryFn: async () => (await ok(api.GET('/api/v1/collaboration/members/{id}/budget', { params: { path: { id: member.id } } }))).budget,
  });
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/collaboration/members/{id}/budget', { params: { path: { id: member.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: budgetKey(member.id) }),
  });
  const data = budget.data ?? null;
  return (
    <Section
      title="Spend guardrail"
      description={`A monthly budget for the environments ${memberName(member)} creates in your account.`}
      actions={
        <Group gap="xs">
          <Button variant="default" onClick={edit.open} disabled={budget.isPending}>
            {data ? 'Change budget' : 'Set a budget'}
          </Button>
          {data ? (
            <ConfirmAction label="Remove" aria-label="Remove the budget" title="Remove this budget?" confirmLabel="Remove budget" onConfirm={() => remove.mutateAsync()}>
              Nothing holds their environments back any more.
            </ConfirmAction>
          ) : null}
        </Group>
      }
    >
      {data ? (
        <Paper withBorder p="md" radius="md" data-testid="member-budget">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
            <Fact label="Monthly budget">{readableMoney(data.monthlyBudget)}</Fact>
            <Fact label={`Spent in ${data.month}`}>{readableMoney(data.spentThisMonth)}</Fact>
            <Fact label="Cloudlets at once">{data.maxCloudlets ?? 'no cap'}</Fact>
            <Fact label="At 100 %">{data.hardStop ? 'stop their environments' : 'block creating and starting'}</Fact>
          </SimpleGrid>
          <Progress mt="md" value={Math.min(data.percent, 100)} color={data.reached ? 'red' : data.warned ? 'yellow' : 'blue'} aria-label={`${data.percent} % of the budget spent`} />
          <Text size="xs" mt={4} c={data.reached ? 'red.9' : 'dimmed'}>
            {data.percent} % spent{data.reached ? ': they can no longer create, start or scale up their environments here' : ''}
          </Text>
        </Paper>
      ) : (
        <Text size="sm" c="dimmed">
          No budget: what their environments cost is not capped.
        </Text>
      )}
      {editing ? <BudgetDialog member={member} budget={data} opened={editing} onClose={edit.close} /> : null}
    </Section>
  );
}
