import type { MessageBus } from 'dbus-next';
import type { Logger } from 'pino';
import type { DefaultDevice, PhysicalDevice } from '../device-source';
import { DeviceSourceBase } from '../device-source-base';
import { SerialTask } from '../serial-task';
import { ShillClient } from './shill-client';
import {
  DEFAULT_TRIGGERS,
  deviceKindOfShill,
  ifnameOfDevicePath,
  SHILL_DEVICE_INTERFACE,
  SHILL_MANAGER_INTERFACE,
  SHILL_MANAGER_PATH,
  SHILL_SERVICE_INTERFACE,
} from './shill-properties';
import { sysfsIfindex } from './sysfs-ifindex';

const RETRY_MS = 2_000;
const SERVICE_TRIGGERS: ReadonlySet<string> = new Set(['IsConnected', 'Device', 'Type']);
const DEVICE_TRIGGERS: ReadonlySet<string> = new Set(['Interface', 'Type']);

export interface ShillDeviceSourceOptions {
  /** A connection to the bus shill is on; the caller owns it. */
  readonly bus: MessageBus;
  readonly logger: Logger;
  /** Interface name to ifindex; sysfs of this network namespace by default. Unknown gives ifindex 0. */
  readonly resolveIfindex?: (ifname: string) => number | undefined;
}

/**
 * Devices and the default network from shill (spec §4): the Manager's `Devices`, each Device's `Interface`
 * and `Type`, and the default device through `DefaultService` → Service (`IsConnected`, `Type`, `Device`)
 * → Device `Interface`. PropertyChanged of the Manager, of every device and of the default service keep
 * them current. Unlike the original, the default device is read at start too.
 */
export class ShillDeviceSource extends DeviceSourceBase {
  readonly backend = 'shill';
  private readonly logger: Logger;
  private readonly client: ShillClient;
  private readonly resolveIfindex: (ifname: string) => number | undefined;
  private readonly known = new Map<string, PhysicalDevice>();
  private readonly deviceWatches = new Map<string, () => void>();
  private readonly staleDevices = new Set<string>();
  private serviceWatch: { readonly path: string; readonly unsubscribe: () => void } | undefined;
  private managerWatch: (() => void) | undefined;
  private task: SerialTask | undefined;
  private started = false;
  private dirty = { devices: false, default: false };

  constructor(options: ShillDeviceSourceOptions) {
    const logger = options.logger.child({ component: 'devices/shill' });
    super(logger);
    this.logger = logger;
    this.client = new ShillClient(options.bus, this.logger);
    this.resolveIfindex = options.resolveIfindex ?? sysfsIfindex;
  }

