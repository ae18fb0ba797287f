import fc from 'fast-check';
import { DnsMalformedError, InvalidArgumentError } from '../../src/errors';
import { DNS_TYPES, decodeMessage, encodeQuery } from '../../src/mdns/codec';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

// What avahi-daemon 0.8 sent back to a legacy unicast query for pp-lan.local A from this bed.
const AVAHI_ANSWER =
  '1234840000010001000000000670702d6c616e056c6f63616c0000010001c00c000100010000000a0004c6336401';

describe('DNS query encoding', () => {
  test('matches the wire bytes of a one-question query', () => {
    const query = encodeQuery(0x1234, [{ name: 'pp-lan.local', type: DNS_TYPES.A, unicastResponse: false }]);
    expect(hex(query)).toBe('123400000001000000000000' + '0670702d6c616e056c6f63616c00' + '00010001');
  });

  test('sets the QU bit in the class when asked', () => {
    const query = encodeQuery(1, [{ name: 'x.local.', type: DNS_TYPES.AAAA, unicastResponse: true }]);
    expect(hex(query).endsWith('0178056c6f63616c00001c8001')).toBe(true);
  });

  test('refuses empty or oversized labels', () => {
    expect(() => encodeQuery(1, [{ name: 'a..local', type: 1, unicastResponse: false }])).toThrow(
      InvalidArgumentError,
    );
    const long = `${'a'.repeat(64)}.local`;
    expect(() => encodeQuery(1, [{ name: long, type: 1, unicastResponse: false }])).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('DNS message decoding', () => {
  test('reads a real avahi answer, following the name pointer', () => {
    const message = decodeMessage(bytes(AVAHI_ANSWER));
    expect(message.id).toBe(0x1234);
    expect(message.flags).toBe(0x8400);
    expect(message.questions).toEqual([{ name: 'pp-lan.local', type: 1, unicastResponse: false }]);
    expect(message.answers).toEqual([
      {
        name: 'pp-lan.local',
        type: 1,
        classCode: 1,
        cacheFlush: false,
        ttl: 10,
        data: { kind: 'A', address: '198.51.100.1' },
      },
    ]);
  });

  test('reads AAAA, PTR, SRV and TXT data', () => {
    const rr = (type: number, rdata: string): string =>
      `c00c${type.toString(16).padStart(4, '0')}800100000078${(rdata.length / 2).toString(16).padStart(4, '0')}${rdata}`;
    const question = '0170056c6f63616c00' + '000c0001'; // p.local PTR IN, the name at offset 12
    const message = decodeMessage(
      bytes(
        `000084000001000400000000${question}` +
          rr(28, '20010db8000100000000000000000001') +
          rr(12, 'c00c') +
          rr(33, '000a00051f90c00c') +
          rr(16, '03613d31000162'),
      ),
    );
    const data = message.answers.map((a) => a.data);
    expect(data).toEqual([
      { kind: 'AAAA', address: '2001:db8:1::1' },
      { kind: 'PTR', target: 'p.local' },
      { kind: 'SRV', priority: 10, weight: 5, port: 8080, target: 'p.local' },
      { kind: 'TXT', entries: ['a=1', 'b'] },
    ]);
    expect(message.answers.every((a) => a.cacheFlush && a.ttl === 120)).toBe(true);
  });

  test('rejects pointer loops and truncation with a coded error', () => {
    expect(() => decodeMessage(bytes('000000000001000000000000c00c00010001'))).toThrow(DnsMalformedError);
    expect(() => decodeMessage(bytes(AVAHI_ANSWER.slice(0, -4)))).toThrow(DnsMalformedError);
    expect(() => decodeMessage(bytes('0000'))).toThrow(DnsMalformedError);
  });

  test('never throws anything but DnsMalformedError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        try {
          decodeMessage(input);
        } catch (err) {
          expect(err).toBeInstanceOf(DnsMalformedError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('decodes the questions of any encoded query', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    const question = fc.record({
      name: fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.')),
      type: fc.integer({ min: 0, max: 0xffff }),
      unicastResponse: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(question, { maxLength: 4 }),
        (id, questions) => {
          const message = decodeMessage(encodeQuery(id, questions));
          expect(message.id).toBe(id);
          expect(message.questions).toEqual(questions);
        },
      ),
    );
  });
});
