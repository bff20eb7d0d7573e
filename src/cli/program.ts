import { Command, CommanderError } from 'commander';
import { registerAccess } from './commands/access.js';
import { registerAudit } from './commands/audit.js';
import { registerEnvs } from './commands/envs.js';
import { registerGroups } from './commands/groups.js';
import { registerLogin } from './commands/login.js';
import { registerMembers } from './commands/members.js';
import { registerRoles } from './commands/roles.js';
import { registerShares } from './commands/shares.js';
import { registerTokens } from './commands/tokens.js';
import { registerCompletion } from './completion.js';
import { CliError, exitCodes } from './errors.js';
import { printJson } from './output.js';

const exitCodeHelp = `
Exit codes:
  0  done
  1  error (the server cannot be reached, or failed)
  2  usage: bad arguments, or input the server refused (400)
  3  not signed in, or the token no longer works (401)
  4  not found: nothing by that name or id that you can see (404)
  5  refused: you lack the permission (403)
  6  conflict: the current state forbids it (409, 410)

Errors print the server's explanation (the problem's detail) on stderr; with --json, stdout also gets
{"error": problem}.`;

/**
 * The `shareplane` program: the user commands, plus whatever `addServerCommands` registers (serve, migrate), which
 * live above this layer because they start the server itself.
 */
export function buildProgram(addServerCommands: (program: Command) => void): Command {
  const program = new Command('shareplane')
    .description('Shareplane: the control plane of a PaaS built around account collaboration.')
    .option('--json', 'print JSON instead of tables (one line per item when following)')
    .option('--server <url>', "the server's URL (default: SHAREPLANE_SERVER, the stored login's, or http://127.0.0.1:3000)")
    .option('--token <token>', 'an API token for this call only (default: SHAREPLANE_TOKEN, or the stored login)')
    // Set before any subcommand exists: subcommands copy these settings.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', exitCodeHelp);
  addServerCommands(program);
  registerLogin(program);
  registerEnvs(program);
  registerGroups(program);
  registerMembers(program);
  registerShares(program);
  registerRoles(program);
  registerAccess(program);
  registerAudit(program);
  registerTokens(program);
  registerCompletion(program);
  return program;
}

function report(program: Command, error: CliError): void {
  process.stderr.write(`shareplane: ${error.message}\n`);
  // The detail often is the one field error already; the others (or a differently worded one) follow it.
  for (const field of error.problem?.errors ?? []) {
    const line = `${field.path}: ${field.message}`;
    if (!error.message.includes(line)) process.stderr.write(`  ${line}\n`);
  }
  if (program.opts<{ json?: boolean }>().json) printJson({ error: { ...error.problem, detail: error.message, exitCode: error.exitCode } });
}

/** Runs one command line and answers its exit code; commander has already printed its own usage errors. */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    if (error instanceof CliError) {
      report(program, error);
      return error.exitCode;
    }
    throw error;
  }
}