  /** Rejects with ShillError if shill cannot be watched or read (spec §4: that is fatal). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      // Watch first, so that nothing changing during the first read is missed: it only marks dirty then.
      this.managerWatch = await this.client.watch(SHILL_MANAGER_PATH, SHILL_MANAGER_INTERFACE, (name) => {
        if (name === 'Devices') this.mark({ devices: true, default: true });
        else if (DEFAULT_TRIGGERS.has(name)) this.mark({ default: true });
      });
      this.dirty = { devices: true, default: true };
      await this.refresh();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.task = new SerialTask(
      () => this.refresh(),
      (err) => this.logger.warn({ err }, 'cannot read shill; retrying'),
      RETRY_MS,
    );
    if (this.dirty.devices || this.dirty.default) this.task.trigger();
    this.logger.info(
      { devices: this.devices().map((d) => d.ifname), default: this.defaultDevice()?.ifname },
      'shill device source started',
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.task?.stop();
    this.task = undefined;
    this.managerWatch?.();
    this.managerWatch = undefined;
    for (const unsubscribe of this.deviceWatches.values()) unsubscribe();
    this.deviceWatches.clear();
    this.serviceWatch?.unsubscribe();
    this.serviceWatch = undefined;
    this.known.clear();
    this.staleDevices.clear();
  }

  private mark(what: { devices?: boolean; default?: boolean }): void {
    this.dirty.devices ||= what.devices === true;
    this.dirty.default ||= what.default === true;
    this.task?.trigger();
  }

  private async refresh(): Promise<void> {
    const dirty = this.dirty;
    this.dirty = { devices: false, default: false };
    try {
      if (dirty.devices) await this.refreshDevices();
    } catch (err) {
      this.dirty = { devices: true, default: true };
      throw err;
    }
    if (dirty.devices || dirty.default) await this.refreshDefault();
  }

  private async refreshDevices(): Promise<void> {
    const { devices: paths } = await this.client.managerProperties();
    for (const path of [...this.known.keys(), ...this.deviceWatches.keys()]) {
      if (paths.includes(path)) continue;
      this.deviceWatches.get(path)?.();
      this.deviceWatches.delete(path);
      this.known.delete(path);
      this.client.forget(path, SHILL_DEVICE_INTERFACE);
    }
    for (const path of paths) {
      if (this.known.has(path) && !this.staleDevices.has(path)) continue;
      const device = await this.readDevice(path);
      if (device !== undefined) this.known.set(path, device);
    }
    const next = paths
      .map((path) => this.known.get(path))
      .filter((d): d is PhysicalDevice => d !== undefined);
    this.publishDevices(next);
  }

  /** Watches the device (once) and reads it; a device that cannot be read is left out this time. */
  private async readDevice(path: string): Promise<PhysicalDevice | undefined> {
    try {
      if (!this.deviceWatches.has(path)) {
        const unsubscribe = await this.client.watch(path, SHILL_DEVICE_INTERFACE, (name) => {
          if (!DEVICE_TRIGGERS.has(name)) return;
          this.staleDevices.add(path);
          this.mark({ devices: true, default: true });
        });
        this.deviceWatches.set(path, unsubscribe);
      }
      this.staleDevices.delete(path);
      const properties = await this.client.deviceProperties(path);
      const ifname = properties.interface ?? ifnameOfDevicePath(path);
      return {
        ifname,
        ifindex: this.resolveIfindex(ifname) ?? 0,
        kind: deviceKindOfShill(properties.type, ifname),
      };
    } catch (err) {
      this.logger.warn({ err, path }, 'cannot read a shill device; left out');
      return undefined;
    }
  }

  private async refreshDefault(): Promise<void> {
    let next: DefaultDevice | undefined;
    try {
      next = await this.readDefault();
    } catch (err) {
      this.logger.warn({ err }, 'cannot read the default service; no default device');
      next = undefined;
    }
    this.publishDefault(next);
  }

  /** Spec §4 steps 1–3; undefined when any of them finds nothing usable. */
  private async readDefault(): Promise<DefaultDevice | undefined> {
    const { defaultService } = await this.client.managerProperties();
    await this.watchService(defaultService);
    if (defaultService === undefined) return undefined;
    const service = await this.client.serviceProperties(defaultService);
    if (!service.isConnected || service.device === undefined) return undefined;
    const ifname = (await this.client.deviceProperties(service.device)).interface;
    if (ifname === undefined) return undefined;
    return {
      ifname,
      ifindex: this.resolveIfindex(ifname) ?? 0,
      kind: deviceKindOfShill(service.type, ifname),
      vpn: service.type === 'vpn',
    };
  }

  private async watchService(path: string | undefined): Promise<void> {
    if (this.serviceWatch?.path === path) return;
    this.serviceWatch?.unsubscribe();
    this.serviceWatch = undefined;
    if (path === undefined) return;
    const unsubscribe = await this.client.watch(path, SHILL_SERVICE_INTERFACE, (name) => {
      if (SERVICE_TRIGGERS.has(name)) this.mark({ default: true });
    });
    this.serviceWatch = { path, unsubscribe };
  }
}
