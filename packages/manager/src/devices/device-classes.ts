import type { DeviceKind, PhysicalDevice } from './device-source';
import { DeviceConfigError } from './errors';

/** The physical-interface name patterns used when none are configured (the prefixes of spec §3.1). */
export const DEFAULT_DEVICE_PATTERNS: readonly string[] = [
  'eth*',
  'usb*',
  'wlan*',
  'mlan*',
  'wwan*',
  'rmnet*',
];

const CLASS_PREFIXES: ReadonlyArray<readonly [string, DeviceKind]> = [
  ['eth', 'ethernet'],
  ['usb', 'ethernet'],
  ['wlan', 'wifi'],
  ['mlan', 'wifi'],
  ['wwan', 'cellular'],
  ['rmnet', 'cellular'],
];

/** The interface class by case-insensitive name prefix (spec §3.1); anything else is `other`. */
export function deviceKindOf(ifname: string): DeviceKind {
  const name = ifname.toLowerCase();
  return CLASS_PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1] ?? 'other';
}

/** Characters of an interface name besides the wildcards: what the kernel accepts, minus '/', ':' and spaces. */
const PATTERN_SYNTAX = /^[A-Za-z0-9_.@*?-]{1,15}$/;

/**
 * A predicate over interface names from shell-style patterns: `*` is any run of characters, `?` one
 * character, everything else literal and case-sensitive (like iptables' `eth+`). Throws DeviceConfigError for
 * an empty list or a pattern that could never match an interface name.
 */
export function compileDevicePatterns(patterns: readonly string[]): (ifname: string) => boolean {
  if (patterns.length === 0) throw new DeviceConfigError('no physical device pattern given');
  const expressions = patterns.map((pattern) => {
    if (!PATTERN_SYNTAX.test(pattern)) {
      throw new DeviceConfigError(`"${pattern}" is not a valid interface name pattern`);
    }
    const body = pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${body}$`);
  });
  return (ifname) => expressions.some((expression) => expression.test(ifname));
}

function sameDevice(a: PhysicalDevice, b: PhysicalDevice): boolean {
  return a.ifindex === b.ifindex && a.ifname === b.ifname && a.kind === b.kind;
}

/** What went away and what appeared between two device lists; a renamed device is in both. */
export function diffDevices(
  previous: readonly PhysicalDevice[],
  next: readonly PhysicalDevice[],
): { added: PhysicalDevice[]; removed: PhysicalDevice[] } {
  return {
    added: next.filter((d) => !previous.some((p) => sameDevice(p, d))),
    removed: previous.filter((p) => !next.some((d) => sameDevice(p, d))),
  };
}

export function sameDefault<T extends PhysicalDevice & { vpn: boolean }>(
  a: T | undefined,
  b: T | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameDevice(a, b) && a.vpn === b.vpn;
}
