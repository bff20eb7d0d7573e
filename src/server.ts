import { buildApp } from './app.js';
import { ensureAdmin } from './accounts/admin.js';
import { systemClock } from './clock.js';
import { type Config, servesLoopbackOnly } from './config.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { startWorkers } from './workers/index.js';

/** `shareplane serve`: migrate, make sure the admin exists, listen, run the workers, and close cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let closing = false;
  try {
    await migrate(database);
    const { app, ctx } = await buildApp({ config, database, clock: systemClock });
    await ensureAdmin(ctx);
    const workers = config.workers ? startWorkers(ctx) : null;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      await app.close();
      await workers?.stop();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await app.listen({ port: config.port, host: config.host });
    if (config.devMailbox && !servesLoopbackOnly(config)) {
      app.log.warn(
        `DEV_MAILBOX=on while serving ${config.publicUrl} on ${config.host}: anyone who reaches this server reads every mail at /api/v1/dev/mail, reset and invitation links included`,
      );
    }
    if (!config.smtpUrl && !config.devMailbox) {
      app.log.warn('no SMTP_URL and no dev mailbox: mail stays in the outbox; its links are printed to this log');
    }
    app.log.info(
      { database: database.kind, publicUrl: config.publicUrl, mail: config.smtpUrl ? 'smtp' : config.devMailbox ? 'dev mailbox' : 'log only' },
      `Shareplane is serving at ${config.publicUrl}`,
    );
  } catch (error) {
    if (!closing) await database.close().catch(() => undefined);
    throw error;
  }
}
