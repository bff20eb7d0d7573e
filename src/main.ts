import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { serve } from './server.js';

const usage = `usage: shareplane <command>

commands:
  serve     migrate the database, then serve the API and the dashboard (the default)
  migrate   apply the database migrations and exit

Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  if (command === 'serve') {
    await serve(config);
    return -1;
  }
  if (command === 'migrate') {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrate(database);
      console.log(`migrated the ${database.kind} database`);
    } finally {
      await database.close();
    }
    return 0;
  }
  console.error(`unknown command: ${command}\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(`shareplane: ${error.message}`);
    } else {
      console.error('shareplane: failed to start:', error);
    }
    process.exit(1);
  },
);
