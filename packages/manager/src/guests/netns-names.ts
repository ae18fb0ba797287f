import { readdirSync } from 'node:fs';
import { nameNetns, removeNetnsName } from '@patchpanel/netio';

const NETNS_DIR = '/run/netns';

/** Names for guests' namespaces under /run/netns, so operators can `ip netns exec` into them. */
export class NetnsNames {
  constructor(readonly prefix: string) {}

  nameFor(n: number): string {
    return `${this.prefix}${n}`;
  }

  attach(name: string, pid: number): void {
    nameNetns({ pid }, name);
  }

  /** Gone already counts as removed. */
  remove(name: string): void {
    removeNetnsName(name);
  }

  /** Names of ours that a previous run left behind. */
  leftovers(): string[] {
    try {
      return readdirSync(NETNS_DIR).filter(
        (name) => name.startsWith(this.prefix) && /^\d+$/.test(name.slice(this.prefix.length)),
      );
    } catch {
      return [];
    }
  }
}
