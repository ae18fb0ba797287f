import { randomBytes } from 'node:crypto';
import { AddressingError } from './errors';

export type MacAddress = string;

const stableBase = [0x42, 0x37, 0x05, 0x13, 0x17];

function format(bytes: readonly number[]): MacAddress {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** `42:37:05:13:17:<index>`: the same across restarts (ARCVM devices, PluginVM with an explicit index). */
export function stableMac(index: number): MacAddress {
  if (!Number.isInteger(index) || index < 0 || index > 0xff)
    throw new AddressingError(`no stable MAC ${index}`);
  return format([...stableBase, index]);
}

/**
 * Random locally administered unicast MACs, never repeating within this generator's life and never in the
 * stable range. `random` is injectable so tests can force collisions.
 */
export class MacAddressGenerator {
  private readonly issued = new Set<MacAddress>();

  constructor(private readonly random: (size: number) => Uint8Array = randomBytes) {}

  next(): MacAddress {
    for (;;) {
      const bytes = [...this.random(6)];
      bytes[0] = ((bytes[0] ?? 0) | 0x02) & 0xfe;
      const mac = format(bytes);
      if (this.issued.has(mac) || stableBase.every((b, i) => bytes[i] === b)) continue;
      this.issued.add(mac);
      return mac;
    }
  }
}
