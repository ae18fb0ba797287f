// Test-only builder of Ethernet + IPv6 + ICMPv6 ND frames, with its own checksum so tests do not trust the code
// under test to produce the expected bytes.

export type Bytes = readonly number[] | Uint8Array;

export function mac(text: string): number[] {
  return text.split(':').map((part) => Number.parseInt(part, 16));
}

export function ipv6(text: string): number[] {
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((group) => [group >> 8, group & 0xff]);
}

export const option = {
  slla: (address: Bytes): number[] => [1, 1, ...address],
  tlla: (address: Bytes): number[] => [2, 1, ...address],
  mtu: (value: number): number[] => [5, 1, 0, 0, ...u32(value)],
  pio: (prefix: Bytes, length: number, flags = 0xc0, valid = 86400, preferred = 14400): number[] => [
    3,
    4,
    length,
    flags,
    ...u32(valid),
    ...u32(preferred),
    0,
    0,
    0,
    0,
    ...prefix,
  ],
};

function u32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

export interface FrameSpec {
  readonly type: number;
  /** Message bytes after type, code and checksum, options excluded. */
  readonly body: Bytes;
  readonly options?: readonly Bytes[];
  readonly ethDst?: Bytes;
  readonly ethSrc?: Bytes;
  readonly ethertype?: number;
  readonly versionByte?: number;
  readonly nextHeader?: number;
  readonly hopLimit?: number;
  readonly src?: Bytes;
  readonly dst?: Bytes;
  readonly code?: number;
  /** Added to the true payload length when writing the header. */
  readonly payloadLengthDelta?: number;
  readonly corruptChecksum?: boolean;
}

export const GUEST_MAC = mac('52:54:00:aa:bb:01');
export const ROUTER_MAC = mac('52:54:00:cc:dd:02');
export const EGRESS_MAC = mac('02:00:5e:10:20:30');
export const ROUTER_LL = ipv6('fe80::1');
export const GUEST_LL = ipv6('fe80::5054:ff:feaa:bb01');
export const ALL_NODES = ipv6('ff02::1');
export const ALL_ROUTERS = ipv6('ff02::2');

function checksum(src: Bytes, dst: Bytes, message: readonly number[]): number {
  const pseudo = [...src, ...dst, ...u32(message.length), 0, 0, 0, 58];
  const all = [...pseudo, ...message];
  if (all.length % 2 === 1) all.push(0);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += all[i]! * 256 + all[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function buildFrame(spec: FrameSpec): Uint8Array {
  const src = spec.src ?? GUEST_LL;
  const dst = spec.dst ?? ALL_ROUTERS;
  const message = [
    spec.type,
    spec.code ?? 0,
    0,
    0,
    ...spec.body,
    ...(spec.options ?? []).flatMap((o) => [...o]),
  ];
  const sum = checksum(src, dst, message) ^ (spec.corruptChecksum ? 0x0101 : 0);
  message[2] = sum >> 8;
  message[3] = sum & 0xff;
  const payloadLength = message.length + (spec.payloadLengthDelta ?? 0);
  const ethertype = spec.ethertype ?? 0x86dd;
  return Uint8Array.from([
    ...(spec.ethDst ?? mac('33:33:00:00:00:02')),
    ...(spec.ethSrc ?? GUEST_MAC),
    ethertype >> 8,
    ethertype & 0xff,
    spec.versionByte ?? 0x60,
    0,
    0,
    0,
    payloadLength >> 8,
    payloadLength & 0xff,
    spec.nextHeader ?? 58,
    spec.hopLimit ?? 255,
    ...src,
    ...dst,
    ...message,
  ]);
}

export const body = {
  rs: (): number[] => [0, 0, 0, 0],
  ra: (flags = 0, curHopLimit = 64, lifetime = 1800): number[] => [
    curHopLimit,
    flags,
    lifetime >> 8,
    lifetime & 0xff,
    ...u32(0),
    ...u32(0),
  ],
  ns: (target: Bytes): number[] => [0, 0, 0, 0, ...target],
  na: (target: Bytes, flags = 0x60): number[] => [flags, 0, 0, 0, ...target],
};

/** Offsets at which two equally long arrays differ. */
export function changedOffsets(a: Uint8Array, b: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) offsets.push(i);
  return offsets;
}

export function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}
