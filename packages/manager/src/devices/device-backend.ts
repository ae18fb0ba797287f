import type { MessageBus } from 'dbus-next';
import type { Logger } from 'pino';
import { nameHasOwner } from '../dbus/name-owner';
import type { DeviceBackendKind, DeviceSource } from './device-source';
import { ShillError } from './errors';
import { NetlinkDeviceSource } from './netlink/netlink-device-source';
import { InterfaceRouting } from './routing/interface-routing';
import { ShillDeviceSource } from './shill/shill-device-source';
import { SHILL_SERVICE } from './shill/shill-properties';

/** A device source plus, without shill, the routing the daemon then installs itself. */
export interface DeviceBackend {
  readonly kind: DeviceBackendKind;
  readonly source: DeviceSource;
  /** Present for netlink unless disabled: shill does this routing itself (spec §5.4). */
  readonly routing: InterfaceRouting | undefined;
  start(): Promise<void>;
  /** Stops the routing first (removing what it installed), then the source, even if the first failed. */
  stop(): Promise<void>;
}

export interface NetlinkBackendOptions {
  readonly logger: Logger;
  /** Physical interface name patterns; DEFAULT_DEVICE_PATTERNS when absent. */
  readonly patterns?: readonly string[];
  /** Per-interface tables and fwmark rules; on unless false. */
  readonly routing?: boolean | { readonly rulePriority?: number };
}

export interface DeviceBackendOptions extends NetlinkBackendOptions {
  /** The bus shill would be on. Without one, netlink. */
  readonly bus?: MessageBus;
  /** For the shill source: interface name to ifindex (sysfs by default). */
  readonly resolveIfindex?: (ifname: string) => number | undefined;
}

export function netlinkBackend(options: NetlinkBackendOptions): DeviceBackend {
  const source = new NetlinkDeviceSource(options);
  const routingOptions = options.routing ?? true;
  const routing =
    routingOptions === false
      ? undefined
      : new InterfaceRouting({
          devices: source,
          routes: source.kernel,
          logger: options.logger,
          rulePriority: routingOptions === true ? undefined : routingOptions.rulePriority,
        });
  return {
    kind: 'netlink',
    source,
    routing,
    async start() {
      await source.start();
      try {
        await routing?.start();
      } catch (err) {
        await source.stop();
        throw err;
      }
    },
    async stop() {
      try {
        await routing?.stop();
      } finally {
        await source.stop();
      }
    },
  };
}

export function shillBackend(options: {
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly resolveIfindex?: (ifname: string) => number | undefined;
}): DeviceBackend {
  const source = new ShillDeviceSource(options);
  return {
    kind: 'shill',
    source,
    routing: undefined,
    start: () => source.start(),
    stop: () => source.stop(),
  };
}

/** Whether `org.chromium.flimflam` has an owner on the bus. */
export async function shillIsPresent(bus: MessageBus): Promise<boolean> {
  try {
    return await nameHasOwner(bus, SHILL_SERVICE);
  } catch (err) {
    throw new ShillError(`cannot ask the bus whether ${SHILL_SERVICE} is there`, { cause: err });
  }
}

/** shill when it is on the bus, else netlink (design §3.6). Not started. */
export async function selectDeviceBackend(options: DeviceBackendOptions): Promise<DeviceBackend> {
  const { bus, logger } = options;
  const shill = bus !== undefined && (await shillIsPresent(bus));
  logger.info({ backend: shill ? 'shill' : 'netlink' }, 'device backend selected');
  return shill && bus !== undefined
    ? shillBackend({ bus, logger, resolveIfindex: options.resolveIfindex })
    : netlinkBackend(options);
}
