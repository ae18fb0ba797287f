/**
 * What the D-Bus surface asks of the daemon, in internal terms: requests arrive here already decoded and
 * validated (ports in range, names checked, enums known), and answers leave as plain values. Services throw
 * coded ManagerErrors; the D-Bus layer logs them and replies with the empty response the clients expect.
 */

/** The traffic sources of the fwmark layout (spec §5.3), by name. */
export type TrafficSource =
  | 'unknown'
  | 'chrome'
  | 'user'
  | 'update_engine'
  | 'system'
  | 'host_vpn'
  | 'arc'
  | 'crosvm'
  | 'pluginvm'
  | 'tether_downstream'
  | 'arc_vpn';

/** An IPv4 address in dotted-quad form, already validated. */
export type Ipv4Address = string;

export interface Ipv4Cidr {
  readonly base: Ipv4Address;
  readonly prefixLength: number;
}

export interface ConnectNamespaceRequest {
  /** A live pid other than 1 and the daemon's own; its network namespace gets connected. */
  readonly pid: number;
  /** Pin the namespace's traffic to this physical device; undefined follows the default network. */
  readonly outboundPhysicalDevice: string | undefined;
  readonly allowUserTraffic: boolean;
  readonly routeOnVpn: boolean;
  /** UNKNOWN from the wire has become 'system' by the time it gets here. */
  readonly trafficSource: TrafficSource;
  /** The client's lifeline: when it hangs up, the namespace is disconnected. Owned by the callee. */
  readonly lifelineFd: number;
}

export interface ConnectedNamespace {
  readonly subnet: Ipv4Cidr;
  readonly hostIfname: string;
  readonly hostIpv4: Ipv4Address;
  readonly peerIfname: string;
  readonly peerIpv4: Ipv4Address;
  readonly netnsName: string;
}

export type PortRuleType = 'access' | 'lockdown' | 'forwarding';
export type PortProtocol = 'tcp' | 'udp';

/** One ModifyPortRule rule, validated per type (spec §8.1; ports are 1..65535). */
export type PortRule =
  | {
      readonly type: 'access';
      readonly protocol: PortProtocol;
      readonly port: number;
      /** undefined: every interface. */
      readonly inputIfname: string | undefined;
    }
  | { readonly type: 'lockdown'; readonly protocol: PortProtocol; readonly port: number }
  | {
      readonly type: 'forwarding';
      readonly protocol: PortProtocol;
      readonly inputIfname: string;
      readonly inputDstIp: Ipv4Address | undefined;
      readonly port: number;
      readonly dstIp: Ipv4Address;
      readonly dstPort: number;
    };

export type GuestKind = 'arc' | 'arcvm' | 'termina_vm' | 'plugin_vm';

export interface NetworkDeviceInfo {
  readonly ifname: string;
  readonly ipv4Address: Ipv4Address;
  readonly subnet: Ipv4Cidr;
  readonly guestKind: GuestKind;
}

export interface PatchPanelApi {
  connectNamespace(request: ConnectNamespaceRequest): Promise<ConnectedNamespace>;
  /** Resolves when the rule was created, or when exactly one identical instance was removed. */
  modifyPortRule(operation: 'create' | 'delete', rule: PortRule): Promise<void>;
  getDevices(): readonly NetworkDeviceInfo[];
}
