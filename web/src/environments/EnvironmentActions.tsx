import { Button, Group, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import type { Environment, Permission } from '../api/types';
import { ConfirmAction } from '../components/ConfirmAction';
import { can } from './model';
import { useDeleteEnvironment, useEnvironmentAction } from './queries';

/**
 * The lifecycle actions the caller's permissions allow on this environment and its status admits; the others are
 * not offered at all.
 */
export function EnvironmentActions({ env, size = 'xs', afterDelete }: { env: Environment; size?: 'xs' | 'sm'; afterDelete?: string }) {
  const action = useEnvironmentAction();
  const remove = useDeleteEnvironment();
  const navigate = useNavigate();
  const label = env.displayName || env.name;
  const busy = action.isPending && action.variables?.env.id === env.id;
  const run = (kind: 'start' | 'stop' | 'restart') => action.mutate({ env, action: kind });
  const offered = ['env.start', 'env.stop', 'env.restart', 'env.delete'].some((permission) => can(env, permission as Permission));
  if (!offered) {
    return (
      <Text size="xs" c="dimmed">
        none for you
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="wrap">
      {can(env, 'env.start') && (env.status === 'stopped' || env.status === 'failed') ? (
        <Button size={size} variant="light" color="green" onClick={() => run('start')} loading={busy} aria-label={`Start ${label}`}>
          Start
        </Button>
      ) : null}
      {can(env, 'env.stop') && env.status === 'running' ? (
        <ConfirmAction
          title={`Stop ${label}?`}
          confirmLabel="Stop"
          onConfirm={() => action.mutateAsync({ env, action: 'stop' })}
          trigger={(open) => (
            <Button size={size} variant="light" color="orange" onClick={open} loading={busy} aria-label={`Stop ${label}`}>
              Stop
            </Button>
          )}
        >
          Its nodes stop and its address stops answering until someone starts it again. Stopped environments are not billed.
        </ConfirmAction>
      ) : null}
      {can(env, 'env.restart') && env.status === 'running' ? (
        <Button size={size} variant="light" onClick={() => run('restart')} loading={busy} aria-label={`Restart ${label}`}>
          Restart
        </Button>
      ) : null}
      {can(env, 'env.delete') && env.status !== 'deleting' ? (
        <ConfirmAction
          title={`Delete ${label}?`}
          confirmLabel="Delete environment"
          onConfirm={async () => {
            await remove.mutateAsync(env);
            if (afterDelete) void navigate(afterDelete);
          }}
          trigger={(open) => (
            <Button size={size} variant="subtle" color="red" onClick={open} aria-label={`Delete ${label}`}>
              Delete
            </Button>
          )}
        >
          {env.name} and its nodes, variables, deployed application and logs are removed for good
          {env.access === 'owner' ? '' : ` from ${env.owner.name}'s account`}. Its name becomes free for others.
        </ConfirmAction>
      ) : null}
    </Group>
  );
}
