import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP listener on a free local port: the product sends to it through nodemailer, and tests read what
 * arrived. It can misbehave like real servers do: `failNext(n)` answers the next n messages with 451 (busy),
 * `refuseAll(true)` answers 451 to every message, `slow(ms)` answers each message only after `ms` (a message whose
 * client hung up before is not accepted), and `down()` / `up()` stop and restart listening on the same port.
 */
export class SmtpCapture {
  readonly messages: ReceivedMail[] = [];
  private failures = 0;
  private refusing = false;
  private delayMs = 0;
  private readonly hungUp = new Set<string>();
  private waiters: Array<() => void> = [];
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = this.createServer();
  }

  private createServer(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Closing waits this long for open connections, not the default 30 s.
      closeTimeout: 200,
      onClose: (session) => {
        this.hungUp.add(session.id);
      },
      onData: (stream, session, callback) => {
        if (this.failures > 0 || this.refusing) {
          if (this.failures > 0) this.failures--;
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })));
          return;
        }
        const delay = this.delayMs;
        simpleParser(stream)
          .then(async (parsed) => {
            if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
            // A client that gave up before the answer never had its message accepted.
            if (this.hungUp.has(session.id)) return callback(new Error('client gone'));
            this.messages.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  private listening = false;

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    this.listening = true;
    return this;
  }

  /** Stops listening: connections are refused until `up()`. */
  async down(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.listening) return;
    this.server = this.createServer();
    await this.start();
  }

  /** Answers 451 to every message while on. */
  refuseAll(on: boolean): void {
    this.refusing = on;
  }

  /** Answers each message only after `ms` (0: at once). */
  slow(ms: number): void {
    this.delayMs = ms;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  /** Waits for a mail to `to` matching the predicate (default: any), up to `timeoutMs`. */
  async waitFor(to: string, predicate: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((mail) => mail.to.includes(to.toLowerCase()) && predicate(mail));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
        throw new Error(`no mail to ${to} within ${timeoutMs} ms; received:\n  ${seen || '(nothing)'}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** All mail received by `to`, oldest first. */
  inbox(to: string): ReceivedMail[] {
    return this.messages.filter((mail) => mail.to.includes(to.toLowerCase()));
  }

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in mail "${mail.subject}":\n${mail.text}`);
  return link;
}
