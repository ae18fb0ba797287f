import path from 'node:path';
import { CONFIG_ENV } from '@patchpanel/adb-proxy';
import type { HelperSpec } from './helper-spec';

/** Where the repository (or installed tree) keeps `seccomp/`, relative to this package. */
export const defaultSeccompDir = path.resolve(__dirname, '../../../../seccomp');

export interface HelperCatalogOptions {
  readonly seccompDir?: string;
  /** The adb-proxy's targets, cap and relay, passed to it as JSON; absent: its defaults. */
  readonly adbProxyConfig?: object;
}

function entryOf(pkg: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'main.js');
}

/**
 * The three helpers and the least each needs: the ND proxy and the multicast helper open raw or packet sockets;
 * the adb-proxy only listens on an unprivileged port and connects.
 */
export function helperCatalog(options: HelperCatalogOptions = {}): HelperSpec[] {
  const seccompDir = options.seccompDir ?? defaultSeccompDir;
  const spec = (name: HelperSpec['name'], rest: Partial<HelperSpec>): HelperSpec => ({
    name,
    entry: entryOf(`@patchpanel/${name}`),
    capabilities: [],
    seccompPolicyPath: path.join(seccompDir, `${name}.policy`),
    ...rest,
  });
  const adbEnv = options.adbProxyConfig && { [CONFIG_ENV]: JSON.stringify(options.adbProxyConfig) };
  return [
    spec('ndproxy-helper', { capabilities: ['NET_RAW'] }),
    spec('mcast-helper', { capabilities: ['NET_RAW'] }),
    spec('adb-proxy', adbEnv ? { env: adbEnv } : {}),
  ];
}
