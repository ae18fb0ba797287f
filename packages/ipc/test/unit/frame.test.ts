import {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  FRAME_HEADER_BYTES,
  FrameDecoder,
  FrameTooLargeError,
  InvalidOptionError,
} from '../../src';
import { concat } from './fixtures';

function drain(decoder: FrameDecoder): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let frame = decoder.next(); frame !== undefined; frame = decoder.next()) {
    frames.push(frame);
  }
  return frames;
}

function decodeChunks(chunks: readonly Uint8Array[], maxFrameBytes?: number): number[][] {
  const decoder = new FrameDecoder(maxFrameBytes);
  const frames: Uint8Array[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    frames.push(...drain(decoder));
  }
  expect(decoder.midFrame).toBe(false);
  return frames.map((f) => [...f]);
}

const payloads = [
  Uint8Array.of(),
  Uint8Array.of(1),
  Uint8Array.of(2, 3, 4, 5, 6),
  new Uint8Array(300).fill(7),
];
const stream = concat(payloads.map((p) => encodeFrame(p)));
const expectedPayloads = payloads.map((p) => [...p]);

describe('encodeFrame', () => {
  test('writes a 4-byte big-endian length, then the payload', () => {
    expect([...encodeFrame(Uint8Array.of(9, 8, 7))]).toEqual([0, 0, 0, 3, 9, 8, 7]);
    expect([...encodeFrame(new Uint8Array(0x0102)).subarray(0, FRAME_HEADER_BYTES)]).toEqual([0, 0, 1, 2]);
  });

  test('refuses a payload over the maximum', () => {
    expect(() => encodeFrame(new Uint8Array(11), 10)).toThrow(FrameTooLargeError);
    expect(encodeFrame(new Uint8Array(10), 10)).toHaveLength(14);
  });
});

describe('FrameDecoder', () => {
  test('one coalesced chunk gives every frame, in order', () => {
    expect(decodeChunks([stream])).toEqual(expectedPayloads);
  });

  test('split at every byte position gives the same frames', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(decodeChunks([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expectedPayloads);
    }
  });

  test('one byte at a time gives the same frames', () => {
    const bytes = [...stream].map((b) => Uint8Array.of(b));
    expect(decodeChunks(bytes)).toEqual(expectedPayloads);
  });

  test('a payload inside one chunk is a view, not a copy', () => {
    const decoder = new FrameDecoder();
    decoder.push(stream);
    decoder.next();
    expect(decoder.next()!.buffer).toBe(stream.buffer);
  });

  test('reports an unfinished frame', () => {
    const decoder = new FrameDecoder();
    decoder.push(stream.subarray(0, 2));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.midFrame).toBe(true);
    decoder.push(stream.subarray(2, FRAME_HEADER_BYTES + 1));
    drain(decoder);
    expect(decoder.midFrame).toBe(true);
  });

  test('an impossible length fails at once, for good, keeping the frames before it', () => {
    const decoder = new FrameDecoder(1000);
    decoder.push(concat([encodeFrame(Uint8Array.of(1)), Uint8Array.of(0, 0, 0x03, 0xe9)]));
    expect([...decoder.next()!]).toEqual([1]);
    expect(() => decoder.next()).toThrow(FrameTooLargeError);
    decoder.push(encodeFrame(Uint8Array.of(2)));
    expect(() => decoder.next()).toThrow(
      expect.objectContaining({ code: 'PP_ERR_IPC_FRAME_TOO_LARGE', length: 1001 }),
    );
  });

  test('a frame of exactly the maximum passes', () => {
    expect(
      decodeChunks([encodeFrame(new Uint8Array(DEFAULT_MAX_FRAME_BYTES), DEFAULT_MAX_FRAME_BYTES)]),
    ).toHaveLength(1);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 32])('refuses maxFrameBytes %p', (max) => {
    expect(() => new FrameDecoder(max)).toThrow(InvalidOptionError);
  });

  test('is linear in the number of chunks (64 KiB frame fed byte by byte)', () => {
    const big = encodeFrame(new Uint8Array(DEFAULT_MAX_FRAME_BYTES).fill(5));
    const started = performance.now();
    const decoder = new FrameDecoder();
    for (let i = 0; i < big.length; i++) {
      decoder.push(big.subarray(i, i + 1));
    }
    const frame = decoder.next();
    expect(frame).toHaveLength(DEFAULT_MAX_FRAME_BYTES);
    // A generous bound: quadratic consumption of 65 540 chunks would take many seconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
