// Mutations of valid wire data for the parsers' property tests: the same four everywhere, so each test adds
// only the mutations specific to its format.
import fc from 'fast-check';

export type ByteMutation =
  | { readonly kind: 'none' }
  /** XOR the byte at each offset (modulo the length) with a non-zero value. */
  | { readonly kind: 'flip'; readonly flips: readonly [number, number][] }
  | { readonly kind: 'truncate'; readonly keep: number }
  | { readonly kind: 'extend'; readonly extra: Uint8Array };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((flips) => ({ kind: 'flip' as const, flips })),
  fc.nat().map((keep) => ({ kind: 'truncate' as const, keep })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((extra) => ({ kind: 'extend' as const, extra })),
);

const BYTE_KINDS: ReadonlySet<string> = new Set(['none', 'flip', 'truncate', 'extend']);

export function isByteMutation(mutation: { readonly kind: string }): mutation is ByteMutation {
  return BYTE_KINDS.has(mutation.kind);
}

/** A new array (or `bytes` itself for `none`, a prefix view for `truncate`); `bytes` is never changed. */
export function mutateBytes(bytes: Uint8Array, mutation: ByteMutation): Uint8Array {
  switch (mutation.kind) {
    case 'none':
      return bytes;
    case 'flip': {
      const copy = bytes.slice();
      if (copy.length === 0) return copy;
      for (const [at, xor] of mutation.flips) copy[at % copy.length]! ^= xor;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, mutation.keep % (bytes.length + 1));
    case 'extend':
      return Uint8Array.from([...bytes, ...mutation.extra]);
  }
}
