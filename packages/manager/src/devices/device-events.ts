import type { Logger } from 'pino';
import type { DeviceEvent, DeviceListener } from './device-source';

/** A listener list whose emit never throws: a failing listener is logged and the rest still run. */
export class DeviceEventHub {
  private readonly listeners = new Set<DeviceListener>();

  constructor(private readonly logger: Logger) {}

  subscribe(listener: DeviceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DeviceEvent): void {
    this.logger.info(describeEvent(event), 'device event');
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err, event: event.type }, 'device listener failed');
      }
    }
  }
}

function describeEvent(event: DeviceEvent): Record<string, unknown> {
  if (event.type === 'devices') {
    return {
      event: 'devices',
      added: event.added.map((d) => d.ifname),
      removed: event.removed.map((d) => d.ifname),
    };
  }
  return { event: 'default', current: event.current?.ifname, previous: event.previous?.ifname };
}
