import type { Logger } from 'pino';
import { ManagerError } from '../errors';

export class ShutdownError extends ManagerError {
  readonly code = 'PP_ERR_SHUTDOWN';
}

/** Stop steps registered as things start, run newest first; every step runs, failures are collected. */
export class Shutdown {
  private readonly steps: Array<{ name: string; run: () => unknown }> = [];

  constructor(private readonly logger: Logger) {}

  push(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    const failed: string[] = [];
    for (const { name, run } of this.steps.splice(0).reverse()) {
      try {
        await run();
      } catch (err) {
        failed.push(name);
        this.logger.error({ err, step: name }, 'stop step failed');
      }
    }
    if (failed.length > 0) throw new ShutdownError(`stop steps failed: ${failed.join(', ')}`);
  }
}
