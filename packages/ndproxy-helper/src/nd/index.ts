export { classifyIpv6, eui64Address, type Ipv6AddressClass } from './address';
export { NdOptionType, NdType } from './layout';
export type { NdOption } from './options';
export { type NdFrame, type NdParseResult, type NdRejectReason, parseNdFrame } from './parse';
export { type PrefixInformation, prefixInformation } from './prefix';
export { BROADCAST_MAC, egressDestinationMac, type NdEgress, rewriteNdFrame } from './rewrite';
