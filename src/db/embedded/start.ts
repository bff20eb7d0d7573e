import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EmbeddedWorkerData } from './worker.js';

/** The embedded database's thread, listening: where to connect, and how to stop it. */
export interface EmbeddedServer {
  /** The folder of its Unix socket: `pg`'s `host` (the socket is `.s.PGSQL.5432` in it). */
  socketDir: string;
  port: number;
  stop(): Promise<void>;
}

const PORT = 5432;

// The worker runs as the server does: compiled JavaScript, or TypeScript through tsx (development, tests), whose
// loader a worker thread registers for itself before it imports the entry.
const fromSource = import.meta.url.endsWith('.ts');
const entry = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
function spawnWorker(data: EmbeddedWorkerData): Worker {
  if (!fromSource) return new Worker(entry, { workerData: data });
  return new Worker(new URL('./tsx-boot.mjs', import.meta.url), { workerData: { ...data, entry: entry.href } });
}

/**
 * Creates the database folder `pgdata` in a short-lived child process (create.ts), into a sibling folder renamed
 * into place once complete, so an interrupted first start leaves no half-made database behind.
 */
async function createInChild(pgdata: string): Promise<void> {
  const partial = `${pgdata}.creating`;
  rmSync(partial, { recursive: true, force: true });
  const script = fileURLToPath(new URL(fromSource ? './create.ts' : './create.js', import.meta.url));
  const child = spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), script, partial], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`creating the embedded database failed (exit ${code}): ${errors.trim()}`);
  renameSync(partial, pgdata);
}

/**
 * Starts PGlite on `pgdata` (null: in memory) in a worker thread; resolves once it accepts connections. A folder that
 * does not exist yet is created first by a child process, so this process never pays initdb's memory.
 */
export async function startEmbedded(pgdata: string | null): Promise<EmbeddedServer> {
  if (pgdata !== null && !existsSync(pgdata)) await createInChild(pgdata);
  const socketDir = mkdtempSync(join(tmpdir(), 'shareplane-db-'));
  const data: EmbeddedWorkerData = { pgdata, socketPath: join(socketDir, `.s.PGSQL.${PORT}`) };
  const worker = spawnWorker(data);
  const cleanUp = () => rmSync(socketDir, { recursive: true, force: true });
  let starting: { onError: (error: unknown) => void; onExit: (code: number) => void; onMessage: (message: { ready?: boolean; error?: string }) => void } | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      starting = {
        onError: reject,
        onExit: (code) => reject(new Error(`the embedded database exited with ${code} while starting`)),
        onMessage: (message) => (message.ready ? resolve() : reject(new Error(`the embedded database did not start: ${message.error ?? 'no reason given'}`))),
      };
      worker.once('error', starting.onError);
      worker.once('exit', starting.onExit);
      worker.once('message', starting.onMessage);
    });
  } catch (error) {
    await worker.terminate();
    cleanUp();
    throw error;
  } finally {
    if (starting) {
      worker.off('error', starting.onError);
      worker.off('exit', starting.onExit);
      worker.off('message', starting.onMessage);
    }
  }
  // A crash of the database thread must not pass silently: the process cannot serve without it.
  worker.on('error', (error) => console.error('shareplane: the embedded database failed:', error));
  let stopped: Promise<void> | null = null;
  return {
    socketDir,
    port: PORT,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      }).then(async () => {
        await worker.terminate();
        cleanUp();
      });
      return stopped;
    },
  };
}
