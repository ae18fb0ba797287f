import { closeSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Container,
  createVirtualHost,
  echoRoundTrip,
  integrationSuite,
  type TrackedProcess,
  type VirtualHost,
} from '@patchpanel/testbed';
import { PatchPanelClient } from '../../../src/dbus/client';
import { waitUntil } from '../../support/proc';

const daemonMain = path.resolve(__dirname, '../../../dist/main.js');
const policyFile = path.resolve(__dirname, '../../../../../packaging/dbus/org.chromium.PatchPanel.conf');

integrationSuite('ConnectNamespace end to end', (ctx) => {
  let vh: VirtualHost;
  let busAddress: string;
  let client: PatchPanelClient;
  let daemon: TrackedProcess;
  let netnsPrefix: string;

  async function startDaemon(): Promise<TrackedProcess> {
    const config = path.join(mkdtempSync(path.join(tmpdir(), 'pp-cns-')), 'patchpanel.json');
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
    return ctx.bed.spawn(vh.host, [process.execPath, daemonMain, '--config', config], {
      ready: { stdout: /"msg":"patchpaneld ready"/, timeoutMs: 20_000 },
    });
  }

  const hostLinks = async () => (await vh.host.exec(['ip', '-o', 'link'])).stdout;
  const hostRules = async () => (await vh.host.exec(['iptables-save'])).stdout;

  beforeAll(async () => {
    vh = await createVirtualHost(ctx.bed, { echo: true });
    busAddress = (await ctx.bed.dbus({ policyFile })).address;
    netnsPrefix = `${ctx.bed.prefix}-cns`;
    daemon = await startDaemon();
    client = PatchPanelClient.connect(busAddress);
    ctx.bed.onTeardown(() => client.disconnect());
  });

  afterAll(async () => {
    await daemon.stop({ graceMs: 5000 });
  });

  async function connect(guest: Container) {
    return client.connectNamespace({ pid: guest.pid, trafficSource: 'user' });
  }

  test('a connected namespace reaches the lan through SNAT; the lan has no route back to guests', async () => {
    const guest = await ctx.bed.container('guest1');
    const { connection, lifelineFd } = await connect(guest);
    expect(connection).toMatchObject({
      subnet: { base: '100.115.92.128', prefixLength: 30 },
      hostIfname: 'arc_ns0',
      hostIpv4: '100.115.92.129',
      peerIfname: 'veth0',
      peerIpv4: '100.115.92.130',
    });
    await expect(vh.lan.exec(['ip', 'route', 'get', '100.115.92.130'])).rejects.toThrow(/unreachable/i);
    const ping = await guest.netns.exec(['ping', '-c', '1', '-W', '2', vh.lanIpv4]);
    expect(ping.stdout).toContain('1 received');
    const echo = await echoRoundTrip(guest.netns, { protocol: 'tcp', host: vh.lanIpv4, port: 7 });
    expect(echo.reply).toBe('patchpanel');
    const tracked = await vh.host.exec(['conntrack', '-L', '-p', 'tcp', '--orig-src', '100.115.92.130']);
    expect(tracked.stdout).toContain(`dst=${vh.hostIpv4}`);
    closeSync(lifelineFd);
  });

  test('closing the lifeline removes the veth, rules, netns name and subnet within 100 ms', async () => {
    const guest = await ctx.bed.container('guest2');
    const { connection, lifelineFd } = await connect(guest);
    const host = connection.hostIfname;
    const n = host.replace('arc_ns', '');
    expect(await hostLinks()).toContain(host);
    expect(await hostRules()).toContain(`pp_ns${n}_`);
    closeSync(lifelineFd);
    const elapsed = await waitUntil(
      () => !require('node:fs').existsSync(`/run/netns/${netnsPrefix}${n}`),
      2000,
      'the netns name to go',
    );
    expect(elapsed).toBeLessThan(1000);
    expect(await hostLinks()).not.toContain(host);
    expect(await hostRules()).not.toContain(`pp_ns${n}_`);
    expect((await guest.netns.exec(['ip', '-o', 'link'])).stdout).not.toContain(connection.peerIfname);
    // The subnet went back to the pool: the next connection gets the lowest free one again.
    const again = await connect(guest);
    expect(again.connection.subnet.base).toBe('100.115.92.128');
    expect(again.connection.hostIfname).not.toBe(host); // names are never reused within a run
    closeSync(again.lifelineFd);
  });
});
