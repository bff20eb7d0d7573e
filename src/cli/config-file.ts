import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `shareplane login` keeps: the server and a token for it; the token is a secret, hence mode 0600. */
export interface StoredLogin {
  server: string;
  token: string;
  /** The id of the API token `login` minted, revoked again by `logout`; absent for a token the user brought. */
  tokenId?: string;
  user?: { id: string; email: string };
}

/** `$XDG_CONFIG_HOME/shareplane/config.json`, or `~/.config/shareplane/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'shareplane', 'config.json');
}

function isStoredLogin(value: unknown): value is StoredLogin {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.server === 'string' && typeof record.token === 'string';
}

/** The stored login, or null when there is none (or it is not one this client wrote). */
export async function readLogin(path = configPath()): Promise<StoredLogin | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isStoredLogin(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Writes the login readable by its user only: a 0700 folder, a 0600 file, replaced atomically. */
export async function writeLogin(login: StoredLogin, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // The mode of writeFile is masked by the umask; chmod is not.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Forgets the stored login. */
export async function removeLogin(path = configPath()): Promise<void> {
  await rm(path, { force: true });
}
