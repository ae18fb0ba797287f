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
  hostRules(): Promise<string>;
}

export async function startDaemonHarness(
  ctx: SuiteContext,
  options: { readonly radvd?: boolean } = {},
): Promise<DaemonHarness> {
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
    hostRules: async () => (await vh.host.exec(['iptables-save'])).stdout,
  };
  return harness;
}
