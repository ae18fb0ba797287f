import pino from 'pino';
import type { DefaultDevice, PhysicalDevice } from '../../src/devices/device-source';
import { DeviceSourceBase } from '../../src/devices/device-source-base';
import type { KernelRoute } from '../../src/devices/netlink/kernel-objects';
import type { MainRouteView } from '../../src/devices/netlink/kernel-view';

/** A DeviceSource driven by the test: set the state, listeners hear the difference. */
export class FakeDeviceSource extends DeviceSourceBase {
  readonly backend = 'netlink';

  constructor() {
    super(pino({ level: 'silent' }));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  setDevices(devices: PhysicalDevice[]): void {
    this.publishDevices(devices);
  }

  setDefault(device: DefaultDevice | undefined): void {
    this.publishDefault(device);
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
