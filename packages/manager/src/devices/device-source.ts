/** Interface classes of spec §3.1; `other` is a device that matched a pattern but no class prefix. */
export type DeviceKind = 'ethernet' | 'wifi' | 'cellular' | 'other';

/** A network device the host uses to reach the outside (not a guest-facing veth, bridge or TAP). */
export interface PhysicalDevice {
  readonly ifname: string;
  /** The kernel's interface index; 0 when the source could not learn it (shill names a device not seen here). */
  readonly ifindex: number;
  readonly kind: DeviceKind;
}

/** The device of the default network. It need not be physical: under shill it may be a VPN's tunnel. */
export interface DefaultDevice extends PhysicalDevice {
  /** shill says the default service is a VPN. The netlink source cannot tell and always says false. */
  readonly vpn: boolean;
}

/**
 * What changed. A rename is a removal of the old name and an addition of the new one in the same event.
 * A source emits the state it found at start as events too (every device `added`, then the default), so a
 * listener that subscribes before `start()` needs no separate initial read.
 */
export type DeviceEvent =
  | {
      readonly type: 'devices';
      readonly added: readonly PhysicalDevice[];
      readonly removed: readonly PhysicalDevice[];
    }
  | {
      readonly type: 'default';
      readonly current: DefaultDevice | undefined;
      readonly previous: DefaultDevice | undefined;
    };

/** Listeners run synchronously in registration order; one that throws is logged and the others still run. */
export type DeviceListener = (event: DeviceEvent) => void;

export type DeviceBackendKind = 'netlink' | 'shill';

/** Where the daemon learns about physical devices and the default network. */
export interface DeviceSource {
  readonly backend: DeviceBackendKind;
  /** Reads the current state, subscribes to changes and emits the initial events. Idempotent. */
  start(): Promise<void>;
  /** Unsubscribes and releases sockets; listeners get nothing more. Idempotent. */
  stop(): Promise<void>;
  devices(): readonly PhysicalDevice[];
  device(ifname: string): PhysicalDevice | undefined;
  defaultDevice(): DefaultDevice | undefined;
  /** Returns the function that unsubscribes. */
  onChange(listener: DeviceListener): () => void;
}
