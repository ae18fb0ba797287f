import { type ByteMutation, byteMutation, isByteMutation, mutateBytes } from '@patchpanel/testbed';
import fc from 'fast-check';
import {
  type BroadcastRejectReason,
  egressDecision,
  ingressCopy,
  isOwnIngress,
  parseBroadcastPacket,
} from '../../src/broadcast';
import {
  buildPacket,
  headerSum,
  LAN_BROADCAST,
  LIMITED,
  onesComplementSum,
  udpSum,
} from './broadcast-packets';

const directedBroadcast = 0xc0a801ff; // 192.168.1.255, LAN_BROADCAST
const bytesOf = (length: number): fc.Arbitrary<number[]> =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => [...bytes]);
const port = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1024, max: 65535 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1023 }) },
);

type Case = { readonly packet: Uint8Array; readonly mustParse: boolean };

/** A well-formed broadcast (random addresses, ports, options, payload, trailer and padding), forwardable unless
 * a port is below 1024. */
const validPacket: fc.Arbitrary<Case> = fc
  .record({
    source: bytesOf(4),
    destination: fc.constantFrom(LIMITED, LAN_BROADCAST),
    sourcePort: port,
    destinationPort: port,
    payload: fc.uint8Array({ maxLength: 300 }).map((bytes) => [...bytes]),
    options: fc.integer({ min: 0, max: 10 }).chain((words) => bytesOf(words * 4)),
    ttl: fc.integer({ min: 0, max: 255 }),
    identification: fc.integer({ min: 0, max: 0xffff }),
    flagsFragment: fc.constantFrom(0, 0x4000),
    udpChecksum: fc.oneof(fc.constant('compute' as const), fc.constant('none' as const), fc.nat(0xffff)),
    trailer: fc.uint8Array({ maxLength: 8 }).map((bytes) => [...bytes]),
    padding: fc.uint8Array({ maxLength: 24 }).map((bytes) => [...bytes]),
  })
  .map((spec) => ({
    packet: buildPacket(spec),
    mustParse: spec.sourcePort >= 1024 && spec.destinationPort >= 1024,
  }));

type Mutation =
  | ByteMutation
  | { readonly kind: 'lie'; readonly field: 'total' | 'udp'; readonly value: number; readonly fix: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // The four byte mutations, each as likely as one of this format's own.
  { arbitrary: byteMutation, weight: 4 },
  fc
    .record({
      field: fc.constantFrom('total' as const, 'udp' as const),
      value: fc.oneof(fc.nat(0xffff), fc.nat(80)),
      fix: fc.boolean(),
    })
    .map((lie) => ({ kind: 'lie' as const, ...lie })),
);

/** Rewrites the header checksum, so that a lie in a length field reaches the checks behind it. */
function fixHeaderChecksum(bytes: Uint8Array): void {
  const headerLength = (bytes[0]! & 0x0f) * 4;
  if (headerLength > bytes.length) return;
  bytes[10] = 0;
  bytes[11] = 0;
  const checksum = ~onesComplementSum([...bytes.subarray(0, headerLength)]) & 0xffff;
  bytes[10] = checksum >> 8;
  bytes[11] = checksum & 0xff;
}

function lie(packet: Uint8Array, field: 'total' | 'udp', value: number, fix: boolean): Uint8Array {
  const copy = packet.slice();
  const at = field === 'total' ? 2 : (copy[0]! & 0x0f) * 4 + 4;
  copy[at] = value >> 8;
  copy[at + 1] = value & 0xff;
  if (fix) fixHeaderChecksum(copy);
  return copy;
}

function mutate(packet: Uint8Array, m: Mutation): Uint8Array {
  return isByteMutation(m) ? mutateBytes(packet, m) : lie(packet, m.field, m.value, m.fix);
}

/** Places the packet as a view in the middle of a larger buffer, so a read past its end would show. */
function embedded(packet: Uint8Array, before: number, after: number): Uint8Array {
  const buffer = new Uint8Array(before + packet.length + after).fill(0xff);
  buffer.set(packet, before);
  return buffer.subarray(before, before + packet.length);
}

const anyPacket: fc.Arbitrary<Case> = fc
  .tuple(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(validPacket, mutation).map(([valid, m]) => ({
          packet: mutate(valid.packet, m),
          mustParse: valid.mustParse && m.kind === 'none',
        })),
      },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 80 }).map((packet) => ({ packet, mustParse: false })),
      },
    ),
    fc.nat(8),
    fc.nat(8),
  )
  .map(([c, before, after]) => ({ ...c, packet: embedded(c.packet, before, after) }));

function checkAccepted(input: Uint8Array, bridgeBroadcast: number): boolean {
  const result = parseBroadcastPacket(input, { directedBroadcast });
  if (!result.ok) return false;
  const { packet } = result;
  const { payload } = packet;
  const inside =
    payload.buffer === input.buffer &&
    payload.byteOffset >= input.byteOffset + 28 &&
    payload.byteOffset + payload.length <= input.byteOffset + input.length;
  const totalLength = input[2]! * 256 + input[3]!;
  const copy = ingressCopy(packet, bridgeBroadcast);
  const noUdpChecksum = copy[packet.headerLength + 6] === 0 && copy[packet.headerLength + 7] === 0;
  const originalHadNone = packet.segment[6] === 0 && packet.segment[7] === 0;
  const checksumsValid =
    headerSum(copy) === 0xffff && (noUdpChecksum ? originalHadNone : udpSum(copy) === 0xffff);
  const reparsed = parseBroadcastPacket(copy, { directedBroadcast: bridgeBroadcast });
  // A guest on the same /31 as the source: the egress payload is the parsed payload itself.
  const egress = egressDecision(packet, { address: (packet.source ^ 1) >>> 0, prefixLength: 31 });
  const egressSent = egress.send && egress.payload === payload && isOwnIngress(packet, packet.source);
  return inside && copy.length === totalLength && checksumsValid && reparsed.ok && egressSent;
}

test('100 000 random and mutated packets: no throw, views inside the input, every ingress copy valid', () => {
  let accepted = 0;
  const rejected = new Map<BroadcastRejectReason, number>();
  fc.assert(
    fc.property(anyPacket, fc.nat(0xffffffff), ({ packet, mustParse }, bridgeBroadcast) => {
      const result = parseBroadcastPacket(packet, { directedBroadcast });
      if (!result.ok) {
        rejected.set(result.reason, (rejected.get(result.reason) ?? 0) + 1);
        return !mustParse;
      }
      accepted++;
      return checkAccepted(packet, bridgeBroadcast);
    }),
    { numRuns: 100_000 },
  );
  // The property says something only if a good share of packets reaches the copy and every reason occurs.
  expect(accepted).toBeGreaterThan(25_000);
  expect(rejected.size).toBe(14);
});
