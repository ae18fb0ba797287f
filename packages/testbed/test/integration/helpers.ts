import { existsSync } from 'node:fs';
import { isAlive, type ProcessIdentity, readIdentity } from '../../src/proc';

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
