/**
 * A real Shareplane server process for the HTTP benchmarks: started as `npm start` starts it (compiled, then `node
 * bin/shareplane.js serve`), on a free port, with the background workers off so only requests use the CPU.
 * Knows its process tree's resident memory (the server and anything it started).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first healthy answer. */
  startedInMs: number;
  /** Resident memory of the server and its descendants, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function parentOf(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  } catch {
    return undefined;
  }
}

function rssKbOf(pid: string): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The pids of `pid` and every process under it (Linux /proc). */
export function processTree(pid: number): string[] {
  const parents = new Map<string, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent) parents.set(parent, [...(parents.get(parent) ?? []), entry]);
  }
  const tree: string[] = [];
  const walk = (id: string) => {
    tree.push(id);
    for (const child of parents.get(id) ?? []) walk(child);
  };
  walk(String(pid));
  return tree;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/health`);
    return response.status === 200;
  } catch {
    return false;
  }
}

let built = false;

/** Starts the server with `env` added to this process's environment; resolves once /api/health answers 200. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  // As `npm start` prepares it: the compiled server, so no TypeScript compiler runs in the measured process.
  if (!built) execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, stdio: 'inherit' });
  built = true;
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['bin/shareplane.js', 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WORKERS: 'off', LOG_LEVEL: 'warn', RUNTIME_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it was healthy`);
    if (await healthy(url)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startedInMs = performance.now() - started;
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    startedInMs,
    rssMb: () => processTree(pid).reduce((sum, id) => sum + rssKbOf(id), 0) / 1024,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
