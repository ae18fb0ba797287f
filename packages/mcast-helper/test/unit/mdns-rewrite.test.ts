import * as dnsPacket from 'dns-packet';
import type { McastError } from '../../src/errors';
import { rewriteMdnsAddresses } from '../../src/mdns';
import {
  avahiHttpResponse,
  CACHE_FLUSH,
  CLASS_IN,
  changedOffsets,
  FLAGS_QUERY,
  FLAGS_RESPONSE_AA,
  GUEST,
  type HeaderSpec,
  HOST,
  INSTANCE,
  MessageWriter,
  OTHER_HOST,
  range,
  SERVICE,
  TYPE,
  UPSTREAM,
} from './mdns-captures';

const guest = Uint8Array.from(GUEST);
const upstream = Uint8Array.from(UPSTREAM);

/** Rewrites and checks the invariants of every call: the input is untouched and the output keeps its length. */
function rewrite(input: Uint8Array) {
  const before = input.slice();
  const result = rewriteMdnsAddresses(input, guest, upstream);
  expect(input).toEqual(before);
  if (result.rewritten) {
    expect(result.datagram).not.toBe(input);
    expect(result.datagram.length).toBe(input.length);
  }
  return result;
}

function rewritten(input: Uint8Array): { datagram: Uint8Array; records: number } {
  const result = rewrite(input);
  if (!result.rewritten) throw new Error(`not rewritten: ${result.reason}`);
  return result;
}

/** The offsets an A rewrite may change: the RDATA of the given A records. */
const windows = (...rdata: number[]): number[] => rdata.flatMap((offset) => range(offset, 4));

describe('a captured-style avahi response', () => {
  test('only the RDATA of the A record changes, not the same bytes in the TXT record', () => {
    const capture = avahiHttpResponse();
    const input = capture.build();
    const { datagram, records } = rewritten(input);
    expect(records).toBe(1);
    expect(changedOffsets(input, datagram)).toEqual(windows(capture.aRdata[0]!));
    expect([...datagram.subarray(capture.aRdata[0]!, capture.aRdata[0]! + 4)]).toEqual(UPSTREAM);
  });

  test('dns-packet reads input and output as the same message but for the A address', () => {
    const input = avahiHttpResponse().build();
    const before = dnsPacket.decode(Buffer.from(input));
    const after = dnsPacket.decode(Buffer.from(rewritten(input).datagram));
    // The fixture really is compressed: dns-packet, which never compresses, needs more bytes for it.
    expect(dnsPacket.encode(before).length).toBeGreaterThan(input.length + 40);
    expect(before.answers).toEqual([expect.objectContaining({ type: 'PTR', name: SERVICE, data: INSTANCE })]);
    expect(before.additionals?.map((r) => [r.type, r.name])).toEqual([
      ['SRV', INSTANCE],
      ['TXT', INSTANCE],
      ['A', HOST],
      ['AAAA', HOST],
      ['NSEC', HOST],
      ['NSEC', INSTANCE],
    ]);
    expect(before.additionals?.[0]).toMatchObject({ flush: true, data: { port: 8080, target: HOST } });
    expect(before.additionals?.[2]).toMatchObject({ flush: true, data: '100.115.92.194' });
    expect(before.additionals?.[4]).toMatchObject({ data: { nextDomain: HOST, rrtypes: ['A', 'AAAA'] } });
    const expected = structuredClone(before);
    expected.additionals![2] = { ...before.additionals![2]!, data: '192.168.1.23' } as dnsPacket.Answer;
    expect(after).toEqual(expected);
  });

  test('the same response for another host address passes unchanged', () => {
    expect(rewrite(avahiHttpResponse(OTHER_HOST).build())).toEqual({
      rewritten: false,
      reason: 'no-matching-a-record',
    });
  });

  test('a Buffer from a socket is copied, not modified through a view', () => {
    const input = Buffer.from(avahiHttpResponse().build());
    const { datagram } = rewritten(input);
    expect(datagram.buffer).not.toBe(input.buffer);
  });
});

const response = (header: Omit<HeaderSpec, 'flags'> = {}) =>
  new MessageWriter({ flags: FLAGS_RESPONSE_AA, ...header });

