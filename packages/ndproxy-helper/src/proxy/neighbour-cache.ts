/** Where the proxy resolves the MAC of an IPv6 destination on an egress interface. */
export interface NeighbourLookup {
  lookup(ifindex: number, address: Uint8Array): Uint8Array | undefined;
  /** Called for every accepted frame: the sender `address` on `ifindex` uses `mac`. */
  learn(ifindex: number, address: Uint8Array, mac: Uint8Array): void;
  forget(ifindex: number): void;
}

const UNSPECIFIED = new Uint8Array(16);

/**
 * A neighbour cache learnt from the ND frames themselves: the IPv6 source of a received frame lives behind its
 * Ethernet source on the ingress interface. Bounded per interface; the oldest entry goes first.
 */
export class LearntNeighbourCache implements NeighbourLookup {
  private readonly byInterface = new Map<number, Map<string, Uint8Array>>();

  constructor(private readonly maxPerInterface = 4096) {}

  lookup(ifindex: number, address: Uint8Array): Uint8Array | undefined {
    return this.byInterface.get(ifindex)?.get(key(address));
  }

  learn(ifindex: number, address: Uint8Array, mac: Uint8Array): void {
    if (equal(address, UNSPECIFIED) || (mac[0]! & 1) !== 0) return;
    let entries = this.byInterface.get(ifindex);
    if (!entries) {
      entries = new Map();
      this.byInterface.set(ifindex, entries);
    }
    const k = key(address);
    entries.delete(k);
    entries.set(k, Uint8Array.from(mac));
    if (entries.size > this.maxPerInterface) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  }

  forget(ifindex: number): void {
    this.byInterface.delete(ifindex);
  }
}

function key(address: Uint8Array): string {
  return Buffer.from(address.buffer, address.byteOffset, address.byteLength).toString('hex');
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
