import { type Command, Option } from 'commander';
import { signedIn } from '../context.js';
import { tail } from '../follow.js';
import { formatTable, print, printJson, type Column } from '../output.js';
import { findEnvironment, ownerIdOf } from '../resolve.js';
import type { AuditEvent } from '../types.js';
import { intervalOption, ownerOption, positiveInteger } from './options.js';

const columns: Column<AuditEvent>[] = [
  { header: 'at', value: (event) => event.at },
  { header: 'actor', value: (event) => event.actorEmail ?? event.actorId },
  { header: 'action', value: (event) => event.action },
  { header: 'target', value: (event) => `${event.targetType}${event.targetId ? ` ${event.targetId}` : ''}` },
  { header: 'outcome', value: (event) => event.outcome },
];

interface TailOptions {
  follow?: boolean;
  lines: number;
  action?: string;
  env?: string;
  outcome?: 'ok' | 'denied' | 'failed';
  owner?: string;
  interval: number;
}

/** `audit tail [--follow]`. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit log: who did what, refused attempts included');
  audit
    .command('tail')
    .description('the newest audit events, oldest first; --follow keeps printing new ones until Ctrl-C')
    .option('-f, --follow', 'keep printing new events until interrupted (SIGINT or SIGTERM end it with exit 0)')
    .option('-n, --lines <count>', 'how many of the newest events to show first', positiveInteger, 20)
    .option('--action <action>', 'only this action (environment.stop), or a prefix ending in * (share.*)')
    .option('--env <environment>', 'only events on this environment (name or id)')
    .addOption(new Option('--outcome <outcome>', 'only the events with this outcome').choices(['ok', 'denied', 'failed']))
    .addOption(ownerOption())
    .addOption(intervalOption())
    .action(async (options: TailOptions, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const environmentId = options.env ? (await findEnvironment(session, ownerId, options.env)).id : undefined;
      const query = { ownerId, environmentId, action: options.action, outcome: options.outcome, limit: 200 };
      let header = !json;
      await tail(
        (cursor) => session.ok(session.api.GET('/api/v1/audit', { params: { query: { ...query, cursor } } })),
        { count: options.lines, follow: options.follow === true, intervalMs: options.interval },
        (events) => {
          if (json) return events.forEach(printJson);
          // The header once, then rows aligned on their own: a follow cannot know the widths ahead.
          const table = formatTable(events, columns).split('\n');
          print((header ? table : table.slice(1)).join('\n') || 'No audit events.');
          header = false;
        },
      );
    });
}
