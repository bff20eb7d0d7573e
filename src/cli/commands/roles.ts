import type { Command } from 'commander';
import { signedIn } from '../context.js';
import { type Column, printRows } from '../output.js';
import { listRoles, ownerIdOf } from '../resolve.js';
import type { Role } from '../types.js';
import { ownerOption } from './options.js';

const columns: Column<Role>[] = [
  { header: 'id', value: (role) => role.id },
  { header: 'name', value: (role) => role.name },
  { header: 'kind', value: (role) => (role.system ? 'system' : 'custom') },
  { header: 'shares', value: (role) => role.usage.shares },
  { header: 'permissions', value: (role) => role.permissions.join(', ') },
];

/** `roles ls`. */
export function registerRoles(program: Command): void {
  const roles = program.command('roles').description('roles: named sets of permissions');
  roles
    .command('ls')
    .description('the system roles and your own')
    .addOption(ownerOption())
    .action(async (options: { owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      printRows(json, await listRoles(session, await ownerIdOf(session, options.owner)), columns, 'No roles.');
    });
}
