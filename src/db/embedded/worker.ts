/**
 * The embedded database's thread: PGlite (WebAssembly PostgreSQL) runs here, off the serving thread, and speaks the
 * PostgreSQL wire protocol on a Unix socket (pglite-socket's connection handler, with SessionQueue sharing its one
 * session), so the server reaches it with `pg` exactly as it reaches PostgreSQL. Tells its parent `ready` once it
 * listens; on `close`, stops listening, closes the database (flushing it to disk) and answers `closed`.
 */
import { createServer, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { SessionQueue } from './session.js';

export interface EmbeddedWorkerData {
  /** The PGlite data folder, or null for an in-memory database. */
  pgdata: string | null;
  socketPath: string;
}

const { pgdata, socketPath } = workerData as EmbeddedWorkerData;
const SHARED_BUFFERS = '32MB';
const port = parentPort;
if (!port) throw new Error('the embedded database runs in a worker thread');

try {
  // PostgreSQL's default 128 MB of shared buffers is allocated and touched at start; the folder's files are in the
  // system's page cache anyway, so a smaller pool keeps the server's footprint down at little cost.
  const options = { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] };
  const db = pgdata === null ? new PGlite(options) : new PGlite(pgdata, options);
  await db.waitReady;
  const queue = new SessionQueue(db);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const handler = new PGLiteSocketHandler({ queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'], closeOnDetach: true });
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    server.close();
    for (const socket of sockets) socket.destroy();
    void queue
      .close()
      .then(() => db.close())
      .then(
      () => port.postMessage({ closed: true }),
      (error: unknown) => port.postMessage({ closed: true, error: String(error) }),
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
}
