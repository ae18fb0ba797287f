import type { Logger } from 'pino';
import { diffDevices, sameDefault } from './device-classes';
import { DeviceEventHub } from './device-events';
import type {
  DefaultDevice,
  DeviceBackendKind,
  DeviceListener,
  DeviceSource,
  PhysicalDevice,
} from './device-source';

/** What every source keeps: the devices and default it last observed; publishing them emits the difference. */
export abstract class DeviceSourceBase implements DeviceSource {
  abstract readonly backend: DeviceBackendKind;
  private readonly hub: DeviceEventHub;
  private current: readonly PhysicalDevice[] = [];
  private currentDefault: DefaultDevice | undefined;

  constructor(logger: Logger) {
    this.hub = new DeviceEventHub(logger);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  devices(): readonly PhysicalDevice[] {
    return this.current;
  }

  device(ifname: string): PhysicalDevice | undefined {
    return this.current.find((d) => d.ifname === ifname);
  }

  defaultDevice(): DefaultDevice | undefined {
    return this.currentDefault;
  }

  onChange(listener: DeviceListener): () => void {
    return this.hub.subscribe(listener);
  }

  protected publishDevices(next: readonly PhysicalDevice[]): void {
    const { added, removed } = diffDevices(this.current, next);
    this.current = next;
    if (added.length > 0 || removed.length > 0) this.hub.emit({ type: 'devices', added, removed });
  }

  protected publishDefault(next: DefaultDevice | undefined): void {
    const previous = this.currentDefault;
    if (sameDefault(previous, next)) return;
    this.currentDefault = next;
    this.hub.emit({ type: 'default', current: next, previous });
  }
}
