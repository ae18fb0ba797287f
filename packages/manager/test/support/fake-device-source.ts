import { diffDevices, sameDefault } from '../../src/devices/device-classes';
import type {
  DefaultDevice,
  DeviceEvent,
  DeviceListener,
  DeviceSource,
  PhysicalDevice,
} from '../../src/devices/device-source';
import type { KernelRoute } from '../../src/devices/netlink/kernel-objects';
import type { MainRouteView } from '../../src/devices/netlink/kernel-view';

/** A DeviceSource driven by the test: set the state, listeners hear the difference. */
export class FakeDeviceSource implements DeviceSource {
  readonly backend = 'netlink';
  private current: PhysicalDevice[] = [];
  private currentDefault: DefaultDevice | undefined;
  private readonly listeners = new Set<DeviceListener>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

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
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setDevices(devices: PhysicalDevice[]): void {
    const { added, removed } = diffDevices(this.current, devices);
    this.current = devices;
    if (added.length + removed.length > 0) this.emit({ type: 'devices', added, removed });
  }

  setDefault(device: DefaultDevice | undefined): void {
    const previous = this.currentDefault;
    if (sameDefault(previous, device)) return;
    this.currentDefault = device;
    this.emit({ type: 'default', current: device, previous });
  }

  private emit(event: DeviceEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** A main routing table driven by the test. */
export class FakeMainRoutes implements MainRouteView {
  private routes: KernelRoute[] = [];
  private readonly listeners = new Set<() => void>();

  mainRoutes(): readonly KernelRoute[] {
    return this.routes;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(routes: KernelRoute[]): void {
    this.routes = routes;
    for (const listener of this.listeners) listener();
  }
}
