import { InvalidArgumentError } from './errors';

/** An Ethernet address: 'aa:bb:cc:dd:ee:ff' or 6 bytes. */
export type MacAddress = string | Uint8Array;

export const MAC_LENGTH = 6;
const MAC_TEXT = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Validates and converts to bytes; a valid Uint8Array is returned as is (no copy). */
export function parseMac(mac: MacAddress): Uint8Array {
  if (typeof mac === 'string') {
    if (!MAC_TEXT.test(mac)) throw new InvalidArgumentError(`not a MAC address: '${mac}'`);
    return Buffer.from(mac.replaceAll(':', ''), 'hex');
  }
  if (!(mac instanceof Uint8Array) || mac.length !== MAC_LENGTH) {
    throw new InvalidArgumentError(`a MAC address has ${MAC_LENGTH} bytes, got ${describe(mac)}`);
  }
  return mac;
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join(':');
}

function describe(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length}` : typeof value;
}
