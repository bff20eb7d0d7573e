import type { FastifyBaseLogger } from 'fastify';

/**
 * Runs `tick` every `intervalMs`, at once when woken, and again straight away while it reports work done.
 * A failing tick (the database blinked, SMTP is down) is logged and retried at the next interval; the loop
 * never dies of it.
 */
export class WorkerLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<number>,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for a run as soon as possible. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops scheduling and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs one pass now and waits for it, for tests and the CLI. */
  async runOnce(): Promise<number> {
    await this.running;
    return this.tick();
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.running) return;
    let didWork = 0;
    this.running = (async () => {
      try {
        didWork = await this.tick();
      } catch (error) {
        this.log.error({ err: error, worker: this.name }, 'background worker failed; retrying later');
      }
    })();
    await this.running;
    this.running = null;
    if (this.stopped) return;
    const more = didWork > 0 || this.again;
    this.again = false;
    this.schedule(more ? 0 : this.intervalMs);
  }
}
