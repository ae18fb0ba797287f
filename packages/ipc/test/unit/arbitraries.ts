import fc from 'fast-check';
import { type Envelope, encodeFrame, FRAME_HEADER_BYTES } from '../../src';
import { concat, frameOf } from './fixtures';

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const uint32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const name = fc.string({ unit: 'grapheme', maxLength: 16 });

/** Any valid envelope: every case, optional fields present or not. */
export const envelope: fc.Arbitrary<Envelope> = fc.oneof(
  fc
    .record(
      {
        type: fc.integer({ min: 0, max: 4 }),
        event: fc.integer({ min: 0, max: 2 }),
        arcPid: int32,
        arcvmVsockCid: int32,
      },
      { requiredKeys: ['type', 'event'] },
    )
    .map((guestMessage) => ({ guestMessage })),
  fc
    .record({ devIfname: name, brIfname: name, teardown: fc.boolean() }, { requiredKeys: ['devIfname'] })
    .map((deviceMessage) => ({ deviceMessage })),
  fc
    .record(
      { type: fc.integer({ min: 0, max: 3 }), ifname: name, ip6addr: name },
      { requiredKeys: ['type', 'ifname'] },
    )
    .map((ndproxyMessage) => ({ ndproxyMessage })),
  fc
    .record({ helper: fc.integer({ min: 0, max: 3 }), pid: int32, protocolVersion: uint32 })
    .map((helperReadyMessage) => ({ helperReadyMessage })),
  fc
    .record({ phase: fc.integer({ min: 0, max: 2 }), messageCount: uint32 }, { requiredKeys: ['phase'] })
    .map((stateReplayMessage) => ({ stateReplayMessage })),
);

/** Cuts `bytes` at the given positions (taken modulo its length), giving the chunks a socket might deliver. */
export function cut(bytes: Uint8Array, positions: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(from, to));
    from = to;
  }
  return chunks;
}

function header(length: number): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_BYTES);
  new DataView(bytes.buffer).setUint32(0, length);
  return bytes;
}

/**
 * A piece of a hostile stream: a valid frame, random bytes inside a valid length prefix, a bare length prefix
 * (anything up to 2^32 - 1), or raw random bytes. Valid frames dominate so decoding gets deep into streams.
 */
const piece: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: envelope.map(frameOf) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }).map((payload) => encodeFrame(payload)) },
  { weight: 1, arbitrary: uint32.map(header) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }) },
);

/** A random byte stream as the chunks it arrives in; sometimes cut short, as by a peer dying mid-write. */
export const hostileStream: fc.Arbitrary<Uint8Array[]> = fc
  .tuple(fc.array(piece, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), fc.option(fc.nat()))
  .map(([pieces, positions, shortBy]) => {
    const whole = concat(pieces);
    const kept = whole.subarray(0, whole.length - ((shortBy ?? 0) % (whole.length + 1)));
    return cut(kept, positions);
  });
