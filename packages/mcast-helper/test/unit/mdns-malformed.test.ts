import { rewriteMdnsAddresses } from '../../src/mdns';
import {
  CACHE_FLUSH,
  CLASS_IN,
  FLAGS_RESPONSE_AA,
  GUEST,
  guarded,
  HOST,
  MessageWriter,
  TYPE,
  UPSTREAM,
} from './mdns-captures';

// Every message here also carries a matching A record, so a lenient or half-done rewrite would show.

const guest = Uint8Array.from(GUEST);
const upstream = Uint8Array.from(UPSTREAM);

const pointerTo = (target: number): number[] => [0xc0 | (target >> 8), target & 0xff];
const label = (text: string): number[] => [text.length, ...Buffer.from(text)];
const labels = (count: number, length: number): number[] =>
  new Array<number[]>(count).fill(label('x'.repeat(length))).flat();

/** Everything of a matching A record after its name. */
const matchingAFields = (w: MessageWriter): MessageWriter =>
  w
    .u16(TYPE.A)
    .u16(CLASS_IN | CACHE_FLUSH)
    .u32(120)
    .u16(4)
    .raw(GUEST);

function expectPassed(input: Uint8Array, reason: string): void {
  const before = input.slice();
  expect(rewriteMdnsAddresses(guarded(input), guest, upstream)).toEqual({ rewritten: false, reason });
  expect(input).toEqual(before);
}

/** A response with a matching A answer, then a record whose name is `name(offset of the name)`. */
function recordNamed(name: (at: number) => number[]): Uint8Array {
  const w = new MessageWriter({ flags: FLAGS_RESPONSE_AA, answers: 2 }).a(HOST, GUEST);
  return matchingAFields(w.raw(name(w.offset))).build();
}

const recordNames: [string, (at: number) => number[]][] = [
  ['a forward pointer', (at) => pointerTo(at + 2)],
  ['a pointer to itself', (at) => pointerTo(at)],
  ['a pointer out of the message', () => pointerTo(0x3fff)],
  ['a pointer loop through a label', (at) => [...label('a'), ...pointerTo(at)]],
  ['a pointer to a malformed name (the header flags read as label type 0x80)', () => pointerTo(2)],
  ['an extended label type 0x40', () => [0x41, 0x61, 0]],
  ['the reserved label type 0x80', () => [0x81, 0x61, 0]],
  ['256 bytes on the wire', () => [...labels(3, 63), ...label('x'.repeat(62)), 0]],
];

describe('a malformed name in a record', () => {
  test.each(recordNames)('%s → malformed-record', (_, name) => {
    expectPassed(recordNamed(name), 'malformed-record');
  });

  test('controls: the same shapes, well-formed, are rewritten', () => {
    const valid = [() => pointerTo(12), () => [...labels(3, 63), ...label('x'.repeat(61)), 0]];
    for (const name of valid) {
      expect(rewriteMdnsAddresses(recordNamed(name), guest, upstream)).toMatchObject({ records: 2 });
    }
  });
});

/** A question with a 197-byte name, then a matching A whose name is a `length` label and a pointer to it. */
function pointerToLongName(length: number): Uint8Array {
  const w = new MessageWriter({ flags: FLAGS_RESPONSE_AA, questions: 1, answers: 1 });
  const question = w.offset;
  w.raw([...labels(4, 48), 0])
    .u16(TYPE.A)
    .u16(CLASS_IN);
  return matchingAFields(w.raw([...label('x'.repeat(length)), ...pointerTo(question)])).build();
}

test('the 255-byte limit counts the labels reached through a pointer', () => {
  expect(rewriteMdnsAddresses(pointerToLongName(57), guest, upstream)).toMatchObject({ records: 1 });
  expectPassed(pointerToLongName(58), 'malformed-record');
});

const response = (questions: number, answers: number) =>
  new MessageWriter({ flags: FLAGS_RESPONSE_AA, questions, answers });

describe('truncated or inconsistent sections', () => {
  test.each<[string, () => MessageWriter]>([
    ['cut in its type and class', () => response(1, 0).name(HOST).raw([0, 1, 0])],
    ['whose name runs past the end', () => response(1, 0).raw([7, ...Buffer.from('pengu')])],
    ['whose name has no root byte', () => response(1, 0).raw(label('penguin'))],
    [
      'with a forward pointer (to a root byte)',
      () =>
        response(1, 1)
          .raw([...pointerTo(14), 0, 1, 0, 1])
          .a(HOST, GUEST),
    ],
    ['counted but absent', () => response(2, 1).question(HOST, TYPE.A)],
    [
      'of a header that counts 65 535 questions',
      () => response(0xffff, 1).question(HOST, TYPE.A).a(HOST, GUEST),
    ],
  ])('a question %s → malformed-question', (_, build) => {
    expectPassed(build().build(), 'malformed-question');
  });

  test.each<[string, () => MessageWriter]>([
    [
      'cut in its fixed fields',
      () => response(0, 2).a(HOST, GUEST).name(HOST).raw([0, 1, 0, 1, 0, 0, 0, 120, 0]),
    ],
    [
      'with RDATA past the end',
      () => response(0, 2).a(HOST, GUEST).name(HOST).raw([0, 1, 0, 1, 0, 0, 0, 120, 0, 4, 1, 2, 3]),
    ],
    [
      'whose TXT RDLENGTH runs 1 byte past the end',
      () => response(0, 2).a(HOST, GUEST).name(HOST).raw([0, 16, 0, 1, 0, 0, 0, 120, 0, 3, 2, 0x61]),
    ],
    ['counted but absent', () => response(0, 2).a(HOST, GUEST)],
    ['whose name is a pointer cut after its first byte', () => response(0, 2).a(HOST, GUEST).raw([0xc0])],
  ])('a record %s → malformed-record', (_, build) => {
    expectPassed(build().build(), 'malformed-record');
  });

  test('a malformed additional record after matching answers: the whole message passes', () => {
    const w = new MessageWriter({ flags: FLAGS_RESPONSE_AA, answers: 2, additionals: 1 })
      .a(HOST, GUEST)
      .a(HOST, GUEST);
    expectPassed(matchingAFields(w.raw([0x41, 0])).build(), 'malformed-record');
  });
});
