import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { usageError } from './errors.js';

/** All of standard input, without its final line break: `--password-stdin`. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for the password (or another secret: `label`, and `missing` says how else to give it) without echoing it. */
export async function promptPassword(label = 'Password', missing = 'no password: pass --password-stdin, set SHAREPLANE_PASSWORD, or run in a terminal'): Promise<string> {
  if (!process.stdin.isTTY) throw usageError(missing);
  process.stderr.write(`${label}: `);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => reader.question('', resolve));
  } finally {
    reader.close();
    process.stderr.write('\n');
  }
}
