/**
 * The three forwarding maps of the original (ifindex → set of ifindex): RS guest → upstream, RA upstream →
 * guests, NS/NA both ways and between guests that share an upstream. Pure bookkeeping, no I/O.
 */
export class InterfaceMap {
  private readonly rs = new Map<number, Set<number>>();
  private readonly ra = new Map<number, Set<number>>();
  private readonly nsNa = new Map<number, Set<number>>();

  add(upstream: number, guest: number): void {
    const siblings = [...(this.ra.get(upstream) ?? [])];
    link(this.rs, guest, upstream);
    link(this.ra, upstream, guest);
    link(this.nsNa, upstream, guest);
    link(this.nsNa, guest, upstream);
    for (const sibling of siblings) {
      if (sibling === guest) continue;
      link(this.nsNa, sibling, guest);
      link(this.nsNa, guest, sibling);
    }
  }

  remove(upstream: number, guest: number): void {
    unlink(this.rs, guest, upstream);
    unlink(this.ra, upstream, guest);
    unlink(this.nsNa, upstream, guest);
    unlink(this.nsNa, guest, upstream);
    for (const sibling of this.ra.get(upstream) ?? []) {
      unlink(this.nsNa, sibling, guest);
      unlink(this.nsNa, guest, sibling);
    }
  }

  /** The guests of an upstream, in the order they were added. */
  guestsOf(upstream: number): number[] {
    return [...(this.ra.get(upstream) ?? [])];
  }

  isUpstream(ifindex: number): boolean {
    return this.ra.has(ifindex);
  }

  isGuest(ifindex: number): boolean {
    return this.rs.has(ifindex);
  }

  rsTargets(ingress: number): ReadonlySet<number> {
    return this.rs.get(ingress) ?? EMPTY;
  }

  raTargets(ingress: number): ReadonlySet<number> {
    return this.ra.get(ingress) ?? EMPTY;
  }

  nsNaTargets(ingress: number): ReadonlySet<number> {
    return this.nsNa.get(ingress) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<number> = new Set();

function link(map: Map<number, Set<number>>, from: number, to: number): void {
  let targets = map.get(from);
  if (!targets) {
    targets = new Set();
    map.set(from, targets);
  }
  targets.add(to);
}

function unlink(map: Map<number, Set<number>>, from: number, to: number): void {
  const targets = map.get(from);
  if (!targets) return;
  targets.delete(to);
  if (targets.size === 0) map.delete(from);
}
