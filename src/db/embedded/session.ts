import type { PGlite } from '@electric-sql/pglite';

interface Pending {
  connection: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// Frontend message types after which the backend is ready for another client's query (when no transaction is open).
const SIMPLE_QUERY = 0x51; // 'Q'
const SYNC = 0x53; // 'S'
const TERMINATE = 0x58; // 'X'

/**
 * PGlite has one backend session; several wire-protocol connections share it (pglite-socket's handlers feed it one
 * message at a time). This queue gives the session to one connection from its first message until the backend is
 * ready for anyone again — after a Sync or a simple query, outside a transaction — so neither an extended-protocol
 * batch (Parse, Bind, Execute, Sync) nor a transaction ever interleaves with another connection's messages. (The
 * package's own queue pins a connection only inside a transaction, so two batches can clobber each other's unnamed
 * statement.) It has the interface pglite-socket's connection handler expects of its queue.
 */
export class SessionQueue {
  private readonly waiting: Pending[] = [];
  private holder: number | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: PGlite) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the embedded database is closing'));
        return;
      }
      this.waiting.push({ connection, message, onData, resolve, reject });
      this.pump();
    });
  }

  /** Takes no more messages, fails the queued ones and resolves once the one running has finished. */
  async close(): Promise<void> {
    this.closed = true;
    for (const item of this.waiting.splice(0)) item.reject(new Error('the embedded database is closing'));
    await this.running;
  }

  private next(): Pending | undefined {
    const index = this.holder === null ? 0 : this.waiting.findIndex((item) => item.connection === this.holder);
    return index < 0 ? undefined : this.waiting.splice(index, 1)[0];
  }

  private runnable(): boolean {
    return this.waiting.some((item) => this.holder === null || item.connection === this.holder);
  }

  private pump(): void {
    if (this.running || this.closed) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // A message that came while the last one finished (after the loop looked) is not left waiting.
      if (this.runnable()) this.pump();
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      const item = this.next();
      if (!item) return;
      this.holder = item.connection;
      let bytes = 0;
      const { message, onData } = item;
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(message, {
            onRawData: (data) => {
              bytes += data.length;
              onData(data);
            },
          }),
        );
        item.resolve(bytes);
      } catch (error) {
        item.reject(error);
      }
      // A startup message has no type byte (it starts with its length): it is a whole exchange too.
      const type = message[0];
      const done = type === SIMPLE_QUERY || type === SYNC || type === TERMINATE || type === 0;
      if (done && !this.db.isInTransaction()) this.holder = null;
    }
  }

  getQueueLength(): number {
    return this.waiting.length;
  }

  /** A connection went away: its queued messages fail. */
  clearQueueForHandler(connection: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i -= 1) {
      const item = this.waiting[i];
      if (item?.connection !== connection) continue;
      this.waiting.splice(i, 1);
      item.reject(new Error('the connection closed'));
    }
  }

  /** A connection went away holding the session: its open transaction is rolled back, and the session is free. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.holder !== connection) return;
    if (this.db.isInTransaction()) await this.db.exec('rollback');
    this.holder = null;
    this.pump();
  }
}