describe('A records that are rewritten', () => {
  test('every matching A record of the answer, authority and additional sections, none other', () => {
    const w = response({ answers: 2, authorities: 1, additionals: 2 })
      .a(HOST, GUEST)
      .a('other.local', OTHER_HOST)
      .a(HOST, GUEST, CLASS_IN)
      .record(HOST, TYPE.AAAA, CLASS_IN | CACHE_FLUSH, 120, (r) =>
        r.raw([...GUEST, ...GUEST, ...GUEST, ...GUEST]),
      )
      .a('penguin-2.local', GUEST);
    const input = w.build();
    const { datagram, records } = rewritten(input);
    expect(records).toBe(3);
    expect(changedOffsets(input, datagram)).toEqual(windows(w.aRdata[0]!, w.aRdata[2]!, w.aRdata[3]!));
  });

  test.each([
    ['IN', CLASS_IN],
    ['IN with cache-flush', CLASS_IN | CACHE_FLUSH],
    ['ANY', 255],
    ['class 0', 0],
  ])('whatever the class (%s)', (_, klass) => {
    const w = response({ answers: 1 }).a(HOST, GUEST, klass);
    expect(changedOffsets(w.build(), rewritten(w.build()).datagram)).toEqual(windows(w.aRdata[0]!));
  });

  test('not a type-A record whose RDLENGTH is not 4, even when it starts with the guest address', () => {
    const input = response({ answers: 1 })
      .record(HOST, TYPE.A, CLASS_IN, 120, (r) => r.raw([...GUEST, ...GUEST]))
      .build();
    expect(rewrite(input)).toEqual({ rewritten: false, reason: 'no-matching-a-record' });
  });

  test('after the questions of a legacy unicast response, with the A name pointing into the question', () => {
    const w = response({ questions: 2, answers: 1 }).question(HOST, TYPE.A).question(SERVICE, TYPE.PTR);
    const input = w.a(HOST, GUEST).build();
    expect(input[w.aRdata[0]! - 12]).toBe(0xc0);
    expect(changedOffsets(input, rewritten(input).datagram)).toEqual(windows(w.aRdata[0]!));
  });

  test('in a response over 512 bytes (1400 bytes of TXT before the A record)', () => {
    const txt = Array.from({ length: 7 }, (_, i) => [
      199,
      ...Buffer.from('k='.padEnd(199, String(i))),
    ]).flat();
    const w = response({ answers: 2 }).record(INSTANCE, TYPE.TXT, CLASS_IN, 4500, (r) => r.raw(txt));
    const input = w.a(HOST, GUEST).build();
    expect(input.length).toBeGreaterThan(1400);
    expect(changedOffsets(input, rewritten(input).datagram)).toEqual(windows(w.aRdata[0]!));
  });

  test('at the end of a 65 535-byte datagram, past the reach of compression pointers', () => {
    const strings = Array.from({ length: 31 }, () => [254, ...new Array<number>(254).fill(0x61)]).flat();
    const w = response({ additionals: 9 });
    for (let i = 0; i < 8; i++) w.record(`${i}.${INSTANCE}`, TYPE.TXT, CLASS_IN, 4500, (r) => r.raw(strings));
    w.a(HOST, GUEST);
    w.raw(new Array<number>(65_535 - w.offset).fill(0));
    const input = w.build();
    expect(input.length).toBe(65_535);
    expect(w.aRdata[0]).toBeGreaterThan(0x3fff);
    expect(changedOffsets(input, rewritten(input).datagram)).toEqual(windows(w.aRdata[0]!));
  });

  test('bytes after the last counted record are kept as they are', () => {
    const w = response({ answers: 1 })
      .a(HOST, GUEST)
      .raw([0xc0, 0xff, ...GUEST, 0x40]);
    const { datagram } = rewritten(w.build());
    expect([...datagram.subarray(-7)]).toEqual([0xc0, 0xff, ...GUEST, 0x40]);
  });

  test('with RDATA that ends exactly at the end of the message', () => {
    const w = response({ answers: 1 }).a(HOST, GUEST);
    expect(w.aRdata[0]! + 4).toBe(w.offset);
    expect(rewritten(w.build()).records).toBe(1);
  });
});

describe('datagrams that pass unchanged', () => {
  test('a query, even one carrying a matching A record (known answer)', () => {
    const input = new MessageWriter({ flags: FLAGS_QUERY, questions: 1, answers: 1 })
      .question(HOST, TYPE.A)
      .a(HOST, GUEST)
      .build();
    expect(rewrite(input)).toEqual({ rewritten: false, reason: 'not-a-response' });
  });

  test.each([1, 2, 3, 5, 15])('a response with RCODE %i', (rcode) => {
    const input = new MessageWriter({ flags: FLAGS_RESPONSE_AA | rcode, answers: 1 }).a(HOST, GUEST).build();
    expect(rewrite(input)).toEqual({ rewritten: false, reason: 'error-rcode' });
  });

  test.each([0, 1, 11])('a %i-byte datagram', (length) => {
    const input = avahiHttpResponse().build().subarray(0, length);
    expect(rewrite(input)).toEqual({ rewritten: false, reason: 'truncated-header' });
  });

  test('a response without records', () => {
    expect(rewrite(response().build())).toEqual({ rewritten: false, reason: 'no-matching-a-record' });
  });
});

test.each([
  ['the guest', Uint8Array.from([100, 115, 92]), upstream],
  ['the upstream', guest, new Uint8Array(16)],
])('%s address that is not 4 bytes is a caller bug: PP_ERR_MCAST_INVALID_ARGUMENT', (_, g, u) => {
  const call = () => rewriteMdnsAddresses(avahiHttpResponse().build(), g, u);
  expect(call).toThrow(
    expect.objectContaining<Partial<McastError>>({ code: 'PP_ERR_MCAST_INVALID_ARGUMENT' }),
  );
});
