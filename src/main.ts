import type { Command } from 'commander';
import { buildProgram, runProgram } from './cli/program.js';

// The server's modules load only for `serve` and `migrate`: a user command starts in a fraction of the time.
let serving = false;

function addServerCommands(program: Command): void {
  program
    .command('serve')
    .description('migrate the database, then serve the API and the dashboard (the default); configured by environment variables, see the README')
    .action(async () => {
      const [{ loadConfig }, { serve }] = await Promise.all([import('./config.js'), import('./server.js')]);
      await serve(loadConfig());
      serving = true;
    });
  program
    .command('migrate')
    .description('apply the database migrations and exit')
    .action(async () => {
      const [{ loadConfig }, { openDatabase }, { migrate }] = await Promise.all([import('./config.js'), import('./db/open.js'), import('./db/migrate.js')]);
      const config = loadConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrate(database);
        console.log(`migrated the ${database.kind} database`);
      } finally {
        await database.close();
      }
    });
}

async function startupFailure(error: unknown): Promise<void> {
  const [{ ConfigError }, { DataDirLockedError }] = await Promise.all([import('./config.js'), import('./db/lock.js')]);
  if (error instanceof ConfigError || error instanceof DataDirLockedError) console.error(`shareplane: ${error.message}`);
  else console.error('shareplane: failed:', error);
}

const argv = process.argv.slice(2);
const program = buildProgram(addServerCommands);
runProgram(program, argv.length === 0 ? ['serve'] : argv).then(
  (code) => {
    if (!serving) process.exit(code);
  },
  async (error: unknown) => {
    await startupFailure(error);
    process.exit(1);
  },
);
