import { type ByteMutation, byteMutation, isByteMutation, mutateBytes } from '@patchpanel/testbed';
import * as dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { type MdnsPassReason, type MdnsRewrite, rewriteMdnsAddresses } from '../../src/mdns';
import { encodeResponse, GUEST_TEXT, guestRecords, mdnsResponse } from './mdns-arbitraries';
import { avahiHttpResponse, changedOffsets, GUEST, UPSTREAM } from './mdns-captures';

const guest = Uint8Array.from(GUEST);
const upstream = Uint8Array.from(UPSTREAM);

type Decoded = dnsPacket.DecodedPacket;

/** `decoded` with the address of every A record that carried the guest address replaced by upstream's. */
function withUpstreamAddress(decoded: Decoded): Decoded {
  const replace = (records: dnsPacket.Answer[] | undefined) =>
    records?.map((r) => (r.type === 'A' && r.data === GUEST_TEXT ? { ...r, data: UPSTREAM.join('.') } : r));
  return {
    ...decoded,
    answers: replace(decoded.answers),
    authorities: replace(decoded.authorities),
    additionals: replace(decoded.additionals),
  };
}

test('round trip through dns-packet: only the A records with the guest address change', () => {
  fc.assert(
    fc.property(mdnsResponse, fc.boolean(), (response, compress) => {
      const input = encodeResponse(response, compress);
      const result = rewriteMdnsAddresses(input, guest, upstream);
      const expected = guestRecords(response);
      if (expected === 0) {
        expect(result).toEqual({ rewritten: false, reason: 'no-matching-a-record' });
        return;
      }
      if (!result.rewritten) throw new Error(`not rewritten: ${result.reason}`);
      expect(result.records).toBe(expected);
      const before = dnsPacket.decode(Buffer.from(input));
      expect(dnsPacket.decode(Buffer.from(result.datagram))).toEqual(withUpstreamAddress(before));
    }),
    { numRuns: 1_000 },
  );
});

type Mutation =
  | ByteMutation
  | { readonly kind: 'splice'; readonly cut: number; readonly other: Uint8Array; readonly from: number }
  | { readonly kind: 'counts'; readonly counts: readonly number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // The four byte mutations, each as likely as one of this format's own.
  { arbitrary: byteMutation, weight: 4 },
  fc
    .record({ cut: fc.nat(), other: fc.constant(avahiHttpResponse().build()), from: fc.nat() })
    .map((splice) => ({ kind: 'splice' as const, ...splice })),
  fc.array(fc.nat(6), { minLength: 4, maxLength: 4 }).map((counts) => ({ kind: 'counts' as const, counts })),
);

function mutate(datagram: Uint8Array, m: Mutation): Uint8Array {
  if (isByteMutation(m)) return mutateBytes(datagram, m);
  switch (m.kind) {
    case 'splice': {
      // The head of this message, then the tail of another one, so record boundaries no longer line up.
      const head = datagram.subarray(0, m.cut % (datagram.length + 1));
      return Uint8Array.from([...head, ...m.other.subarray(m.from % m.other.length)]);
    }
    case 'counts': {
      // QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT that no longer match the sections.
      const copy = datagram.slice();
      m.counts.forEach((count, i) => {
        if (copy.length >= 6 + 2 * i) copy.set([count >> 8, count & 0xff], 4 + 2 * i);
      });
      return copy;
    }
  }
}

type Case = { readonly datagram: Uint8Array; readonly expected: number | undefined };

const anyDatagram: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(mdnsResponse, fc.boolean(), mutation).map(([response, compress, m]) => ({
      datagram: mutate(encodeResponse(response, compress), m),
      expected: m.kind === 'none' ? guestRecords(response) : undefined,
    })),
  },
  fc.tuple(fc.constant(avahiHttpResponse().build()), mutation).map(([capture, m]) => ({
    datagram: mutate(capture, m),
    expected: m.kind === 'none' ? 1 : undefined,
  })),
  fc.uint8Array({ maxLength: 120 }).map((datagram) => ({ datagram, expected: undefined })),
);

const u16 = (bytes: Uint8Array, at: number): number => (bytes[at]! << 8) | bytes[at + 1]!;

/** True when `offset` is the RDATA of an A record as far as the fixed fields before it tell. */
function looksLikeARdata(input: Uint8Array, output: Uint8Array, offset: number): boolean {
  const window = (bytes: Uint8Array) => [...bytes.subarray(offset, offset + 4)].join('.');
  return (
    offset >= 22 &&
    u16(input, offset - 2) === 4 &&
    u16(input, offset - 10) === 1 &&
    window(input) === GUEST.join('.') &&
    window(output) === UPSTREAM.join('.')
  );
}

/** The changed offsets form `records` runs of 4 bytes, each the RDATA of an A record with the guest address. */
function changedOnlyInARdata(input: Uint8Array, output: Uint8Array, records: number): boolean {
  const changed = changedOffsets(input, output);
  if (changed.length !== records * 4) return false;
  for (let i = 0; i < changed.length; i += 4) {
    const start = changed[i]!;
    if (changed[i + 3] !== start + 3 || !looksLikeARdata(input, output, start)) return false;
  }
  return true;
}

function holds(input: Uint8Array, result: MdnsRewrite, expected: number | undefined): boolean {
  if (!result.rewritten)
    return expected === undefined || (expected === 0 && result.reason === 'no-matching-a-record');
  if (expected !== undefined && result.records !== expected) return false;
  return (
    result.datagram.length === input.length && changedOnlyInARdata(input, result.datagram, result.records)
  );
}

test('100 000 random and mutated datagrams: no throw, same length, changes only in A RDATA', () => {
  const outcomes = new Map<MdnsPassReason | 'rewritten', number>();
  const started = performance.now();
  fc.assert(
    fc.property(anyDatagram, ({ datagram, expected }) => {
      const before = datagram.slice();
      const result = rewriteMdnsAddresses(datagram, guest, upstream);
      const outcome = result.rewritten ? 'rewritten' : result.reason;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      return changedOffsets(before, datagram).length === 0 && holds(before, result, expected);
    }),
    { numRuns: 100_000 },
  );
  console.info(
    `mDNS rewrite property: ${Math.round(performance.now() - started)} ms`,
    Object.fromEntries(outcomes),
  );
  // The property says something only if many datagrams reach the rewrite and every outcome occurs.
  expect(outcomes.get('rewritten')).toBeGreaterThan(20_000);
  expect(outcomes.size).toBe(7);
});
