export { Ipv6ReportError } from './ipv6/errors';
export { GuestIpv6Service, type GuestIpv6ServiceOptions } from './ipv6/guest-ipv6-service';
export { type GuestIpv6Kernel, systemGuestIpv6Kernel } from './ipv6/system-kernel';
export {
  GuestMulticastService,
  type GuestMulticastServiceOptions,
} from './multicast/guest-multicast-service';
export { type ForwardedGuest, type GuestForwarding, UplinkPairs } from './uplink-pairs';
export { chooseUpstream, type UpstreamPolicy, type UpstreamView } from './upstream-choice';
