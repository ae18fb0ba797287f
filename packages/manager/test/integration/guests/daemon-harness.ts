import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SuiteContext, TrackedProcess, VirtualHost } from '@patchpanel/testbed';
import { createVirtualHost } from '@patchpanel/testbed';
import { PatchPanelClient } from '../../../src/dbus/client';

const daemonMain = path.resolve(__dirname, '../../../dist/main.js');
const policyFile = path.resolve(__dirname, '../../../../../packaging/dbus/org.chromium.PatchPanel.conf');

/** A virtual host with the real daemon (bwrap jail) in its host namespace, a private bus and a client. */
export interface DaemonHarness {
  readonly vh: VirtualHost;
  readonly busAddress: string;
  readonly client: PatchPanelClient;
  readonly netnsPrefix: string;
  daemon: TrackedProcess;
  /** Starts another daemon process with the same configuration (after the previous one died). */
  restart(): Promise<TrackedProcess>;
  hostLinks(): Promise<string>;
  /**
   * The firewall as its backend prints it (iptables-save without comments and counters, or nft list ruleset);
   * every rule of the daemon carries "pp:<owner>".
   */
  hostRules(): Promise<string>;
}

export type FirewallBackendName = 'iptables' | 'nftables';

/** The daemon's firewall backends, for suites that run once per backend. */
export const FIREWALL_BACKENDS: readonly FirewallBackendName[] = ['iptables', 'nftables'];

export async function startDaemonHarness(
  ctx: SuiteContext,
  options: { readonly radvd?: boolean; readonly firewall?: FirewallBackendName } = {},
): Promise<DaemonHarness> {
  const firewall = options.firewall ?? 'nftables';
  const vh = await createVirtualHost(ctx.bed, { echo: true, radvd: options.radvd });
  const busAddress = (await ctx.bed.dbus({ policyFile })).address;
  const netnsPrefix = `${ctx.bed.prefix}-cns`;
  const config = path.join(mkdtempSync(path.join(tmpdir(), 'pp-harness-')), 'patchpanel.json');
  writeFileSync(
    config,
    JSON.stringify({
      busAddress,
      jail: 'bwrap',
      helperUser: '65534:65534',
      devices: { backend: 'netlink' },
      connectedNamespaces: { netnsPrefix },
      firewall: { backend: firewall },
    }),
  );
  const start = () =>
    ctx.bed.spawn(vh.host, [process.execPath, daemonMain, '--config', config], {
      ready: { stdout: /"msg":"patchpaneld ready"/, timeoutMs: 20_000 },
    });
  const client = PatchPanelClient.connect(busAddress);
  ctx.bed.onTeardown(() => client.disconnect());
  const harness: DaemonHarness = {
    vh,
    busAddress,
    client,
    netnsPrefix,
    daemon: await start(),
    async restart() {
      harness.daemon = await start();
      return harness.daemon;
    },
    hostLinks: async () => (await vh.host.exec(['ip', '-o', 'link'])).stdout,
    hostRules: async () => {
      if (firewall === 'nftables') return (await vh.host.exec(['nft', 'list', 'ruleset'])).stdout;
      const dumps = await Promise.all(
        ['iptables-save', 'ip6tables-save'].map((tool) => vh.host.exec([tool])),
      );
      // Without the dated comments and the packet counters, so two dumps compare by rules only.
      return dumps
        .flatMap((dump) => dump.stdout.split('\n'))
        .filter((line) => !line.startsWith('#'))
        .map((line) => line.replace(/\[\d+:\d+\]/g, '[0:0]'))
        .join('\n');
    },
  };
  return harness;
}
