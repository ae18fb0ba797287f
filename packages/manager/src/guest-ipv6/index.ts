export { Ipv6ReportError } from './errors';
export { GuestIpv6Service, type GuestIpv6ServiceOptions, type Ipv6Guest } from './guest-ipv6-service';
export { type GuestIpv6Kernel, systemGuestIpv6Kernel } from './system-kernel';
export { chooseUpstream, type UpstreamPolicy, type UpstreamView } from './upstream-choice';
