import * as dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { encodeCompressed, GUEST, type MdnsAnswer, type MdnsResponse, OTHER_HOST } from './mdns-captures';

export const GUEST_TEXT = GUEST.join('.');

const labelText = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ '),
  minLength: 1,
  maxLength: 63,
});

/** Names of 1 to 3 labels, often under `local`, so compression finds shared suffixes. */
const name: fc.Arbitrary<string> = fc
  .tuple(fc.array(labelText, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([labels, local]) => [...labels, ...(local ? ['local'] : [])].join('.'));

const ipv4 = fc.oneof(
  { weight: 3, arbitrary: fc.constant(GUEST_TEXT) },
  { weight: 1, arbitrary: fc.constant(OTHER_HOST.join('.')) },
  { weight: 1, arbitrary: fc.ipV4() },
);

const ipv6 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .map((groups) => groups.map((g) => g.toString(16)).join(':'));

const common = { name, ttl: fc.nat(), flush: fc.boolean() };

const answer: fc.Arbitrary<MdnsAnswer> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ ...common, type: fc.constant('A' as const), data: ipv4 }) },
  fc.record({ ...common, type: fc.constant('AAAA' as const), data: ipv6 }),
  fc.record({ ...common, type: fc.constant('PTR' as const), data: name }),
  fc.record({
    ...common,
    type: fc.constant('SRV' as const),
    data: fc.record({ port: fc.nat(0xffff), target: name, priority: fc.nat(0xffff), weight: fc.nat(0xffff) }),
  }),
  fc.record({
    ...common,
    type: fc.constant('TXT' as const),
    data: fc.array(
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
      { maxLength: 3 },
    ),
  }),
);

const section = fc.array(answer, { maxLength: 4 });

/** Valid mDNS responses (AA bit, NOERROR), sometimes with questions as in a legacy unicast response. */
export const mdnsResponse: fc.Arbitrary<MdnsResponse> = fc.record({
  id: fc.nat(0xffff),
  flags: fc.constant(dnsPacket.AUTHORITATIVE_ANSWER),
  questions: fc.array(fc.record({ name, type: fc.constantFrom('A' as const, 'PTR' as const) }), {
    maxLength: 2,
  }),
  answers: section,
  authorities: section,
  additionals: section,
});

/** `response` on the wire, either as dns-packet writes it (no compression) or compressed as responders do. */
export function encodeResponse(response: MdnsResponse, compress: boolean): Uint8Array {
  if (compress) return encodeCompressed({ ...response, flags: response.flags | 0x8000 });
  return Uint8Array.from(
    dnsPacket.encode({
      type: 'response',
      id: response.id,
      flags: response.flags,
      questions: [...response.questions],
      answers: [...response.answers],
      authorities: [...response.authorities],
      additionals: [...response.additionals],
    }),
  );
}

/** How many A records of `response` carry the guest address. */
export function guestRecords(response: MdnsResponse): number {
  const records = [...response.answers, ...response.authorities, ...response.additionals];
  return records.filter((r) => r.type === 'A' && r.data === GUEST_TEXT).length;
}
