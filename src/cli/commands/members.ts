import type { Command } from 'commander';
import type { Session } from '../api.js';
import { signedIn } from '../context.js';
import { type Column, printResult, printRows, shortTime } from '../output.js';
import { findMember, listMembers, ownerIdOf } from '../resolve.js';
import type { Member } from '../types.js';
import { ownerOption } from './options.js';

const columns: Column<Member>[] = [
  { header: 'alias', value: (member) => member.displayName },
  { header: 'email', value: (member) => member.email },
  { header: 'status', value: (member) => (member.status === 'pending' && member.invitationExpired ? 'pending (expired)' : member.status) },
  { header: 'name', value: (member) => member.user?.name },
  { header: 'invited', value: (member) => shortTime(member.invitedAt) },
  { header: 'id', value: (member) => member.id },
];

function describe(member: Member): string {
  return `${member.displayName ?? member.email}  ${member.email}  ${member.status}  ${member.id}`;
}

type Target = { session: Session; json: boolean; ownerId: string | undefined; member: Member };

/** The session, the account and the member a member command names. */
async function target(command: Command, word: string, owner: string | undefined): Promise<Target> {
  const { session, json } = await signedIn(command);
  const ownerId = await ownerIdOf(session, owner);
  return { session, json, ownerId, member: await findMember(session, ownerId, word) };
}

function registerStatusChange(members: Command, action: 'suspend' | 'activate'): void {
  members
    .command(`${action} <member>`)
    .description(action === 'suspend' ? 'suspend a member: its shares stay, dormant' : 'activate a suspended member again')
    .addOption(ownerOption())
    .action(async (word: string, options: { owner?: string }, command: Command) => {
      const { session, json, ownerId, member } = await target(command, word, options.owner);
      const params = { path: { id: member.id }, query: { ownerId } };
      const changed = await session.ok(
        action === 'suspend'
          ? session.api.POST('/api/v1/collaboration/members/{id}/suspend', { params })
          : session.api.POST('/api/v1/collaboration/members/{id}/activate', { params }),
      );
      printResult(json, changed, describe(changed));
    });
}

/** `members ls|invite|alias|suspend|activate|unlink`; a member is named by its alias, its email or its id. */
export function registerMembers(program: Command): void {
  const members = program.command('members').description('the people you collaborate with: invite, alias, suspend, activate, unlink');

  members
    .command('ls')
    .description('the members of your account, pending invitations included')
    .addOption(ownerOption())
    .action(async (options: { owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      printRows(json, await listMembers(session, await ownerIdOf(session, options.owner)), columns, 'No members.');
    });

  members
    .command('invite <email>')
    .description('invite an email, with or without an account; nothing is shared until you add shares')
    .option('--alias <alias>', 'the name only you see for this member')
    .addOption(ownerOption())
    .action(async (email: string, options: { alias?: string; owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const invited = await session.ok(
        session.api.POST('/api/v1/collaboration/members', {
          params: { query: { ownerId } },
          body: { email, ...(options.alias !== undefined ? { displayName: options.alias } : {}) },
        }),
      );
      printResult(json, invited, `Invited ${describe(invited)}`);
    });

  members
    .command('alias <member> [alias]')
    .description('give a member the alias only you see; without one, the alias is removed')
    .addOption(ownerOption())
    .action(async (word: string, alias: string | undefined, options: { owner?: string }, command: Command) => {
      const { session, json, ownerId, member } = await target(command, word, options.owner);
      const changed = await session.ok(
        session.api.PATCH('/api/v1/collaboration/members/{id}', {
          params: { path: { id: member.id }, query: { ownerId } },
          body: { displayName: alias === undefined || alias === '' ? null : alias },
        }),
      );
      printResult(json, changed, describe(changed));
    });

  registerStatusChange(members, 'suspend');
  registerStatusChange(members, 'activate');

  members
    .command('unlink <member>')
    .description('remove a member: its collaboration and all its shares end')
    .addOption(ownerOption())
    .action(async (word: string, options: { owner?: string }, command: Command) => {
      const { session, json, ownerId, member } = await target(command, word, options.owner);
      await session.ok(session.api.DELETE('/api/v1/collaboration/members/{id}', { params: { path: { id: member.id }, query: { ownerId } } }));
      printResult(json, { id: member.id, email: member.email, removed: true }, `Removed ${member.email}.`);
    });
}
