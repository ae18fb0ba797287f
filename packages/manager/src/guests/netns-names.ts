import { existsSync, readdirSync } from 'node:fs';
import execa from 'execa';

const NETNS_DIR = '/run/netns';

/**
 * Names for guests' namespaces under /run/netns, so operators can `ip netns exec` into them. Naming one is a
 * bind mount, which only the `ip` tool offers here: the one link operation done by a process.
 */
export class NetnsNames {
  constructor(readonly prefix: string) {}

  nameFor(n: number): string {
    return `${this.prefix}${n}`;
  }

  async attach(name: string, pid: number): Promise<void> {
    await execa('ip', ['netns', 'attach', name, String(pid)]);
  }

  /** Gone already counts as removed. */
  async remove(name: string): Promise<void> {
    if (!existsSync(`${NETNS_DIR}/${name}`)) return;
    await execa('ip', ['netns', 'delete', name]);
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
