import type { Command } from 'commander';
import { Session } from './api.js';
import { readLogin, type StoredLogin } from './config-file.js';
import { CliError, exitCodes } from './errors.js';

/** The options every command takes (declared once, on the program). */
export interface GlobalOptions {
  json?: boolean;
  server?: string;
  token?: string;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';

/** The global options as a command sees them, whichever side of the subcommand they were typed on. */
export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** A server URL without its trailing slashes; anything but http(s) is a usage error. */
export function normalizeServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`not a server URL: ${url}`, exitCodes.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`not an http(s) server URL: ${url}`, exitCodes.usage);
  return parsed.toString().replace(/\/+$/, '');
}

/** The server a command talks to: `--server`, then SHAREPLANE_SERVER, then the stored login's, then the default. */
export function serverOf(options: GlobalOptions, stored: StoredLogin | null): string {
  return normalizeServer(options.server ?? process.env.SHAREPLANE_SERVER ?? stored?.server ?? DEFAULT_SERVER);
}

/**
 * The signed-in session of a command: `--token` or SHAREPLANE_TOKEN, else the stored login when it is for the same
 * server. Without any, exit 3 (not signed in).
 */
export async function signedIn(command: Command): Promise<{ session: Session; json: boolean }> {
  const options = globalsOf(command);
  const stored = await readLogin();
  const server = serverOf(options, stored);
  const token = options.token ?? process.env.SHAREPLANE_TOKEN ?? (stored && normalizeServer(stored.server) === server ? stored.token : undefined);
  if (!token) throw new CliError(`not signed in to ${server}: run \`shareplane login\``, exitCodes.notSignedIn);
  return { session: new Session(server, token), json: options.json === true };
}
