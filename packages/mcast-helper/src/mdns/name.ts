/** Longest domain name on the wire, labels and root byte included (RFC 1035 §2.3.4). */
export const MAX_NAME_WIRE_BYTES = 255;
/** Bound on the compression pointers followed for one name; a longer chain is treated as a loop. */
export const MAX_POINTER_JUMPS = 128;

// The top two bits of a length byte give the label type (RFC 1035 §4.1.4, RFC 6891 §5).
const LABEL_TYPE_MASK = 0xc0;
const LABEL_NORMAL = 0x00;
const LABEL_POINTER = 0xc0;
const POINTER_HIGH_BITS = 0x3f;

/**
 * Validates the name that starts at `start` and returns the offset just past it in place (after its root byte
 * or after its first compression pointer), or undefined when it is malformed: a label or pointer past the end
 * of the message, an extended (0x40) or reserved (0x80) label type, a pointer that does not point strictly
 * before itself, more than MAX_POINTER_JUMPS pointers, or an expanded name longer than MAX_NAME_WIRE_BYTES.
 * Reads only inside `message`.
 */
export function skipName(message: Uint8Array, start: number): number | undefined {
  let position = start;
  let end: number | undefined;
  let wireBytes = 1; // the root byte
  let jumps = 0;
  while (position < message.length) {
    const length = message[position]!;
    const labelType = length & LABEL_TYPE_MASK;
    if (labelType === LABEL_NORMAL) {
      if (length === 0) return end ?? position + 1;
      wireBytes += length + 1;
      if (wireBytes > MAX_NAME_WIRE_BYTES) return undefined;
      position += length + 1;
    } else if (labelType === LABEL_POINTER) {
      if (position + 1 >= message.length || ++jumps > MAX_POINTER_JUMPS) return undefined;
      const target = ((length & POINTER_HIGH_BITS) << 8) | message[position + 1]!;
      // Forward, self and past-the-end targets all fail this test.
      if (target >= position) return undefined;
      end ??= position + 2;
      position = target;
    } else {
      return undefined;
    }
  }
  return undefined;
}
