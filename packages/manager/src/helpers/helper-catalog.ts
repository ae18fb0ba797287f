import path from 'node:path';
import type { HelperSpec } from './helper-spec';

/** Where the repository (or installed tree) keeps `seccomp/`, relative to this package. */
export const defaultSeccompDir = path.resolve(__dirname, '../../../../seccomp');

function entryOf(pkg: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'main.js');
}

/** The three helpers and the least each needs: all of them only open raw or packet sockets. */
export function helperCatalog(seccompDir: string = defaultSeccompDir): HelperSpec[] {
  return (['ndproxy-helper', 'mcast-helper', 'adb-proxy'] as const).map((name) => ({
    name,
    entry: entryOf(`@patchpanel/${name}`),
    capabilities: ['NET_RAW'],
    seccompPolicyPath: path.join(seccompDir, `${name}.policy`),
  }));
}
