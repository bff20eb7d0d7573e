import { hostname } from 'node:os';
import type { Command } from 'commander';
import { Session } from '../api.js';
import { readLogin, removeLogin, type StoredLogin, writeLogin } from '../config-file.js';
import { globalsOf, serverOf, signedIn } from '../context.js';
import { CliError, exitCodes, usageError } from '../errors.js';
import { print, printResult } from '../output.js';
import { promptPassword, readStdin } from '../password.js';

interface LoginOptions {
  email?: string;
  passwordStdin?: boolean;
  tokenName?: string;
  expiresIn: string;
  code?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function lifetimeDays(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw usageError(`--expires-in must be a whole number of days from 1 to 3650, not ${text}`);
  return days;
}

async function passwordFor(options: LoginOptions): Promise<string> {
  if (options.passwordStdin) return readStdin();
  return process.env.SHAREPLANE_PASSWORD ?? promptPassword();
}

/** Signs in with email and password, mints an expiring API token for this machine, and ends the sign-in session. */
async function mintToken(server: string, email: string, options: LoginOptions): Promise<StoredLogin> {
  const days = lifetimeDays(options.expiresIn);
  const password = await passwordFor(options);
  const anonymous = new Session(server, undefined);
  let signin = await anonymous.ok(anonymous.api.POST('/api/v1/auth/login', { body: { email, password } }));
  if ('challenge' in signin) {
    // Two-factor sign-in is on: the password step answered a challenge for the code.
    const code =
      options.code ?? process.env.SHAREPLANE_CODE ?? (await promptPassword('Authenticator code (or recovery code)', 'two-factor sign-in is on: pass --code, set SHAREPLANE_CODE, or run in a terminal'));
    signin = await anonymous.ok(anonymous.api.POST('/api/v1/auth/login/second-factor', { body: { challenge: signin.challenge, code } }));
  }
  if (!('token' in signin)) throw usageError('the server asked for a second factor twice');
  const browserless = new Session(server, signin.token);
  try {
    const token = await browserless.ok(
      browserless.api.POST('/api/v1/tokens', {
        body: { name: options.tokenName ?? `shareplane CLI on ${hostname()}`, expiresAt: new Date(Date.now() + days * DAY_MS).toISOString() },
      }),
    );
    return { server, token: token.token, tokenId: token.id, user: { id: signin.user.id, email: signin.user.email } };
  } finally {
    // The session only served to mint the token; the token is what the client keeps.
    await browserless.ok(browserless.api.POST('/api/v1/auth/logout')).catch(() => undefined);
  }
}

/** Checks a token the user brought by asking who it belongs to. */
async function checkToken(server: string, token: string): Promise<StoredLogin> {
  const session = new Session(server, token);
  const me = await session.ok(session.api.GET('/api/v1/me'));
  return { server, token, user: { id: me.id, email: me.email } };
}

/** Revokes the token an earlier `login` minted, if it did; a token that no longer works needs nothing. */
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
