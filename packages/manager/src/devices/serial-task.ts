/**
 * Runs an async task one at a time, again after triggers that arrived while it ran, and after a pause
 * (`retryMs`) when it failed, if a pause is given. Triggers within one turn of the event loop coalesce.
 */
export class SerialTask {
  private pending = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly retryMs?: number,
  ) {}

  trigger(): void {
    if (this.stopped) return;
    this.pending = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once no run is in progress or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** No new runs; waits for the current one (a pause before a retry is cut short). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.idle();
  }

  private async loop(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending && !this.stopped) {
      this.pending = false;
      try {
        await this.task();
      } catch (err) {
        this.onError(err);
        if (this.retryMs === undefined) continue;
        this.pending = true;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.retryMs).unref();
        });
      }
    }
  }
}
