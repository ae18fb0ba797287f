export type IpFamily = 4 | 6;

/** A multicast protocol the helper forwards: its UDP port, its group per family, the TTL it is sent with. */
export interface MulticastProtocol {
  readonly name: 'mdns' | 'ssdp';
  readonly port: number;
  readonly groups: Readonly<Record<IpFamily, string>>;
  readonly ttl: number;
}

/** RFC 6762 §11: sent with TTL 255 (receivers may check it). */
export const MDNS: MulticastProtocol = {
  name: 'mdns',
  port: 5353,
  groups: { 4: '224.0.0.251', 6: 'ff02::fb' },
  ttl: 255,
};

/** UPnP Device Architecture: TTL 2 by default. */
export const SSDP: MulticastProtocol = {
  name: 'ssdp',
  port: 1900,
  groups: { 4: '239.255.255.250', 6: 'ff02::c' },
  ttl: 2,
};

export const FAMILIES: readonly IpFamily[] = [4, 6];
