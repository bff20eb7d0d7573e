import { Button, Group, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import type { Environment, Permission } from '../api/types';
import { environmentDeletion } from '../components/arrangements';
import { ConfirmAction } from '../components/ConfirmAction';
import { can } from './model';
import { useDeleteEnvironment, useEnvironmentAction } from './queries';

const LIFECYCLE: Permission[] = ['env.start', 'env.stop', 'env.restart', 'env.delete'];

interface EnvironmentActionsProps {
  env: Environment;
  size?: 'xs' | 'sm';
  /** Where to go once the environment is deleted (from its own page). */
  afterDelete?: string;
  /** In a list, say "none for you" when nothing is allowed; on the environment's page show nothing. */
  sayNone?: boolean;
}

/**
 * The lifecycle actions the caller's permissions allow on this environment and its status admits; the others are
 * not offered at all.
 */
export function EnvironmentActions({ env, size = 'xs', afterDelete, sayNone = false }: EnvironmentActionsProps) {
  const action = useEnvironmentAction();
  const remove = useDeleteEnvironment();
  const navigate = useNavigate();
  const label = env.displayName || env.name;
  const busy = action.isPending && action.variables?.env.id === env.id;
  const run = (kind: 'start' | 'restart') => action.mutate({ env, action: kind });
  if (!LIFECYCLE.some((permission) => can(env, permission))) {
    return sayNone ? (
      <Text size="xs" c="dimmed">
        no actions for you
      </Text>
    ) : null;
  }
  return (
    <Group gap={6} wrap="nowrap">
      {can(env, 'env.start') && (env.status === 'stopped' || env.status === 'failed') ? (
        <Button size={size} variant="light" color="green" onClick={() => run('start')} loading={busy} aria-label={`Start ${label}`}>
          Start
        </Button>
      ) : null}
      {can(env, 'env.stop') && env.status === 'running' ? (
        <ConfirmAction
          label="Stop"
          aria-label={`Stop ${label}`}
          button={{ size, variant: 'light', color: 'orange', loading: busy }}
          title={`Stop ${label}?`}
          confirmLabel="Stop"
          onConfirm={() => action.mutateAsync({ env, action: 'stop' })}
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
          label="Delete"
          aria-label={`Delete ${label}`}
          button={{ size }}
          title={`Delete ${label}?`}
          confirmLabel="Delete environment"
          arrangement={environmentDeletion(env.id)}
          onConfirm={async () => {
            await remove.mutateAsync(env);
            if (afterDelete) void navigate(afterDelete);
          }}
        >
          {env.name} and its nodes, variables, deployed application and logs are removed for good
          {env.access === 'owner' ? '' : ` from ${env.owner.name}'s account`}. Its name becomes free for others, and the shares on it end.
        </ConfirmAction>
      ) : null}
    </Group>
  );
}
