import { Badge, Loader } from '@mantine/core';
import type { Environment } from '../api/types';
import { statusColor, TRANSITIONAL } from './model';

/** The environment's status; a spinner while the runtime is at work, and the reason when it failed. */
export function StatusBadge({ env }: { env: Pick<Environment, 'status' | 'statusReason'> }) {
  const busy = TRANSITIONAL.has(env.status);
  return (
    <Badge
      color={statusColor[env.status]}
      variant="light"
      leftSection={busy ? <Loader size={10} color="currentColor" aria-hidden="true" /> : null}
      title={env.statusReason ?? undefined}
      data-testid="env-status"
      aria-live="polite"
      style={{ minWidth: 'max-content' }}
    >
      {env.status}
    </Badge>
  );
}
