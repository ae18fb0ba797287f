import { isIPv6 } from 'node:net';
import { InvalidArgumentError } from './errors';
import { assertMac } from './names';

/** 16 bytes of an IPv6 address in text form (with or without '::'). */
export function parseIpv6(text: string): Uint8Array {
  const halves = text.split('::');
  if (halves.length > 2) throw new InvalidArgumentError(`bad IPv6 address ${text}`);
  const groups = (part: string | undefined): number[] =>
    part === undefined || part === ''
      ? []
      : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...new Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  if (all.length !== 8 || all.some(Number.isNaN) || (halves.length === 2 && fill < 1)) {
    throw new InvalidArgumentError(`bad IPv6 address ${text}`);
  }
  return new Uint8Array(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/** RFC 5952 text form of 16 address bytes. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The SLAAC address a kernel in EUI-64 mode derives from a /64 prefix and a MAC (RFC 4291 appendix A). */
export function slaacAddress(prefix: string, mac: string): string {
  const [network, length] = prefix.split('/');
  if (length !== '64' || network === undefined)
    throw new InvalidArgumentError(`SLAAC needs a /64, got ${prefix}`);
  assertMac(mac);
  const bytes = parseIpv6(network);
  const m = mac.split(':').map((octet) => parseInt(octet, 16));
  const eui64 = [(m[0] ?? 0) ^ 0x02, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]];
  eui64.forEach((octet, i) => {
    bytes[8 + i] = octet ?? 0;
  });
  return formatIpv6(bytes);
}

/** 'address:port', with the IPv6 address in brackets ('[2001:db8::1]:53'), as peers report endpoints. */
export function formatEndpoint(address: string, port: number): string {
  return isIPv6(address.split('%')[0] ?? '') ? `[${address}]:${port}` : `${address}:${port}`;
}
