import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/shareplane.js', import.meta.url));

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ShareplaneProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Runs the real CLI (`bin/shareplane.js`, as `npm start` does) as a separate process. */
export function runShareplane(args: string[], env: Record<string, string>): ShareplaneProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * `runShareplane` for one test file: every process it starts is killed (SIGKILL) after each test, passed or failed,
 * and waited for.
 */
export function shareplaneRunner(): (args: string[], env: Record<string, string>) => ShareplaneProcess {
  const running: ShareplaneProcess[] = [];
  afterEach(async () => {
    for (const proc of running.splice(0)) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  });
  return (args, env) => {
    const proc = runShareplane(args, env);
    running.push(proc);
    return proc;
  };
}

/** Polls a URL until it answers 200, or fails after `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs: number, proc?: ShareplaneProcess): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return response.json();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not healthy within ${timeoutMs} ms${proc ? `; output:\n${proc.output()}` : ''}`);
}
