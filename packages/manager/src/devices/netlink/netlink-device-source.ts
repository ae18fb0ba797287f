import type { Logger } from 'pino';
import { defaultRouteIfindex } from '../default-route';
import { compileDevicePatterns, DEFAULT_DEVICE_PATTERNS, deviceKindOf } from '../device-classes';
import type { DefaultDevice } from '../device-source';
import { DeviceSourceBase } from '../device-source-base';
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
export class NetlinkDeviceSource extends DeviceSourceBase {
  readonly backend = 'netlink';
  /** The links and main routes this source reads, for the per-interface routing. */
  readonly kernel: KernelView;
  private readonly logger: Logger;
  private readonly isPhysical: (ifname: string) => boolean;
  private unsubscribe: (() => void) | undefined;

  constructor(options: NetlinkDeviceSourceOptions) {
    const logger = options.logger.child({ component: 'devices/netlink' });
    super(logger);
    this.logger = logger;
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
      { devices: this.devices().map((d) => d.ifname), default: this.defaultDevice()?.ifname },
      'netlink device source started',
    );
  }

  async stop(): Promise<void> {
    if (this.unsubscribe === undefined) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    await this.kernel.stop();
  }

  private update(): void {
    const devices = this.kernel
      .links()
      .filter((link) => this.isPhysical(link.ifname))
      .map((link) => ({ ...link, kind: deviceKindOf(link.ifname) }))
      .sort((a, b) => a.ifindex - b.ifindex);
    this.publishDevices(devices);

    const ifindex = defaultRouteIfindex(this.kernel.mainRoutes());
    const link = ifindex === undefined ? undefined : this.kernel.link(ifindex);
    const next: DefaultDevice | undefined = link && { ...link, kind: deviceKindOf(link.ifname), vpn: false };
    this.publishDefault(next);
  }
}
