export {
  type DeviceBackend,
  type DeviceBackendOptions,
  type NetlinkBackendOptions,
  netlinkBackend,
  selectDeviceBackend,
  shillBackend,
  shillIsPresent,
} from './device-backend';
export {
  compileDevicePatterns,
  DEFAULT_DEVICE_PATTERNS,
  deviceKindOf,
  diffDevices,
} from './device-classes';
export type {
  DefaultDevice,
  DeviceBackendKind,
  DeviceEvent,
  DeviceKind,
  DeviceListener,
  DeviceSource,
  PhysicalDevice,
} from './device-source';
export { DeviceConfigError, NetlinkError, RoutingError, ShillError } from './errors';
export type { KernelRoute, KernelRule } from './netlink/kernel-objects';
export type { MainRouteView } from './netlink/kernel-view';
export { NetlinkDeviceSource, type NetlinkDeviceSourceOptions } from './netlink/netlink-device-source';
export {
  DEFAULT_RULE_PRIORITY,
  type DesiredRouting,
  desiredRouting,
  PATCHPANEL_PROTOCOL,
  ROUTING_TABLE_OFFSET,
  ROUTING_TAG_MASK,
  routingTableOf,
  routingTagOf,
} from './routing/desired-routing';
export { InterfaceRouting, type InterfaceRoutingOptions } from './routing/interface-routing';
export type { RoutingKernel } from './routing/routing-kernel';
export { ShillDeviceSource, type ShillDeviceSourceOptions } from './shill/shill-device-source';
export { SHILL_SERVICE } from './shill/shill-properties';
