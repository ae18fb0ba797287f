import type { DeviceEvent, DeviceSource } from '../../src/devices/device-source';

/** Records a source's events; a test waits for the one it expects. */
export class EventRecorder {
  readonly events: DeviceEvent[] = [];
  private waiters: Array<() => void> = [];

  constructor(source: DeviceSource) {
    source.onChange((event) => {
      this.events.push(event);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The first recorded event (from index `from`) that matches, waiting for it up to `timeoutMs`. */
  async waitFor(
    predicate: (event: DeviceEvent) => boolean,
    from = 0,
    timeoutMs = 10_000,
  ): Promise<DeviceEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching device event; got ${JSON.stringify(this.events)}`);
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
