import type { Command } from 'commander';
import { allPages } from '../api.js';
import { signedIn } from '../context.js';
import { type Column, print, printResult, printRows, shortTime } from '../output.js';
import type { ApiToken } from '../types.js';
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

/** `tokens ls|create|revoke`: your API tokens (their secrets are shown once, at creation). */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('your API tokens, for scripts and CI');

  tokens
    .command('ls')
    .description('your live API tokens (never their secrets)')
    .action(async (_options: unknown, command: Command) => {
      const { session, json } = await signedIn(command);
      const items = await allPages((cursor) => session.ok(session.api.GET('/api/v1/tokens', { params: { query: { cursor, limit: 200 } } })));
      printRows(json, items, columns, 'No API tokens.');
    });

  tokens
    .command('create <name>')
    .description('create an API token; its secret is printed once, here')
    .option('--expires-in <days>', 'how long it lives, in days', positiveInteger)
    .option('--expires-at <when>', 'when it stops working (2026-12-31 or an ISO-8601 time)', instant)
    .action(async (name: string, options: { expiresIn?: number; expiresAt?: string }, command: Command) => {
      const { session, json } = await signedIn(command);
      const expiresAt = options.expiresAt ?? (options.expiresIn ? new Date(Date.now() + options.expiresIn * DAY_MS).toISOString() : undefined);
      const created = await session.ok(session.api.POST('/api/v1/tokens', { body: { name, ...(expiresAt ? { expiresAt } : {}) } }));
      if (json) return printResult(true, created, '');
      print(`Created token ${created.name} (${created.id}), expires ${shortTime(created.expiresAt) ?? 'never'}.`);
      print('Its secret, shown only now:');
      print(created.token);
    });

  tokens
    .command('revoke <id>')
    .description('revoke an API token at once')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { session, json } = await signedIn(command);
      await session.ok(session.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
      printResult(json, { id, revoked: true }, `Revoked token ${id}.`);
    });
}
