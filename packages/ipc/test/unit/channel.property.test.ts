import fc from 'fast-check';
import { FrameDecoder } from '../../src';
import { cut, envelope, hostileStream } from './arbitraries';
import { concat, expected, frameOf, recordingChannel, summary } from './fixtures';

const STREAMS = 100_000;
const STREAMS_PER_RUN = 50;

/** Feeds `chunks` to a fresh channel, then EOF; returns what it saw. Never lets an exception escape. */
function feed(chunks: readonly Uint8Array[]) {
  const run = recordingChannel({ maxFrameBytes: 1024 });
  for (const chunk of chunks) {
    run.stream.emit('data', chunk);
  }
  run.stream.emit('end');
  return run;
}

describe('Channel properties', () => {
  test('valid messages survive any chunking unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(envelope, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (envelopes, cuts) => {
          const { received, closes } = feed(cut(concat(envelopes.map(frameOf)), cuts));
          expect(received.map(summary)).toEqual(envelopes.map(expected));
          expect(closes).toEqual([undefined]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test(`${STREAMS} random byte streams: nothing escapes, every frame is accounted for, one close`, () => {
    // Checked without expect() per stream: jest's matchers would cost more than the channel itself.
    const allowed = new Set([undefined, 'PP_ERR_IPC_FRAME_TOO_LARGE', 'PP_ERR_IPC_TRUNCATED_FRAME']);
    const problemWith = (chunks: readonly Uint8Array[]): string | undefined => {
      const { channel, received, closes } = feed(chunks);
      const { framesIn, framesDropped, unhandled, handlerErrors } = channel.stats;
      if (framesIn !== received.length + framesDropped + unhandled || handlerErrors !== 0) {
        return `frames unaccounted for: ${JSON.stringify(channel.stats)}, ${received.length} dispatched`;
      }
      if (closes.length !== 1 || !allowed.has(closes[0]?.code) || !channel.isClosed) {
        return `bad close: ${closes.map((e) => e?.code)}`;
      }
      return undefined;
    };
    fc.assert(
      fc.property(
        fc.array(hostileStream, { minLength: STREAMS_PER_RUN, maxLength: STREAMS_PER_RUN }),
        (streams) => {
          expect(streams.map(problemWith).filter((p) => p !== undefined)).toEqual([]);
        },
      ),
      { numRuns: STREAMS / STREAMS_PER_RUN },
    );
  });

  test('the decoder gives the same frames for any chunking of any byte stream', () => {
    const frames = (chunks: readonly Uint8Array[]) => {
      const decoder = new FrameDecoder(1024);
      const out: number[][] = [];
      let error: string | undefined;
      for (const chunk of chunks) {
        decoder.push(chunk);
        try {
          for (let f = decoder.next(); f !== undefined; f = decoder.next()) {
            out.push([...f]);
          }
        } catch (e) {
          error = (e as { code: string }).code;
        }
      }
      return { out, error, midFrame: decoder.midFrame };
    };
    fc.assert(
      fc.property(hostileStream, fc.array(fc.nat(), { maxLength: 10 }), (chunks, cuts) => {
        const whole = concat(chunks);
        expect(frames(cut(whole, cuts))).toEqual(frames([whole]));
      }),
      { numRuns: 5000 },
    );
  });
});
