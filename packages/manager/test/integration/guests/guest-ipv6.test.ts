import { closeSync } from 'node:fs';
import { type Container, integrationSuite, type Netns, waitUntil } from '@patchpanel/testbed';
import { helperCatalog } from '../../../src/helpers/helper-catalog';
import { nodeProcessRunning } from '../../support/proc';
import { type DaemonHarness, startDaemonHarness } from './daemon-harness';

const ndproxyEntry = helperCatalog().find((spec) => spec.name === 'ndproxy-helper')!.entry;
const LAN_PREFIX = /^2001:db8:1:0:/;

/** The global IPv6 addresses of `ifname` in `netns` that finished DAD. */
async function globalAddresses(netns: Netns, ifname: string): Promise<string[]> {
  const { stdout } = await netns.exec(['ip', '-j', '-6', 'addr', 'show', 'dev', ifname, 'scope', 'global']);
  // iproute2 ends addr_info with an empty object.
  const [link] = JSON.parse(stdout) as [{ addr_info: { local?: string; tentative?: boolean }[] }?];
  return (link?.addr_info ?? []).flatMap((a) => (a.local && !a.tentative ? [a.local] : []));
}

/** The daemon logged that the ND proxy helper died, and later that a new one received the state. */
function inSyncAfterStop(output: string): boolean {
  const events = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; helper?: string })
    .filter((line) => line.helper === 'ndproxy-helper')
    .map((line) => line.msg);
  const died = events.lastIndexOf('helper died');
  return died >= 0 && events.indexOf('helper in sync', died) > died;
}

async function ping6(from: Netns, to: string): Promise<string> {
  return (await from.exec(['ping', '-6', '-c', '1', '-W', '3', to])).stdout;
}

integrationSuite('IPv6 for connected namespaces through the ND proxy', (ctx) => {
  let h: DaemonHarness;

  beforeAll(async () => {
    h = await startDaemonHarness(ctx, { radvd: true });
  });

  afterAll(async () => {
    await h.daemon.stop({ graceMs: 5000 });
  });

  /** Connects a new container and waits until it configured a SLAAC address from the lan's prefix. */
  async function connectWithSlaac(name: string) {
    const guest: Container = await ctx.bed.container(name);
    const lease = await h.client.connectNamespace({ pid: guest.pid });
    let address = '';
    await waitUntil(
      async () => {
        address = (await globalAddresses(guest.netns, lease.connection.peerIfname))[0] ?? '';
        return LAN_PREFIX.test(address);
      },
      20_000,
      `a SLAAC address on ${name}`,
    );
    return { guest, lease, address };
  }

  const hostRoutes = async () =>
    (await h.vh.host.exec(['ip', '-6', 'route', 'show', 'table', 'main'])).stdout;

  test('a connected namespace gets SLAAC through the proxy, ping6 works both ways, and it all goes with it', async () => {
    const { guest, lease, address } = await connectWithSlaac('v6a');
    const { hostIfname } = lease.connection;
    expect(await ping6(guest.netns, h.vh.lanIpv6)).toContain('1 received');
    await waitUntil(
      async () => (await hostRoutes()).includes(`${address} dev ${hostIfname} proto 112`),
      5000,
      'the /128 route to the guest',
    );
    expect(await ping6(h.vh.lan, address)).toContain('1 received');
    // The proxy's upstream and guest-facing ends take all multicast; accept_ra=2 was already set on eth0.
    expect((await h.vh.host.exec(['ip', 'link', 'show', 'dev', hostIfname])).stdout).toContain('ALLMULTI');
    expect((await h.vh.host.exec(['ip', 'link', 'show', 'dev', 'eth0'])).stdout).toContain('ALLMULTI');
    // The namespace's FORWARD accepts hold for IPv6 too (nftables: one inet table for both families).
    expect(await h.hostRules()).toContain(`oifname "${hostIfname}"`);
    // The guest-facing interface gets the EUI-64 address of the prefix the RA announced.
    await waitUntil(
      async () => (await globalAddresses(h.vh.host, hostIfname)).some((a) => LAN_PREFIX.test(a)),
      5000,
      `an address of the lan prefix on ${hostIfname}`,
    );

    closeSync(lease.lifelineFd);
    await waitUntil(
      async () => !(await hostRoutes()).includes(address),
      5000,
      'the /128 route to go with the namespace',
    );
    await waitUntil(
      async () => !(await h.vh.host.exec(['ip', 'link', 'show', 'dev', 'eth0'])).stdout.includes('ALLMULTI'),
      5000,
      'ALLMULTI off on eth0 once no guest uses it',
    );
    await waitUntil(
      async () => !(await h.hostRules()).includes(hostIfname),
      5000,
      'the IPv6 forwarding rules to go with the namespace',
    );
  });

  test('a killed ND proxy helper is replaced and the guest keeps its IPv6 both ways', async () => {
    const { guest, lease, address } = await connectWithSlaac('v6b');
    const before = nodeProcessRunning(h.daemon.pid, ndproxyEntry);
    expect(before).toBeDefined();
    process.kill(before!, 'SIGKILL');
    let after: number | undefined;
    await waitUntil(
      () => {
        after = nodeProcessRunning(h.daemon.pid, ndproxyEntry);
        return after !== undefined && after !== before;
      },
      10_000,
      'a new ND proxy helper',
    );
    await waitUntil(() => inSyncAfterStop(h.daemon.output()), 10_000, 'the new helper to be in sync');
    // Cold neighbour caches on both sides: every ping needs the new helper to proxy NS and NA.
    await h.vh.lan.exec(['ip', '-6', 'neigh', 'flush', 'dev', 'lan0']);
    await guest.netns.exec(['ip', '-6', 'neigh', 'flush', 'dev', lease.connection.peerIfname]);
    expect(await ping6(h.vh.lan, address)).toContain('1 received');
    expect(await ping6(guest.netns, h.vh.lanIpv6)).toContain('1 received');
    closeSync(lease.lifelineFd);
  });
});
