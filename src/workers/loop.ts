import type { FastifyBaseLogger } from 'fastify';
import { isDatabaseUnavailable } from '../db/faults.js';

/** The longest a failing loop waits before trying again: short enough to resume soon after the database returns. */
export const MAX_BACKOFF_MS = 10_000;

/** Wait after `failures` failed passes in a row: the interval, doubled per failure, at most MAX_BACKOFF_MS. */
export function loopBackoffMs(intervalMs: number, failures: number): number {
  return Math.min(Math.max(intervalMs, MAX_BACKOFF_MS / 64) * 2 ** Math.max(0, failures - 1), Math.max(intervalMs, MAX_BACKOFF_MS));
}

/**
 * Runs `tick` every `intervalMs`, at once when woken, and again straight away while it reports work done.
 * A failing tick (the database blinked, SMTP is down) is logged and retried with a growing wait; the loop never
 * dies of it, and a passing tick brings it back to its interval.
 */
export class WorkerLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private failures = 0;

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
    let failed = false;
    this.running = (async () => {
      try {
        didWork = await this.tick();
        this.failures = 0;
      } catch (error) {
        failed = true;
        this.failures++;
        const retryInMs = loopBackoffMs(this.intervalMs, this.failures);
        if (isDatabaseUnavailable(error)) {
          this.log.warn({ worker: this.name, failures: this.failures, retryInMs }, 'database unavailable; background worker waits');
        } else {
          this.log.error({ err: error, worker: this.name, failures: this.failures, retryInMs }, 'background worker failed; retrying later');
        }
      }
    })();
    await this.running;
    this.running = null;
    if (this.stopped) return;
    const more = !failed && (didWork > 0 || this.again);
    this.again = false;
    this.schedule(failed ? loopBackoffMs(this.intervalMs, this.failures) : more ? 0 : this.intervalMs);
  }
}
