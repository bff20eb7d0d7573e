import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../support/process.js';
import { SmtpCapture } from '../support/smtp.js';

const bin = fileURLToPath(new URL('../../bin/shareplane.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A person at a terminal: their own config folder (XDG_CONFIG_HOME), so two users never share a login. */
export interface Terminal {
  configHome: string;
  /** Runs `shareplane <args>` to its end, with `input` on its standard input. */
  run(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Runs `shareplane <args> --json` and parses its standard output, failing on a non-zero exit. */
  json<T = any>(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<T>;
  /** Starts a long-running `shareplane <args>` (a `--follow`). */
  start(args: string[]): Following;
}

export interface Following {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once standard output holds `text`, or fails after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export interface CliWorld {
  /** The real server, listening on a free port, with its workers and a real SMTP listener, on a fresh database of the run's kind. */
  server: TestApp;
  url: string;
  terminal(): Promise<Terminal>;
}

function environmentFor(configHome: string, url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: configHome, XDG_CONFIG_HOME: configHome, SHAREPLANE_SERVER: url, ...extra };
}

/** Starts a server for the test file (closed after it) and hands out terminals pointed at it. */
export function cliWorld(): CliWorld {
  const homes: string[] = [];
  const children: ChildProcess[] = [];
  const world = {} as CliWorld;
  let smtp: SmtpCapture | undefined;

  beforeAll(async () => {
    const port = await freePort();
    world.url = `http://127.0.0.1:${port}`;
    smtp = await new SmtpCapture().start();
    world.server = await startTestApp({ smtp, workers: true, config: { publicUrl: world.url } });
    await world.server.app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await world.server?.close();
    await smtp?.stop();
    await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
  });

  world.terminal = async () => {
    const configHome = await mkdtemp(join(tmpdir(), 'shareplane-cli-'));
    homes.push(configHome);
    const run: Terminal['run'] = (args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { env: environmentFor(configHome, world.url, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
        children.push(child);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(options.input ?? '');
      });
    const json: Terminal['json'] = async (args, options) => {
      const result = await run([...args, '--json'], options);
      if (result.code !== 0) throw new Error(`shareplane ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout);
    };
    const start: Terminal['start'] = (args) => {
      const child = spawn(process.execPath, [bin, ...args], { env: environmentFor(configHome, world.url), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const waitFor = async (text: string | RegExp, timeoutMs = 20_000) => {
        const deadline = Date.now() + timeoutMs;
        const found = () => (typeof text === 'string' ? stdout.includes(text) : text.test(stdout));
        while (!found()) {
          if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before printing ${text}: ${stderr}`);
          if (Date.now() > deadline) throw new Error(`no ${text} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
    };
    return { configHome, run, json, start };
  };
  return world;
}
