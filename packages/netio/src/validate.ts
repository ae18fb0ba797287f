import { InvalidArgumentError } from './errors';

/** IFNAMSIZ - 1. */
const MAX_INTERFACE_NAME = 15;
const INTERFACE_NAME = /^[A-Za-z0-9_.:@-]+$/;

export function assertInteger(
  name: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/**
 * Whether `value` can be a Linux interface name: 1 to 15 characters the kernel accepts that are also safe in
 * /proc and /sys paths and in command lines (no '/', no space, not '.' or '..').
 */
export function isInterfaceName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_INTERFACE_NAME &&
    INTERFACE_NAME.test(value) &&
    value !== '.' &&
    value !== '..'
  );
}

/** A Linux interface name; with `template`, one '%d' is allowed (the kernel picks the number). */
export function assertInterfaceName(name: string, value: unknown, template = false): asserts value is string {
  const plain = typeof value === 'string' && template ? value.replace('%d', '0') : value;
  if (typeof value !== 'string' || value.length > MAX_INTERFACE_NAME || !isInterfaceName(plain)) {
    throw new InvalidArgumentError(
      `${name} must be an interface name of 1 to 15 characters, got ${String(value)}`,
    );
  }
}

/** An interface given by name or by ifindex (> 0). */
export function assertInterface(name: string, value: unknown): asserts value is string | number {
  if (typeof value === 'number') {
    assertInteger(name, value, 1, 0x7fffffff);
  } else {
    assertInterfaceName(name, value);
  }
}

export function assertBytes(
  name: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length < min || value.length > max) {
    const length = value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
    throw new InvalidArgumentError(`${name} must be a Uint8Array of ${min} to ${max} bytes, got ${length}`);
  }
}
