/** Where the proxy resolves the MAC of an IPv6 destination on an egress interface. */
export interface NeighbourLookup {
  lookup(ifindex: number, address: Uint8Array): Uint8Array | undefined;
  /** Called for every accepted frame: the sender `address` on `ifindex` uses `mac`. */
  learn(ifindex: number, address: Uint8Array, mac: Uint8Array): void;
  forget(ifindex: number): void;
}

const UNSPECIFIED = new Uint8Array(16);

/**
 * Neighbours from two sources: the kernel's neighbour table, kept by netlink events (`update`), and the ND
 * frames the proxy relays (`learn`: the IPv6 source of a frame lives behind its Ethernet source on the ingress
 * interface), because the host's own table lacks the neighbours that only talk through the proxy. The newest
 * word wins; the kernel can also remove an entry. Bounded per interface; the oldest entry goes first.
 */
export class NeighbourCache implements NeighbourLookup {
  private readonly byInterface = new Map<number, Map<string, Uint8Array>>();

  constructor(private readonly maxPerInterface = 4096) {}

  get size(): number {
    let total = 0;
    for (const entries of this.byInterface.values()) total += entries.size;
    return total;
  }

  lookup(ifindex: number, address: Uint8Array): Uint8Array | undefined {
    return this.byInterface.get(ifindex)?.get(key(address));
  }

  learn(ifindex: number, address: Uint8Array, mac: Uint8Array): void {
    if (equal(address, UNSPECIFIED) || mac.length !== 6 || (mac[0]! & 1) !== 0) return;
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

  /** A kernel neighbour event: `mac` undefined means the kernel no longer knows a usable address. */
  update(ifindex: number, address: Uint8Array, mac: Uint8Array | undefined): void {
    if (mac !== undefined) {
      this.learn(ifindex, address, mac);
      return;
    }
    const entries = this.byInterface.get(ifindex);
    entries?.delete(key(address));
    if (entries?.size === 0) this.byInterface.delete(ifindex);
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
