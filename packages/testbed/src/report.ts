import type { Testbed } from './testbed';

export interface NetnsReport {
  readonly name: string;
  /** `ip -br addr` */
  readonly addresses: string;
  /** `ip route` and `ip -6 route` */
  readonly routes: string;
}

export interface TestbedReport {
  readonly prefix: string;
  readonly runDir: string;
  readonly netns: readonly NetnsReport[];
  readonly processes: readonly { readonly pid: number; readonly argv: readonly string[] }[];
}

/** What the bed holds right now, read from the kernel: for the demo and for debugging a failing test. */
export async function describeTestbed(bed: Testbed): Promise<TestbedReport> {
  const netns = await Promise.all(
    bed.namespaces().map(async (ns) => {
      const [addresses, routes4, routes6] = await Promise.all([
        ns.exec(['ip', '-br', 'addr']),
        ns.exec(['ip', 'route']),
        ns.exec(['ip', '-6', 'route']),
      ]);
      return {
        name: ns.name,
        addresses: addresses.stdout,
        routes: `${routes4.stdout}\n${routes6.stdout}`.trim(),
      };
    }),
  );
  const processes = bed
    .processes()
    .filter((p) => p.running)
    .map((p) => ({ pid: p.pid, argv: p.argv }));
  return { prefix: bed.prefix, runDir: bed.runDir, netns, processes };
}
