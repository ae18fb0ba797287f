import type { Logger } from 'pino';
import { defaultRouteIfindex } from '../default-route';
import {
  compileDevicePatterns,
  DEFAULT_DEVICE_PATTERNS,
  deviceKindOf,
  diffDevices,
  sameDefault,
} from '../device-classes';
import { DeviceEventHub } from '../device-events';
import type { DefaultDevice, DeviceListener, DeviceSource, PhysicalDevice } from '../device-source';
import { KernelView } from './kernel-view';

export interface NetlinkDeviceSourceOptions {
  readonly logger: Logger;
  /** Shell-style name patterns of physical interfaces; DEFAULT_DEVICE_PATTERNS when absent. */
  readonly patterns?: readonly string[];
}

/**
 * Physical devices and the default network from rtnetlink, in the process's network namespace: devices are
 * the links whose names match the patterns, the default device is the interface of the best default route
 * of the main table (see defaultRouteIfindex). Both are known as soon as start() resolves.
 */
export class NetlinkDeviceSource implements DeviceSource {
  readonly backend = 'netlink';
  /** The links and main routes this source reads, for the per-interface routing. */
  readonly kernel: KernelView;
  private readonly logger: Logger;
  private readonly hub: DeviceEventHub;
  private readonly isPhysical: (ifname: string) => boolean;
  private current: PhysicalDevice[] = [];
  private currentDefault: DefaultDevice | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: NetlinkDeviceSourceOptions) {
    this.logger = options.logger.child({ component: 'devices/netlink' });
    this.hub = new DeviceEventHub(this.logger);
    const isPhysical = compileDevicePatterns(options.patterns ?? DEFAULT_DEVICE_PATTERNS);
    this.isPhysical = isPhysical;
    this.kernel = new KernelView({ logger: this.logger, watches: (link) => isPhysical(link.ifname) });
  }

  async start(): Promise<void> {
    if (this.unsubscribe !== undefined) return;
    this.unsubscribe = this.kernel.onChange(() => this.update());
    try {
      await this.kernel.start();
    } catch (err) {
      this.unsubscribe();
      this.unsubscribe = undefined;
      throw err;
    }
    this.update();
    this.logger.info(
      { devices: this.current.map((d) => d.ifname), default: this.currentDefault?.ifname },
      'netlink device source started',
    );
  }

  async stop(): Promise<void> {
    if (this.unsubscribe === undefined) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    await this.kernel.stop();
  }

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

  private update(): void {
    const devices = this.kernel
      .links()
      .filter((link) => this.isPhysical(link.ifname))
      .map((link) => ({ ...link, kind: deviceKindOf(link.ifname) }))
      .sort((a, b) => a.ifindex - b.ifindex);
    const { added, removed } = diffDevices(this.current, devices);
    this.current = devices;
    if (added.length > 0 || removed.length > 0) this.hub.emit({ type: 'devices', added, removed });

    const ifindex = defaultRouteIfindex(this.kernel.mainRoutes());
    const link = ifindex === undefined ? undefined : this.kernel.link(ifindex);
    const next: DefaultDevice | undefined = link && { ...link, kind: deviceKindOf(link.ifname), vpn: false };
    const previous = this.currentDefault;
    if (sameDefault(previous, next)) return;
    this.currentDefault = next;
    this.hub.emit({ type: 'default', current: next, previous });
  }
}
