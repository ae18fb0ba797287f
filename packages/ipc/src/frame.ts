// Length-prefixed framing: a 4-byte big-endian payload length, then the payload. Pure, no I/O.
import { FrameTooLargeError, InvalidOptionError } from './errors';

export const FRAME_HEADER_BYTES = 4;
/** Default ceiling on a payload; the largest message of the protocol is a few hundred bytes. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
/** The header is an unsigned 32-bit length. */
const HEADER_LIMIT = 0xffff_ffff;
/** Consumed chunks are dropped in batches (at least half the queue), so consuming stays O(1) amortised. */
const COMPACT_AFTER = 64;

/** Checks a configured maximum payload size and returns it. */
export function checkMaxFrameBytes(maxFrameBytes: number): number {
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > HEADER_LIMIT) {
    throw new InvalidOptionError(
      `maxFrameBytes must be an integer in 0..${HEADER_LIMIT}, got ${maxFrameBytes}`,
    );
  }
  return maxFrameBytes;
}

/** One frame carrying `payload`. Throws FrameTooLargeError if the payload exceeds `maxFrameBytes`. */
export function encodeFrame(payload: Uint8Array, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Uint8Array {
  if (payload.length > maxFrameBytes) {
    throw new FrameTooLargeError(payload.length, maxFrameBytes);
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  new DataView(frame.buffer).setUint32(0, payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Reassembles frames from a byte stream cut anywhere. `push` the chunks as they arrive, then call `next` until
 * it returns undefined. A payload that lies inside one chunk is returned as a view into it (no copy); one that
 * spans chunks is copied once. So pushed chunks must not be modified afterwards.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  private chunks: Uint8Array[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** Payload length of the frame being read, or -1 while its header is incomplete. */
  private payloadBytes = -1;
  private failure: FrameTooLargeError | undefined;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrameBytes = checkMaxFrameBytes(maxFrameBytes);
  }

  /** Queues bytes. Ignored once the decoder has failed. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.failure !== undefined) {
      return;
    }
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
  }

  /**
   * The next complete payload, or undefined until more bytes arrive.
   * Throws FrameTooLargeError when a header announces more than `maxFrameBytes`, and again on every later
   * call: the frame boundaries are lost for good.
   */
  next(): Uint8Array | undefined {
    if (this.failure !== undefined) {
      throw this.failure;
    }
    if (this.payloadBytes < 0) {
      if (this.queuedBytes < FRAME_HEADER_BYTES) {
        return undefined;
      }
      const header = this.take(FRAME_HEADER_BYTES);
      const length = new DataView(header.buffer, header.byteOffset, FRAME_HEADER_BYTES).getUint32(0);
      if (length > this.maxFrameBytes) {
        this.failure = new FrameTooLargeError(length, this.maxFrameBytes);
        this.chunks = [];
        this.queuedBytes = 0;
        throw this.failure;
      }
      this.payloadBytes = length;
    }
    if (this.queuedBytes < this.payloadBytes) {
      return undefined;
    }
    const payload = this.take(this.payloadBytes);
    this.payloadBytes = -1;
    return payload;
  }

  /** True when bytes of an unfinished frame are held: the stream ending now would truncate a frame. */
  get midFrame(): boolean {
    return this.payloadBytes >= 0 || this.queuedBytes > 0;
  }

  /** Removes `n` queued bytes (the caller checked they are there). */
  private take(n: number): Uint8Array {
    this.queuedBytes -= n;
    const first = this.chunks[this.head];
    if (first === undefined || n === 0) {
      return new Uint8Array(0);
    }
    if (first.length >= n) {
      this.consumeHead(first, n);
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.head]!;
      const used = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      this.consumeHead(chunk, used);
    }
    return out;
  }

  private consumeHead(chunk: Uint8Array, used: number): void {
    if (used < chunk.length) {
      this.chunks[this.head] = chunk.subarray(used);
      return;
    }
    this.head += 1;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
