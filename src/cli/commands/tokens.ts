import type { Command } from 'commander';
import { allPages } from '../api.js';
import { type Column, print, printResult, printRows, shortTime } from '../output.js';
import type { ApiToken } from '../types.js';
import { type PasswordOptions, passwordOptions, passwordSession } from '../signin.js';
import { instant, positiveInteger } from './options.js';

const columns: Column<ApiToken>[] = [
  { header: 'id', value: (token) => token.id },
  { header: 'name', value: (token) => token.name },
  { header: 'scope', value: (token) => (token.scope ? `${token.scope.permissions.join(',')} on ${token.scope.resources.map((r) => r.id ?? r.type).join(',')}` : 'everything I can do') },
  { header: 'created', value: (token) => shortTime(token.createdAt) },
  { header: 'expires', value: (token) => shortTime(token.expiresAt) ?? 'never' },
  { header: 'last used', value: (token) => shortTime(token.lastUsedAt) ?? 'never' },
];

const DAY_MS = 24 * 60 * 60 * 1000;

const signInHelp = `
API tokens never manage tokens, so these commands sign in with your password (the stored login's email, or --email;
the password from --password-stdin, SHAREPLANE_PASSWORD or a prompt; with two-factor sign-in on, --code or
SHAREPLANE_CODE) for the call, and end that session again.`;

/** `tokens ls|create|revoke`: your API tokens (their secrets are shown once, at creation), managed signed in with a password. */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('your API tokens, for scripts and CI (signs in with your password)').addHelpText('after', signInHelp);

  passwordOptions(tokens.command('ls'))
    .description('your live API tokens (never their secrets)')
    .action(async (options: PasswordOptions, command: Command) => {
      await passwordSession(command, options, async (session, json) => {
        const items = await allPages((cursor) => session.ok(session.api.GET('/api/v1/tokens', { params: { query: { cursor, limit: 200 } } })));
        printRows(json, items, columns, 'No API tokens.');
      });
    });

  passwordOptions(tokens.command('create <name>'))
    .description('create an API token; its secret is printed once, here')
    .option('--expires-in <days>', 'how long it lives, in days', positiveInteger)
    .option('--expires-at <when>', 'when it stops working (2026-12-31 or an ISO-8601 time)', instant)
    .action(async (name: string, options: PasswordOptions & { expiresIn?: number; expiresAt?: string }, command: Command) => {
      const expiresAt = options.expiresAt ?? (options.expiresIn ? new Date(Date.now() + options.expiresIn * DAY_MS).toISOString() : undefined);
      await passwordSession(command, options, async (session, json) => {
        const created = await session.ok(session.api.POST('/api/v1/tokens', { body: { name, ...(expiresAt ? { expiresAt } : {}) } }));
        if (json) return printResult(true, created, '');
        print(`Created token ${created.name} (${created.id}), expires ${shortTime(created.expiresAt) ?? 'never'}.`);
        print('Its secret, shown only now:');
        print(created.token);
      });
    });

  passwordOptions(tokens.command('revoke <id>'))
    .description('revoke an API token at once')
    .action(async (id: string, options: PasswordOptions, command: Command) => {
      await passwordSession(command, options, async (session, json) => {
        await session.ok(session.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
        printResult(json, { id, revoked: true }, `Revoked token ${id}.`);
      });
    });
}
