import type { Command } from 'commander';
import { signedIn } from '../context.js';
import { print, printJson } from '../output.js';
import { findEnvironment, findMember, ownerIdOf } from '../resolve.js';
import type { Explanation, Permission } from '../types.js';
import { ownerOption } from './options.js';

function explanationText(member: string, environment: { id: string; name: string }, answer: Explanation): string {
  const lines = [
    answer.allowed
      ? `${member} can ${answer.permission ?? 'reach'} ${environment.name}, through the ${answer.level ?? 'unknown'} level`
      : `${member} cannot ${answer.permission ?? 'reach'} ${environment.name}${answer.blockedBy ? `: blocked by ${answer.blockedBy}` : ''}`,
    `permissions: ${answer.permissions.join(', ') || 'none'}`,
  ];
  for (const via of answer.via) {
    const name = via.resource.id === environment.id ? environment.name : (via.resource.id ?? '');
    const resource = via.resource.type === 'account' ? 'all environments' : `${via.resource.type} ${name}`;
    lines.push(`via share ${via.shareId} on ${resource.trim()}: ${via.roles.map((role) => role.name).join(', ')}`);
  }
  return lines.join('\n');
}

/** `access explain`: why a member can (or cannot) do something on an environment. */
export function registerAccess(program: Command): void {
  const access = program.command('access').description('who can do what, and why');
  access
    .command('explain <member> <environment>')
    .description('why a member (alias, email or id) can or cannot act on an environment (name or id)')
    .option('--permission <permission>', 'ask about one permission (env.deploy...) instead of any access')
    .addOption(ownerOption())
    .addHelpText('after', '\nExample:\n  $ shareplane access explain A prod-web --json')
    .action(async (memberWord: string, environmentWord: string, options: { permission?: string; owner?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const ownerId = await ownerIdOf(session, options.owner);
      const member = await findMember(session, ownerId, memberWord);
      const environment = await findEnvironment(session, ownerId, environmentWord);
      const answer = await session.ok(
        session.api.GET('/api/v1/access/explain', {
          params: {
            query: {
              memberId: member.id,
              environmentId: environment.id,
              ownerId,
              // The server checks the word against its catalog and answers 400 for an unknown one.
              ...(options.permission ? { permission: options.permission as Permission } : {}),
            },
          },
        }),
      );
      if (json) return printJson(answer);
      print(explanationText(member.displayName ?? member.email, environment, answer));
    });
}
