import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface LogLine {
  readonly msg: string;
  readonly time: number;
  readonly [key: string]: unknown;
}

/** A pino logger whose lines a test can wait for. */
export class LogSink {
  readonly lines: LogLine[] = [];
  readonly logger: Logger;
  private waiters: Array<() => void> = [];

  constructor() {
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const text of chunk.toString('utf8').split('\n')) if (text) this.lines.push(JSON.parse(text));
        for (const wake of this.waiters.splice(0)) wake();
        done();
      },
    });
    this.logger = pino({ level: 'debug' }, stream);
  }

  matching(predicate: (line: LogLine) => boolean): LogLine[] {
    return this.lines.filter(predicate);
  }

  /** Resolves with the first `count` lines matching, failing after `timeoutMs`. */
  async waitFor(predicate: (line: LogLine) => boolean, count = 1, timeoutMs = 15_000): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.matching(predicate);
      if (found.length >= count) return found.slice(0, count);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${count} log lines; last: ${JSON.stringify(this.lines.slice(-5))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
