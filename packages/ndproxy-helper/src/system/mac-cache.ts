/**
 * Interface MACs read at most once per `ttlMs` per interface: the proxy needs one per forwarded frame and a
 * sysfs read costs three syscalls. A failed read is not cached.
 */
export class MacCache {
  private readonly entries = new Map<string, { mac: Uint8Array; readAt: number }>();

  constructor(
    private readonly read: (ifname: string) => Uint8Array | undefined,
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(ifname: string): Uint8Array | undefined {
    const now = this.now();
    const entry = this.entries.get(ifname);
    if (entry !== undefined && now - entry.readAt < this.ttlMs) return entry.mac;
    const mac = this.read(ifname);
    if (mac === undefined) this.entries.delete(ifname);
    else this.entries.set(ifname, { mac, readAt: now });
    return mac;
  }
}
