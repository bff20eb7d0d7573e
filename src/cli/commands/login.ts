import { hostname } from 'node:os';
import type { Command } from 'commander';
import { Session } from '../api.js';
import { readLogin, removeLogin, type StoredLogin, writeLogin } from '../config-file.js';
import { globalsOf, serverOf, signedIn } from '../context.js';
import { CliError, exitCodes, usageError } from '../errors.js';
import { print, printResult } from '../output.js';
import { type PasswordOptions, signInWithPassword, withSignIn } from '../signin.js';

interface LoginOptions extends PasswordOptions {
  tokenName?: string;
  expiresIn: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function lifetimeDays(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw usageError(`--expires-in must be a whole number of days from 1 to 3650, not ${text}`);
  return days;
}

/** Signs in with email and password, mints an expiring API token for this machine, and ends the sign-in session. */
async function mintToken(server: string, email: string, options: LoginOptions): Promise<StoredLogin> {
  const days = lifetimeDays(options.expiresIn);
  const signin = await signInWithPassword(server, email, options);
  // The session only serves to mint the token; the token is what the client keeps.
  const token = await withSignIn(server, signin, (session) =>
    session.ok(
      session.api.POST('/api/v1/tokens', {
        body: { name: options.tokenName ?? `shareplane CLI on ${hostname()}`, expiresAt: new Date(Date.now() + days * DAY_MS).toISOString() },
      }),
    ),
  );
  return { server, token: token.token, tokenId: token.id, user: signin.user };
}

/** Checks a token the user brought by asking who it belongs to. */
async function checkToken(server: string, token: string): Promise<StoredLogin> {
  const session = new Session(server, token);
  const me = await session.ok(session.api.GET('/api/v1/me'));
  return { server, token, user: { id: me.id, email: me.email } };
}

/**
 * Revokes the token an earlier `login` minted, if it did, with that token itself (the one credential change an API
 * token may make); a token that no longer works needs nothing.
 */
async function revokeMinted(stored: StoredLogin): Promise<void> {
  if (!stored.tokenId) return;
  const session = new Session(stored.server, stored.token);
  try {
    await session.ok(session.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: stored.tokenId } } }));
  } catch (error) {
    if (error instanceof CliError && (error.exitCode === exitCodes.notSignedIn || error.exitCode === exitCodes.notFound)) return;
    throw error;
  }
}

/** `login`, `logout` and `whoami`. */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('sign in to a server and keep a token for the other commands (mode 0600, in the XDG config folder)')
    .option('--email <email>', 'sign in with this email and its password; a new API token is minted for this machine')
    .option('--password-stdin', 'read the password from standard input (else SHAREPLANE_PASSWORD, else a prompt)')
    .option('--token-name <name>', 'the name of the minted token (default: "shareplane CLI on <host>")')
    .option('--expires-in <days>', 'how long the minted token lives, in days', '90')
    .option('--code <code>', 'with two-factor sign-in on: a code of the authenticator app or a recovery code (else SHAREPLANE_CODE, else a prompt)')
    .addHelpText(
      'after',
      `
Either bring a token (made in the dashboard or with \`shareplane tokens create\`), or sign in with an email:
  $ shareplane login --server https://shareplane.example.com --token sp_pat_...
  $ shareplane login --server https://shareplane.example.com --email owner@example.com`,
    )
    .action(async (options: LoginOptions, command: Command) => {
      const globals = globalsOf(command);
      const previous = await readLogin();
      const server = serverOf(globals, previous);
      if (globals.token && options.email) throw usageError('pass either --token or --email, not both');
      const token = globals.token ?? process.env.SHAREPLANE_TOKEN;
      let login: StoredLogin;
      if (options.email) login = await mintToken(server, options.email, options);
      else if (token) login = await checkToken(server, token);
      else throw usageError('pass --token <token>, or --email <email> to sign in with a password');
      if (previous && previous.server === server && previous.tokenId && previous.token !== login.token) {
        await revokeMinted(previous).catch(() => undefined);
      }
      await writeLogin(login);
      printResult(globals.json === true, { server, user: login.user, tokenId: login.tokenId ?? null }, `Signed in to ${server} as ${login.user?.email ?? 'unknown'}.`);
    });

  program
    .command('logout')
    .description('forget the stored token; a token that `login` minted is revoked on the server too')
    .action(async (_options: unknown, command: Command) => {
      const json = globalsOf(command).json === true;
      const stored = await readLogin();
      if (!stored) return printResult(json, { signedOut: false }, 'Not signed in.');
      try {
        await revokeMinted(stored);
      } finally {
        await removeLogin();
      }
      printResult(json, { signedOut: true, server: stored.server }, `Signed out of ${stored.server}.`);
    });

  program
    .command('whoami')
    .description('the account the stored token (or --token) acts as')
    .action(async (_options: unknown, command: Command) => {
      const { session, json } = await signedIn(command);
      const me = await session.ok(session.api.GET('/api/v1/me'));
      if (json) return printResult(true, me, '');
      print(`${me.email} (${me.name}) on ${session.server}`);
    });
}
