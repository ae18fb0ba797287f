import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from './errors';

/** A run prefix: 'ppt' + 5 hex chars, short so that names derived from it stay short. */
export const PREFIX_PATTERN = /^ppt[0-9a-f]{5}$/;
/** A namespace made by some run of the bed: `${prefix}-${label}`. */
export const OWNED_NETNS_PATTERN = /^(ppt[0-9a-f]{5})-([a-z0-9][a-z0-9-]*)$/;

const LABEL_PATTERN = /^[a-z0-9][a-z0-9-]{0,19}$/;
const IFNAME_PATTERN = /^[A-Za-z0-9_.-]{1,15}$/;
const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Renders a prefix from random bytes (at least 3 are needed). */
export function prefixFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 3) throw new InvalidArgumentError('a prefix needs 3 random bytes');
  return `ppt${Buffer.from(bytes.subarray(0, 3)).toString('hex').slice(0, 5)}`;
}

/** Picks a prefix that no live or leftover run uses. */
export function pickPrefix(
  taken: ReadonlySet<string>,
  random: () => Uint8Array = () => randomBytes(3),
): string {
  for (let attempt = 0; attempt < 64; attempt++) {
    const prefix = prefixFromBytes(random());
    if (!taken.has(prefix)) return prefix;
  }
  throw new InvalidArgumentError('no free run prefix after 64 attempts');
}

/** The run prefix a namespace name belongs to, or undefined when the bed did not make it. */
export function prefixOfNetns(name: string): string | undefined {
  return OWNED_NETNS_PATTERN.exec(name)?.[1];
}

export function netnsName(prefix: string, label: string): string {
  assertLabel(label);
  return `${prefix}-${label}`;
}

export function assertLabel(label: string): void {
  if (!LABEL_PATTERN.test(label)) {
    throw new InvalidArgumentError(`label ${JSON.stringify(label)} must match ${LABEL_PATTERN}`);
  }
}

export function assertInterfaceName(name: string): void {
  if (!IFNAME_PATTERN.test(name) || name === '.' || name === '..') {
    throw new InvalidArgumentError(`interface name ${JSON.stringify(name)} must match ${IFNAME_PATTERN}`);
  }
}

export function assertMac(mac: string): void {
  if (!MAC_PATTERN.test(mac))
    throw new InvalidArgumentError(`MAC ${JSON.stringify(mac)} is not aa:bb:cc:dd:ee:ff`);
}

export function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`port ${port} is not in 1..65535`);
  }
}
