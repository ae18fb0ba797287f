import { InvalidArgumentError } from 'commander';
import { isIpv4 } from '../addressing/ipv4';
import type { TrafficSource } from '../api/patchpanel-api';
import { isValidInterfaceName } from '../dbus/interface-names';

/** The kernel's PID_MAX_LIMIT on 64-bit hosts. */
const MAX_PID = 4_194_304;

/** Sources with their own value on the wire (tether_downstream and arc_vpn would arrive as system and VPN). */
export const TRAFFIC_SOURCES: readonly TrafficSource[] = [
  'unknown',
  'chrome',
  'user',
  'update_engine',
  'system',
  'host_vpn',
  'arc',
  'crosvm',
  'pluginvm',
];

function decimal(text: string, min: number, max: number, what: string): number {
  const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${what} is a decimal number from ${min} to ${max}.`);
  }
  return value;
}

/** Commander argument parsers: each takes the flag's text and throws InvalidArgumentError when it is wrong. */
export function parsePid(text: string): number {
  return decimal(text, 1, MAX_PID, 'A pid');
}

export function parsePort(text: string): number {
  return decimal(text, 1, 65_535, 'A port');
}

export function parseIpv4(text: string): string {
  if (!isIpv4(text)) throw new InvalidArgumentError('Not a dotted-quad IPv4 address.');
  return text;
}

export function parseInterfaceName(text: string): string {
  if (text === '' || !isValidInterfaceName(text)) {
    throw new InvalidArgumentError(
      'An interface name has 1 to 15 letters, digits, "-" or ".", and does not start or end with "-" or ".".',
    );
  }
  return text;
}

/** The shape of a D-Bus server address (`unix:path=…`, `unix:abstract=…`, `tcp:host=…,port=…`). */
export function parseBusAddress(text: string): string {
  if (!/^[a-z]+:[a-z]+=[^;]+$/.test(text)) {
    throw new InvalidArgumentError('A D-Bus address looks like unix:path=/run/dbus/system_bus_socket.');
  }
  return text;
}
