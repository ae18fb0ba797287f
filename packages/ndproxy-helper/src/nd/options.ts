import { ND_OPTION_UNIT } from './layout';

/** One ND option located in a frame: `offset` is where its type byte sits, `length` is in bytes (≥ 8). */
export interface NdOption {
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

export type NdOptionsResult =
  | { readonly ok: true; readonly options: readonly NdOption[] }
  | { readonly ok: false; readonly reason: 'zero-length-option' | 'option-past-end' };

/**
 * Walks the options between `start` and `end` (frame offsets). Every option must have a length of at least
 * one 8-byte unit and end at or before `end`; the options must fill the space exactly.
 */
export function walkNdOptions(frame: Uint8Array, start: number, end: number): NdOptionsResult {
  const options: NdOption[] = [];
  let offset = start;
  while (offset < end) {
    if (offset + 2 > end) return { ok: false, reason: 'option-past-end' };
    const units = frame[offset + 1]!;
    if (units === 0) return { ok: false, reason: 'zero-length-option' };
    const length = units * ND_OPTION_UNIT;
    if (offset + length > end) return { ok: false, reason: 'option-past-end' };
    options.push({ type: frame[offset]!, offset, length });
    offset += length;
  }
  return { ok: true, options };
}
