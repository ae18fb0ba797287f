import fc from 'fast-check';
import { findARecordAddresses, readDnsHeader } from '../../src/mdns/dns-walk';
import { MAX_POINTER_JUMPS, skipName } from '../../src/mdns/name';
import { avahiHttpResponse, guarded } from './mdns-captures';

const label = (text: string): number[] => [text.length, ...Buffer.from(text)];
const pointerTo = (target: number): number[] => [0xc0 | (target >> 8), target & 0xff];

/** `count` pointers in a row after the name `a.`, each pointing at the one before it (the first at the name). */
function pointerChain(count: number): { message: Uint8Array; last: number } {
  const bytes = [...label('a'), 0];
  for (let i = 0; i < count; i++) bytes.push(...pointerTo(i === 0 ? 0 : bytes.length - 2));
  return { message: Uint8Array.from(bytes), last: bytes.length - 2 };
}

describe('skipName', () => {
  test('ends after the root byte, or after the first pointer', () => {
    const message = Uint8Array.from([...label('local'), 0, ...label('penguin'), ...pointerTo(0), 0xff]);
    expect(skipName(message, 0)).toBe(7);
    expect(skipName(message, 7)).toBe(17);
    expect(skipName(message, 6)).toBe(7);
  });

  test(`follows a chain of ${MAX_POINTER_JUMPS} pointers, not one more`, () => {
    const accepted = pointerChain(MAX_POINTER_JUMPS);
    expect(skipName(accepted.message, accepted.last)).toBe(accepted.last + 2);
    const refused = pointerChain(MAX_POINTER_JUMPS + 1);
    expect(skipName(refused.message, refused.last)).toBeUndefined();
  });

  test('accepts 255 bytes on the wire, not 256', () => {
    const long = (last: number) =>
      Uint8Array.from([...[63, 63, 63, last].flatMap((n) => label('x'.repeat(n))), 0]);
    expect(skipName(long(61), 0)).toBe(255);
    expect(skipName(long(62), 0)).toBeUndefined();
  });

  test('never reads past the end of random or truncated bytes', () => {
    const valid = [...label('Penguin Web'), ...label('_http'), 0, ...label('x'), ...pointerTo(0)];
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.nat(valid.length).map((n) => Uint8Array.from(valid.slice(0, n))),
    );
    fc.assert(
      fc.property(bytes, fc.nat(40), (message, start) => {
        skipName(guarded(message), start % (message.length + 1));
      }),
      { numRuns: 5_000 },
    );
  });
});

test('the message walk never reads past the end of a response with random sections', () => {
  const response = fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 80 }))
    .map(([questions, records, body]) =>
      Uint8Array.from([0, 0, 0x84, 0, 0, questions, 0, records, 0, 0, 0, 0, ...body]),
    );
  fc.assert(
    fc.property(response, (message) => {
      const header = readDnsHeader(message)!;
      findARecordAddresses(guarded(message), header);
    }),
    { numRuns: 5_000 },
  );
});

test('the message walk never reads past the end of any prefix of the capture', () => {
  const capture = avahiHttpResponse().build();
  for (let length = 12; length <= capture.length; length++) {
    const prefix = capture.slice(0, length);
    expect(findARecordAddresses(guarded(prefix), readDnsHeader(prefix)!).ok).toBe(length === capture.length);
  }
});
