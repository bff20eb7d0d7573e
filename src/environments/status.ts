import type { EnvironmentStatus } from '../db/schema/index.js';
import { invalidState } from '../http/errors.js';

/** Everything a person can ask of an environment that depends on its status. */
export type EnvironmentAction =
  | 'start'
  | 'stop'
  | 'restart'
  | 'delete'
  | 'topology'
  | 'deploy'
  | 'exec'
  | 'clone'
  | 'rename'
  | 'variables'
  | 'groups';

const ALL_BUT_DELETING: readonly EnvironmentStatus[] = ['creating', 'running', 'stopping', 'stopped', 'starting', 'restarting', 'failed'];

/** The statuses each action fits (DESIGN.md section 3). */
export const allowedFrom: Record<EnvironmentAction, readonly EnvironmentStatus[]> = {
  start: ['stopped', 'failed'],
  stop: ['running', 'failed'],
  restart: ['running'],
  delete: ALL_BUT_DELETING,
  topology: ['running', 'stopped'],
  deploy: ['running'],
  exec: ['running'],
  clone: ['running', 'stopped'],
  rename: ALL_BUT_DELETING,
  variables: ALL_BUT_DELETING,
  groups: ALL_BUT_DELETING,
};

/** The transitional status a lifecycle action puts the environment in until the runtime settles it. */
export const transitionalStatus = {
  start: 'starting',
  stop: 'stopping',
  restart: 'restarting',
  delete: 'deleting',
} as const satisfies Record<string, EnvironmentStatus>;

const waitFor: Partial<Record<EnvironmentStatus, string>> = {
  creating: 'The environment is still being created; wait until it is running.',
  starting: 'The environment is starting; wait until it is running.',
  stopping: 'The environment is stopping; wait until it is stopped.',
  restarting: 'The environment is restarting; wait until it is running.',
  deleting: 'The environment is being deleted.',
};

/** Why `action` does not fit `status`, in words a person can act on. */
export function whyNot(status: EnvironmentStatus, action: EnvironmentAction, statusReason: string | null = null): string {
  const waiting = waitFor[status];
  if (waiting) return waiting;
  if (status === 'running' && action === 'start') return 'The environment is already running.';
  if (status === 'stopped' && action === 'stop') return 'The environment is already stopped.';
  if (status === 'stopped') return 'The environment is stopped; start it first.';
  if (status === 'failed') {
    const reason = statusReason ? ` (${statusReason.replace(/\.$/, '')})` : '';
    return `The environment failed${reason}; start it again or delete it.`;
  }
  return `The environment is ${status}; this is not possible now.`;
}

/** Throws 409 `invalid_state` with the reason when `action` does not fit the environment's status. */
export function assertFits(env: { status: EnvironmentStatus; statusReason: string | null }, action: EnvironmentAction): void {
  if (!allowedFrom[action].includes(env.status)) throw invalidState(whyNot(env.status, action, env.statusReason));
}
