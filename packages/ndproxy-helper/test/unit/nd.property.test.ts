import { byteMutation, mutateBytes } from '@patchpanel/testbed';
import fc from 'fast-check';
import { egressDestinationMac, NdType, parseNdFrame, rewriteNdFrame } from '../../src/nd';
import { buildFrame, EGRESS_MAC, option } from './nd-frames';

const bytesOf = (length: number): fc.Arbitrary<number[]> =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => [...bytes]);

const ndOption: fc.Arbitrary<number[]> = fc.oneof(
  bytesOf(6).map(option.slla),
  bytesOf(6).map(option.tlla),
  fc
    .tuple(bytesOf(16), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
    .map(([prefix, length, flags]) => option.pio(prefix, length, flags)),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 3 }))
    .chain(([type, units]) => bytesOf(units * 8 - 2).map((rest) => [type, units, ...rest])),
);

const fixedBytes: Record<NdType, number> = { 133: 4, 134: 12, 135: 20, 136: 20 };
const ndTypes = Object.values(NdType);

/** A well-formed ND frame with random addresses, fixed fields and options. */
const validFrame: fc.Arbitrary<Uint8Array> = fc
  .record({
    type: fc.constantFrom(...ndTypes),
    fixed: bytesOf(20),
    options: fc.array(ndOption, { maxLength: 4 }),
    ethDst: bytesOf(6),
    ethSrc: bytesOf(6),
    src: bytesOf(16),
    dst: bytesOf(16),
  })
  .map((r) => buildFrame({ ...r, body: r.fixed.slice(0, fixedBytes[r.type]) }));

/** Random ICMPv6 messages (types 128–140, any body) behind a consistent header with a correct checksum. */
const checksummedRandom: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.integer({ min: 128, max: 140 }), fc.integer({ min: 0, max: 1 }), fc.uint8Array({ maxLength: 80 }))
  .map(([type, code, rest]) => buildFrame({ type, code, body: [...rest] }));

type Case = { readonly frame: Uint8Array; readonly mustParse: boolean };

const anyFrame: fc.Arbitrary<Case> = fc.oneof(
  fc
    .tuple(validFrame, byteMutation)
    .map(([frame, m]) => ({ frame: mutateBytes(frame, m), mustParse: m.kind === 'none' })),
  checksummedRandom.map((frame) => ({ frame, mustParse: false })),
  fc.uint8Array({ maxLength: 160 }).map((frame) => ({ frame, mustParse: false })),
);

const egressMac = Uint8Array.from(EGRESS_MAC);

test('100 000 random and mutated frames: no throw, output never longer, every rewrite parses again', () => {
  let accepted = 0;
  const rejected = new Map<string, number>();
  fc.assert(
    fc.property(anyFrame, ({ frame, mustParse }) => {
      const result = parseNdFrame(frame);
      if (!result.ok) {
        rejected.set(result.reason, (rejected.get(result.reason) ?? 0) + 1);
        return !mustParse;
      }
      accepted++;
      const destinationMac = egressDestinationMac(result.frame, undefined);
      const output = rewriteNdFrame(result.frame, { interfaceMac: egressMac, destinationMac });
      const again = parseNdFrame(output);
      return output.length <= frame.length && again.ok && again.frame.type === result.frame.type;
    }),
    { numRuns: 100_000 },
  );
  // The property says something only if a good share of frames reach the rewrite and most reasons occur.
  expect(accepted).toBeGreaterThan(5_000);
  expect(rejected.size).toBeGreaterThanOrEqual(12);
});
