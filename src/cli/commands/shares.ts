import type { Command } from 'commander';
import { signedIn } from '../context.js';
import { usageError } from '../errors.js';
import { type Column, print, printJson, printResult, printRows, shortTime } from '../output.js';
import { findEnvironment, findGroup, findMember, ownerIdOf, roleIdsOf } from '../resolve.js';
import type { Share } from '../types.js';
import { collect, instant, ownerOption } from './options.js';

function resourceLabel(share: Share): string {
  if (share.resource.type === 'account') return 'all environments';
  return `${share.resource.type} ${share.resource.name ?? share.resource.id ?? ''}`.trim();
}

const columns: Column<Share>[] = [
  { header: 'id', value: (share) => share.id },
  { header: 'resource', value: resourceLabel },
  { header: 'roles', value: (share) => share.roles.map((role) => role.name).join(', ') },
  { header: 'expires', value: (share) => (share.expired ? 'expired' : shortTime(share.expiresAt)) },
  { header: 'grants nothing by', value: (share) => share.ineffectivePermissions.join(', ') },
];

interface AddOptions {
  account?: boolean;
  group?: string;
  env?: string;
  role?: string[];
  expires?: string;
  owner?: string;
}

/** `shares ls|add|rm`: what a member is given, on all environments, a group or one environment. */
export function registerShares(program: Command): void {
  const shares = program.command('shares').description("a member's shares: roles on all environments, a group or one environment");

  shares
    .command('ls <member>')
    .description("a member's shares (member by alias, email or id)")
    .addOption(ownerOption())
    .action(async (word: string, options: { owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const member = await findMember(session, ownerId, word);
      const { items } = await session.ok(
        session.api.GET('/api/v1/collaboration/members/{id}/shares', { params: { path: { id: member.id }, query: { ownerId, limit: 200 } } }),
      );
      printRows(json, items, columns, `No shares for ${word}.`);
    });

  shares
    .command('add <member>')
    .description('share all environments (--account), a group (--group) or one environment (--env) with a member')
    .option('--account', 'all environments, future ones included')
    .option('--group <group>', 'a group (name or id), with its subgroups')
    .option('--env <environment>', 'one environment (name or id)')
    .option('--role <role>', 'a role (name or id; repeatable)', collect)
    .option('--expires <when>', 'when the share stops granting (2026-12-31 or an ISO-8601 time)', instant)
    .addOption(ownerOption())
    .addHelpText('after', '\nExample:\n  $ shareplane shares add A --env prod-web --role viewer --expires 2026-12-31')
    .action(async (word: string, options: AddOptions, command: Command) => {
      const chosen = [options.account, options.group, options.env].filter((value) => value !== undefined);
      if (chosen.length !== 1) throw usageError('pass exactly one of --account, --group <group> or --env <environment>');
      if (!options.role || options.role.length === 0) throw usageError('pass at least one --role');
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const member = await findMember(session, ownerId, word);
      const resource = options.group
        ? { type: 'group' as const, id: (await findGroup(session, ownerId, options.group)).id }
        : options.env
          ? { type: 'environment' as const, id: (await findEnvironment(session, ownerId, options.env)).id }
          : { type: 'account' as const };
      const created = await session.ok(
        session.api.POST('/api/v1/collaboration/members/{id}/shares', {
          params: { path: { id: member.id }, query: { ownerId } },
          body: { resource, roleIds: await roleIdsOf(session, ownerId, options.role), ...(options.expires ? { expiresAt: options.expires } : {}) },
        }),
      );
      printResult(json, created, `Shared ${resourceLabel(created)} with ${word} as ${created.roles.map((role) => role.name).join(', ')} (share ${created.id}).`);
    });

  shares
    .command('rm <member> <share>')
    .description('remove a share (by its id, from `shares ls`); --dry-run shows what access would change')
    .option('--dry-run', 'change nothing: show who would lose what')
    .addOption(ownerOption())
    .action(async (word: string, shareId: string, options: { dryRun?: boolean; owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const member = await findMember(session, ownerId, word);
      const preview = await session.ok(
        session.api.DELETE('/api/v1/collaboration/members/{id}/shares/{shareId}', {
          params: { path: { id: member.id, shareId }, query: { ownerId, dryRun: options.dryRun ? 'true' : 'false' } },
        }),
      );
      if (!options.dryRun) return printResult(json, { id: shareId, removed: true }, `Removed share ${shareId}.`);
      if (json) return printJson(preview);
      const changes = preview?.accessChanges ?? [];
      if (changes.length === 0) return print('Nothing would change.');
      for (const change of changes) {
        print(`${change.memberLabel ?? 'a member'} on ${change.environmentName}: loses ${change.lost.join(', ') || 'nothing'}; gains ${change.gained.join(', ') || 'nothing'}`);
      }
    });
}
