import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { cliWorld } from './support.js';

const world = cliWorld();
const LONG = { timeout: 60_000 };

/** Every command path of the program: `envs`, `envs logs`, ... */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => [[...prefix, sub.name()], ...commandPaths(sub, [...prefix, sub.name()])]);
}

/** What bash completes after `words` (the last one being typed), with the script `shareplane completion bash` printed. */
function bashCompletes(script: string, words: string[]): Promise<string[]> {
  const program = `${script}
COMP_WORDS=(shareplane ${words.map((word) => `'${word}'`).join(' ')})
COMP_CWORD=${words.length}
_shareplane
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) => {
    const bash = spawn('bash', ['--norc', '--noprofile'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    bash.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    bash.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    bash.on('error', reject);
    bash.on('close', (code) => (code === 0 ? resolve(out.split('\n').filter(Boolean).sort()) : reject(new Error(err))));
    bash.stdin.end(program);
  });
}

describe('shareplane --help and shell completion', () => {
  it('every command has a description and a usage line in its help', () => {
    const program = buildProgram(() => undefined);
    const paths = commandPaths(program);
    expect(paths.map((path) => path.join(' '))).toEqual(
      expect.arrayContaining(['login', 'logout', 'envs logs', 'members invite', 'members unlink', 'shares rm', 'access explain', 'audit tail', 'tokens revoke', 'completion']),
    );
    for (const path of paths) {
      let command: Command = program;
      for (const name of path) command = command.commands.find((sub) => sub.name() === name) ?? command;
      expect(command.description(), path.join(' ')).not.toBe('');
      expect(command.helpInformation()).toContain(`Usage: shareplane ${path.join(' ')}`);
      expect(command.helpInformation()).toContain('--json');
    }
  });

  it('the binary answers --help with exit 0 (serve and migrate included), and a group without its command with its help and exit 2', LONG, async () => {
    const terminal = await world.terminal();
    const root = await terminal.run(['--help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain('Exit codes:');
    const explain = await terminal.run(['access', 'explain', '--help']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('Usage: shareplane access explain [options] <member> <environment>');
    expect(explain.stdout).toContain('shareplane access explain A prod-web --json');
    const serve = await terminal.run(['serve', '--help']);
    expect(serve).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: shareplane serve') });
    const group = await terminal.run(['members']);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('Usage: shareplane members');
  });

  it('completes commands, subcommands and options in bash; the zsh script reads the same table', LONG, async () => {
    const terminal = await world.terminal();
    const bash = await terminal.run(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(await bashCompletes(bash.stdout, ['en'])).toEqual(['envs']);
    expect(await bashCompletes(bash.stdout, ['envs', 'l'])).toEqual(['logs', 'ls']);
    expect(await bashCompletes(bash.stdout, ['--json', 'members', 'invite', 'a@b.test', '--a'])).toEqual(['--alias']);
    expect(await bashCompletes(bash.stdout, ['audit', 'tail', '--f'])).toEqual(['--follow']);
    const zsh = await terminal.run(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('compdef _shareplane shareplane');
    const table = (script: string) => script.slice(script.indexOf('_shareplane_words() {'), script.indexOf('\n}\n'));
    expect(table(zsh.stdout)).toBe(table(bash.stdout));
    expect((await terminal.run(['completion', 'fish'])).code).toBe(2);
  });
});
