import { isIPv4, isIPv6 } from 'node:net';

/** 4 or 16 address bytes to text: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as `::`). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1; // a single zero group is written out, not compressed
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16));
  if (bestStart < 0) return hex(0, 8).join(':');
  return `${hex(0, bestStart).join(':')}::${hex(bestStart + bestLength, 8).join(':')}`;
}

/** Text from formatIp (or any plain IPv4/IPv6 literal without a zone) back to its bytes. */
export function parseIp(text: string): Buffer {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (!isIPv6(text) || text.includes('%') || text.includes('.')) {
    throw new RangeError(`"${text}" is not a plain IP address`);
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const out = Buffer.alloc(16);
  for (const [i, group] of [...left, ...zeros, ...right].entries()) {
    out.writeUInt16BE(Number.parseInt(group, 16), i * 2);
  }
  return out;
}
