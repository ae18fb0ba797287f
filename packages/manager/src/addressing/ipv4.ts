import { AddressingError } from './errors';

const dottedQuad = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A strict dotted quad (no leading zeros, no shorthand) to its 32-bit value in host order. */
export function parseIpv4(text: string): number {
  if (!dottedQuad.test(text)) throw new AddressingError(`"${text}" is not an IPv4 address`);
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function isIpv4(text: string): boolean {
  return dottedQuad.test(text);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}
