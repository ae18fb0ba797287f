import { existsSync } from 'node:fs';
import type { Netns } from '../../src/netns';
import { isAlive, type ProcessIdentity, readIdentity } from '../../src/proc';
import type { Testbed } from '../../src/testbed';

/** Whether /run/netns/<name> exists. */
export const netnsExists = (name: string): boolean => existsSync(`/run/netns/${name}`);

/** Identities of pids, skipping those already gone. */
export const identities = (pids: readonly number[]): ProcessIdentity[] =>
  pids.flatMap((pid) => readIdentity(pid) ?? []);

/** The identities still alive (zombies count as dead). */
export const survivors = (list: readonly ProcessIdentity[]): ProcessIdentity[] => list.filter(isAlive);

/** Polls until `check` holds or `ms` passed; resolves with the last result. */
export async function eventually(check: () => boolean, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return check();
}

/** Two namespaces joined by a veth: `a` has va 192.0.2.1/24, `b` has vb 192.0.2.2/24 (DAD off, for IPv6). */
export async function vethPair(bed: Testbed): Promise<{ a: Netns; b: Netns }> {
  const [a, b] = [await bed.netns('a'), await bed.netns('b')];
  for (const ns of [a, b]) await ns.sysctl({ 'net.ipv6.conf.default.accept_dad': 0 });
  await bed.veth(a, 'va', b, 'vb');
  await a.exec(['ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'va']);
  await b.exec(['ip', 'addr', 'add', '192.0.2.2/24', 'dev', 'vb']);
  return { a, b };
}
