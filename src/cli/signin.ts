import type { Command } from 'commander';
import { Session } from './api.js';
import { readLogin } from './config-file.js';
import { globalsOf, normalizeServer, serverOf } from './context.js';
import { usageError } from './errors.js';
import { promptPassword, readStdin } from './password.js';

/** How a command that signs in with a password gets its secrets: flags, then environment variables, then prompts. */
export interface PasswordOptions {
  email?: string;
  passwordStdin?: boolean;
  code?: string;
}

/** A fresh sign-in: its session token and the account it signed in to. */
export interface SignIn {
  token: string;
  user: { id: string; email: string };
}

async function passwordFor(options: PasswordOptions): Promise<string> {
  if (options.passwordStdin) return readStdin();
  return process.env.SHAREPLANE_PASSWORD ?? promptPassword();
}

/** Signs in with email and password and, when two-factor sign-in is on, the code (`--code`, SHAREPLANE_CODE or a prompt). */
export async function signInWithPassword(server: string, email: string, options: PasswordOptions): Promise<SignIn> {
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
  return { token: signin.token, user: { id: signin.user.id, email: signin.user.email } };
}

/** Runs `work` in a session of its own, ended again afterwards whatever `work` did. */
export async function withSignIn<T>(server: string, signin: SignIn, work: (session: Session) => Promise<T>): Promise<T> {
  const session = new Session(server, signin.token);
  try {
    return await work(session);
  } finally {
    await session.ok(session.api.POST('/api/v1/auth/logout')).catch(() => undefined);
  }
}

/** The options of a command that needs a password sign-in (API tokens never manage credentials). */
export function passwordOptions(command: Command): Command {
  return command
    .option('--email <email>', "sign in with this email (default: the stored login's)")
    .option('--password-stdin', 'read the password from standard input (else SHAREPLANE_PASSWORD, else a prompt)')
    .option('--code <code>', 'with two-factor sign-in on: a code of the authenticator app or a recovery code (else SHAREPLANE_CODE, else a prompt)');
}

/**
 * A session signed in with the password, for the credential commands an API token may not run: the email is
 * `--email`, else the stored login's for the same server.
 */
export async function passwordSession<T>(command: Command, options: PasswordOptions, work: (session: Session, json: boolean) => Promise<T>): Promise<T> {
  const globals = globalsOf(command);
  const stored = await readLogin();
  const server = serverOf(globals, stored);
  const email = options.email ?? (stored && normalizeServer(stored.server) === server ? stored.user?.email : undefined);
  if (!email) throw usageError('API tokens never manage tokens: pass --email <email> to sign in with your password');
  const signin = await signInWithPassword(server, email, options);
  return withSignIn(server, signin, (session) => work(session, globals.json === true));
}
