import { readFileSync } from 'node:fs';

/** The ifindex of an interface in this process's network namespace (as sysfs shows it), if it exists. */
export function sysfsIfindex(ifname: string): number | undefined {
  if (ifname.includes('/') || ifname === '.' || ifname === '..') return undefined;
  try {
    const value = Number(readFileSync(`/sys/class/net/${ifname}/ifindex`, 'utf8').trim());
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
