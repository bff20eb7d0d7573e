import type { Command } from 'commander';
import { signedIn } from '../context.js';
import { type Column, printRows } from '../output.js';
import { listGroups, ownerIdOf } from '../resolve.js';
import type { Group } from '../types.js';
import { ownerOption } from './options.js';

/** `groups ls`. */
export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('groups of environments');
  groups
    .command('ls')
    .description('the groups of your account, or those of an owner you can see')
    .addOption(ownerOption())
    .action(async (options: { owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const all = await listGroups(session, await ownerIdOf(session, options.owner));
      const names = new Map(all.map((group) => [group.id, group.name]));
      const columns: Column<Group>[] = [
        { header: 'name', value: (group) => group.name },
        { header: 'parent', value: (group) => (group.parentId ? (names.get(group.parentId) ?? group.parentId) : null) },
        { header: 'id', value: (group) => group.id },
      ];
      printRows(json, all, columns, 'No groups.');
    });
}
