import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { isInterfaceName } from '@patchpanel/netio';
import { NdProxyError } from '../errors';

const run = promisify(execFile);

/** Rejects names that are not kernel interface names, so they are safe in /proc and /sys paths. */
export function assertInterfaceName(ifname: string): void {
  if (!isInterfaceName(ifname)) {
    throw new NdProxyError(
      'PP_ERR_NDPROXY_UNKNOWN_INTERFACE',
      `not an interface name: ${JSON.stringify(ifname)}`,
    );
  }
}

/** Writes a sysctl of the process's network namespace through /proc/sys (`net.ipv6.conf.all.forwarding`). */
export function writeSysctl(key: string, value: string): void {
  const path = `/proc/sys/${key.split('.').join('/')}`;
  try {
    writeFileSync(path, value);
  } catch (cause) {
    throw new NdProxyError('PP_ERR_NDPROXY_SYSTEM', `cannot write ${key}`, { cause });
  }
}

/** The MAC of an interface from sysfs (which `ip netns exec` mounts for the namespace), or undefined. */
export function readInterfaceMac(ifname: string): Uint8Array | undefined {
  try {
    const text = readFileSync(`/sys/class/net/${ifname}/address`, 'utf8').trim();
    const bytes = text.split(':').map((part) => Number.parseInt(part, 16));
    return bytes.length === 6 && bytes.every((b) => b >= 0 && b <= 255) ? Uint8Array.from(bytes) : undefined;
  } catch {
    return undefined;
  }
}

/** `ip -6 route replace <address>/128 dev <ifname>`, as an argv (no shell). */
export async function replaceHostRoute(address: string, ifname: string): Promise<void> {
  try {
    await run('ip', ['-6', 'route', 'replace', `${address}/128`, 'dev', ifname]);
  } catch (cause) {
    throw new NdProxyError('PP_ERR_NDPROXY_SYSTEM', `cannot route ${address}/128 to ${ifname}`, { cause });
  }
}
