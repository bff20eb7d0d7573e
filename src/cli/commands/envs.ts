import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from '../api.js';
import { signedIn } from '../context.js';
import { CliError, exitCodes, usageError } from '../errors.js';
import { tail } from '../follow.js';
import { type Column, print, printJson, printResult, printRows } from '../output.js';
import { findEnvironment, findGroup, listEnvironments, ownerIdOf } from '../resolve.js';
import type { Environment, LogLine } from '../types.js';
import { intervalOption, positiveInteger } from './options.js';

const columns: Column<Environment>[] = [
  { header: 'name', value: (env) => env.name },
  { header: 'status', value: (env) => env.status },
  { header: 'owner', value: (env) => env.owner.email },
  { header: 'access', value: (env) => env.access },
  { header: 'id', value: (env) => env.id },
];

/** Statuses the runtime worker moves on from by itself. */
const settling = new Set(['creating', 'starting', 'stopping', 'restarting', 'deleting']);

interface NodeSpec {
  role: string;
  image: string;
  count: number;
  cloudlets: number;
}

/** `role:image:count:cloudlets`; the image may hold colons of its own (`app:nginx:1.27:2:4`). */
export function parseNode(text: string, previous: NodeSpec[] = []): NodeSpec[] {
  const parts = text.split(':');
  const role = parts[0];
  const cloudlets = Number(parts.at(-1));
  const count = Number(parts.at(-2));
  const image = parts.slice(1, -2).join(':');
  if (!role || !image || !Number.isInteger(count) || !Number.isInteger(cloudlets)) {
    throw usageError(`--node takes role:image:count:cloudlets (app:nginx:1.27:1:4), not ${text}`);
  }
  return [...previous, { role, image, count, cloudlets }];
}

/** How long `--wait` waits for the runtime before giving up (exit 1); the change itself goes on. */
const WAIT_LIMIT_MS = 10 * 60 * 1000;

/** Polls until the environment leaves its transitional status; a failed environment is an error (exit 1). */
async function settled(session: Session, environment: Environment): Promise<Environment> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let current = environment;
  while (settling.has(current.status)) {
    if (Date.now() > deadline) throw new CliError(`${current.name} is still ${current.status} after ${WAIT_LIMIT_MS / 60_000} minutes`, exitCodes.error);
    await sleep(250);
    current = await session.ok(session.api.GET('/api/v1/environments/{id}', { params: { path: { id: current.id } } }));
  }
  if (current.status === 'failed') throw new CliError(`${current.name} failed: ${current.statusReason ?? 'no reason given'}`, exitCodes.error);
  return current;
}

function showEnvironment(json: boolean, environment: Environment): void {
  printResult(json, environment, `${environment.name}  ${environment.status}  ${environment.id}`);
}

function registerAction(envs: Command, action: 'start' | 'stop' | 'restart'): void {
  envs
    .command(`${action} <environment>`)
    .description(`${action} an environment (by name or id); it answers at once unless --wait`)
    .option('--wait', 'wait until the environment has settled')
    .action(async (word: string, options: { wait?: boolean }, command: Command) => {
      const { session, json } = await signedIn(command);
      const environment = await findEnvironment(session, undefined, word);
      const path = { id: environment.id };
      const call =
        action === 'start'
          ? session.api.POST('/api/v1/environments/{id}/start', { params: { path } })
          : action === 'stop'
            ? session.api.POST('/api/v1/environments/{id}/stop', { params: { path } })
            : session.api.POST('/api/v1/environments/{id}/restart', { params: { path } });
      const changed = await session.ok(call);
      showEnvironment(json, options.wait ? await settled(session, changed) : changed);
    });
}

function showLines(json: boolean, lines: LogLine[]): void {
  for (const line of lines) {
    if (json) printJson(line);
    else print(`${line.at} [${line.source}] ${line.line}`);
  }
}

/** `envs ls|create|start|stop|restart|logs`. */
export function registerEnvs(program: Command): void {
  const envs = program.command('envs').description('environments: list, create, start, stop, restart, read logs');

  envs
    .command('ls')
    .description('the environments you own and those shared with you')
    .option('--owner <owner>', "only this owner's (id, or the email of an owner you collaborate with)")
    .option('--group <group>', 'only those in this group (name or id; with --owner for a shared group)')
    .action(async (options: { owner?: string; group?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const groupId = options.group ? (await findGroup(session, ownerId, options.group)).id : undefined;
      const environments = await listEnvironments(session, { ...(ownerId ? { ownerId } : {}), ...(groupId ? { groupId } : {}) });
      printRows(json, environments, columns, 'No environments.');
    });

  envs
    .command('create <name>')
    .description('create an environment (its name is a DNS label, unique on the platform)')
    .option('--display-name <text>', 'the name people read')
    .option('--group <group>', 'file it in this group (name or id)')
    .option('--owner <owner>', "create it in this owner's account, where a share grants env.create")
    .option('--node <role:image:count:cloudlets>', 'a node (repeatable; default app:nginx:1.27:1:4)', parseNode)
    .option('--wait', 'wait until it is running')
    .action(async (name: string, options: { displayName?: string; group?: string; owner?: string; node?: NodeSpec[]; wait?: boolean }, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const groupId = options.group ? (await findGroup(session, ownerId, options.group)).id : undefined;
      const created = await session.ok(
        session.api.POST('/api/v1/environments', {
          body: {
            name,
            nodes: options.node ?? [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 4 }],
            ...(options.displayName ? { displayName: options.displayName } : {}),
            ...(ownerId ? { ownerId } : {}),
            ...(groupId ? { groupId } : {}),
          },
        }),
      );
      showEnvironment(json, options.wait ? await settled(session, created) : created);
    });

  for (const action of ['start', 'stop', 'restart'] as const) registerAction(envs, action);

  envs
    .command('logs <environment>')
    .description("an environment's log lines, oldest first; --follow keeps printing new ones until Ctrl-C")
    .option('-f, --follow', 'keep printing new lines until interrupted (SIGINT or SIGTERM end it with exit 0)')
    .option('-n, --lines <count>', 'how many of the newest lines to show first', positiveInteger, 100)
    .option('--source <source>', 'only the lines of one source (platform, a node...)')
    .addOption(intervalOption())
    .action(async (word: string, options: { follow?: boolean; lines: number; source?: string; interval: number }, command: Command) => {
      const { session, json } = await signedIn(command);
      const environment = await findEnvironment(session, undefined, word);
      const page = (cursor: string | undefined) =>
        session.ok(
          session.api.GET('/api/v1/environments/{id}/logs', {
            params: { path: { id: environment.id }, query: { limit: Math.min(1000, Math.max(options.lines, 200)), cursor, ...(options.source ? { source: options.source } : {}) } },
          }),
        );
      await tail(page, { count: options.lines, follow: options.follow === true, intervalMs: options.interval }, (lines) => showLines(json, lines));
    });
}
