/** Forwarded and dropped datagrams by name ('lan-to-guest', 'drop:<reason>', …), logged periodically. */
export class Counters {
  private readonly counts = new Map<string, number>();

  increment(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
