import type { Ipv4Cidr } from '../api/patchpanel-api';
import { AddressingError, PoolExhaustedError } from './errors';
import { formatIpv4, parseIpv4 } from './ipv4';

export interface SubnetPoolSpec {
  readonly name: string;
  readonly base: string;
  readonly prefixLength: number;
  readonly count: number;
  /** Only PluginVM's pool lets the caller pick the index. */
  readonly explicitIndex?: boolean;
}

/** One allocated subnet. Offset 0 (base + 1) is the host side, offset 1 (base + 2) the guest. */
export class Subnet {
  constructor(
    readonly index: number,
    private readonly baseValue: number,
    readonly prefixLength: number,
    private readonly onRelease: (index: number) => void,
  ) {}

  get cidr(): Ipv4Cidr {
    return { base: formatIpv4(this.baseValue), prefixLength: this.prefixLength };
  }

  get size(): number {
    return 2 ** (32 - this.prefixLength);
  }

  /** The usable address `offset` places after the network address (network and broadcast excluded). */
  addressAt(offset: number): string {
    if (!Number.isInteger(offset) || offset < 0 || offset > this.size - 3) {
      throw new AddressingError(`offset ${offset} is outside ${this.cidr.base}/${this.prefixLength}`);
    }
    return formatIpv4(this.baseValue + 1 + offset);
  }

  get broadcast(): string {
    return formatIpv4(this.baseValue + this.size - 1);
  }

  release(): void {
    this.onRelease(this.index);
  }
}

/** Fixed-size subnets carved from one range (spec §3.1): index i (1-based) starts at base + (i - 1) * size. */
export class SubnetPool {
  private readonly inUse = new Set<number>();
  private readonly baseValue: number;
  private readonly size: number;

  constructor(readonly spec: SubnetPoolSpec) {
    if (!Number.isInteger(spec.prefixLength) || spec.prefixLength < 8 || spec.prefixLength > 30) {
      throw new AddressingError(`pool ${spec.name}: prefix /${spec.prefixLength} is not usable`);
    }
    this.size = 2 ** (32 - spec.prefixLength);
    this.baseValue = parseIpv4(spec.base);
    if (this.baseValue % this.size !== 0) throw new AddressingError(`pool ${spec.name}: base is not aligned`);
    if (
      !Number.isInteger(spec.count) ||
      spec.count < 1 ||
      this.baseValue + spec.count * this.size > 2 ** 32
    ) {
      throw new AddressingError(`pool ${spec.name}: ${spec.count} subnets do not fit`);
    }
  }

  get available(): number {
    return this.spec.count - this.inUse.size;
  }

  /** The lowest free subnet, or exactly `index` (1-based) where the pool allows choosing. */
  allocate(index = 0): Subnet {
    const chosen = index === 0 ? this.lowestFree() : this.checkExplicit(index);
    this.inUse.add(chosen);
    return new Subnet(chosen, this.baseValue + (chosen - 1) * this.size, this.spec.prefixLength, (i) =>
      this.inUse.delete(i),
    );
  }

  private lowestFree(): number {
    for (let i = 1; i <= this.spec.count; i++) if (!this.inUse.has(i)) return i;
    throw new PoolExhaustedError(`pool ${this.spec.name} is exhausted (${this.spec.count} subnets in use)`);
  }

  private checkExplicit(index: number): number {
    if (!this.spec.explicitIndex) throw new AddressingError(`pool ${this.spec.name} does not take an index`);
    if (!Number.isInteger(index) || index < 1 || index > this.spec.count) {
      throw new AddressingError(`pool ${this.spec.name} has no subnet ${index}`);
    }
    if (this.inUse.has(index))
      throw new PoolExhaustedError(`pool ${this.spec.name}: subnet ${index} is in use`);
    return index;
  }
}

/** The pools of the reserved 100.115.92.0/23 (spec §3.1). */
export const standardPools = {
  arc: { name: 'arc', base: '100.115.92.0', prefixLength: 30, count: 1 },
  arcNet: { name: 'arc-net', base: '100.115.92.4', prefixLength: 30, count: 5 },
  terminaVm: { name: 'termina-vm', base: '100.115.92.24', prefixLength: 30, count: 26 },
  connectedNamespace: { name: 'connected-namespace', base: '100.115.92.128', prefixLength: 30, count: 16 },
  container: { name: 'container', base: '100.115.92.192', prefixLength: 28, count: 4 },
  pluginVm: { name: 'plugin-vm', base: '100.115.93.0', prefixLength: 29, count: 32, explicitIndex: true },
} as const satisfies Record<string, SubnetPoolSpec>;
