import { closeSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import {
  type AvahiBrowseResult,
  avahiBrowse,
  type Container,
  integrationSuite,
  type PrivateBus,
  sendUdp,
  ssdpSearch,
  startAvahi,
  startSsdpResponder,
  startUdpListener,
  waitUntil,
} from '@patchpanel/testbed';
import { helperCatalog } from '../../../src/helpers/helper-catalog';
import { nodeProcessRunning } from '../../support/proc';
import { type DaemonHarness, startDaemonHarness } from './daemon-harness';

const mcastEntry = helperCatalog().find((spec) => spec.name === 'mcast-helper')!.entry;
const LAN = '198.51.100.1';
const HOST = '198.51.100.2';
const SSDP_GROUP = '239.255.255.250';

/** The daemon logged that the multicast helper died, and later that a new one received the state. */
function inSyncAfterDeath(output: string): boolean {
  const events = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; helper?: string })
    .filter((line) => line.helper === 'mcast-helper')
    .map((line) => line.msg);
  const died = events.lastIndexOf('helper died');
  return died >= 0 && events.indexOf('helper in sync', died) > died;
}

integrationSuite('mDNS, SSDP and broadcast for connected namespaces', (ctx) => {
  let h: DaemonHarness;
  let lanBus: PrivateBus;
  const leases: number[] = [];

  beforeAll(async () => {
    h = await startDaemonHarness(ctx);
    lanBus = await ctx.bed.dbus();
    await h.vh.startAvahi({
      hostName: 'pp-lan',
      bus: lanBus,
      services: [{ name: 'lan printer', type: '_ipp._tcp', port: 631 }],
    });
    await startSsdpResponder(ctx.bed, h.vh.lan, {
      interface: 'lan0',
      location: `http://${LAN}:8080/desc.xml`,
    });
  });

  afterAll(async () => {
    for (const fd of leases) closeSync(fd);
    await h.daemon.stop({ graceMs: 5000 });
  });

  async function connect(name: string): Promise<{ guest: Container; ifname: string; address: string }> {
    const guest = await ctx.bed.container(name);
    const { connection, lifelineFd } = await h.client.connectNamespace({ pid: guest.pid });
    leases.push(lifelineFd);
    return { guest, ifname: connection.peerIfname, address: connection.peerIpv4 };
  }

  test('avahi in a guest resolves a lan service; the lan resolves the guest’s at the host’s address', async () => {
    const { guest, ifname, address } = await connect('mdns-guest');
    const guestBus = await ctx.bed.dbus();
    await startAvahi(ctx.bed, guest.netns, { hostName: 'pp-guest', interfaces: [ifname], bus: guestBus }, [
      { name: 'guest web', type: '_http._tcp', port: 8080 },
    ]);
    // avahi-browse resolves an entry browsed over IPv4 to an A or an AAAA record, whichever it has first:
    // browse again until the A record is the one shown.
    const viaA = (name: string) => (r: AvahiBrowseResult) =>
      r.name === name && r.protocol === 'IPv4' && isIPv4(r.address);
    const printers = await avahiBrowse(guest.netns, guestBus, '_ipp._tcp', {
      timeoutMs: 20_000,
      waitFor: viaA('lan printer'),
    });
    expect(printers.find(viaA('lan printer'))).toMatchObject({
      host: 'pp-lan.local',
      address: LAN,
      port: 631,
    });
    // The guest answers with its own address; the lan must see the host's (the A-record rewrite).
    const web = await avahiBrowse(h.vh.lan, lanBus, '_http._tcp', {
      timeoutMs: 20_000,
      waitFor: viaA('guest web'),
    });
    const resolved = web.filter(viaA('guest web'));
    expect(resolved.map((r) => r.address)).toContain(HOST);
    expect(resolved.map((r) => r.address)).not.toContain(address);
  });

  test('an SSDP M-SEARCH from a guest gets the lan responder’s unicast answer', async () => {
    const { guest, ifname } = await connect('ssdp-guest');
    const { responses } = await ssdpSearch(guest.netns, { interface: ifname, timeoutMs: 3000 });
    expect(responses.map((r) => r.from)).toContain(`${LAN}:1900`);
    expect(responses.find((r) => r.from === `${LAN}:1900`)?.headers.LOCATION).toBe(
      `http://${LAN}:8080/desc.xml`,
    );
  });

  test('broadcasts: lan → guest with the lan source, guest → lan from the host’s address', async () => {
    const { guest, ifname } = await connect('bcast-guest');
    const inGuest = await startUdpListener(ctx.bed, guest.netns, { port: 9999 });
    const inLan = await startUdpListener(ctx.bed, h.vh.lan, { port: 9998 });
    const lanPayload = 'lan broadcast';
    await sendUdp(h.vh.lan, {
      to: '255.255.255.255',
      port: 9999,
      payload: lanPayload,
      broadcast: true,
      sourcePort: 5000,
      interface: 'lan0',
    });
    await sendUdp(guest.netns, {
      to: '255.255.255.255',
      port: 9998,
      payload: 'guest broadcast',
      broadcast: true,
      sourcePort: 40000,
      interface: ifname,
    });
    expect(await inGuest.waitForDatagrams(1)).toEqual([{ from: `${LAN}:5000`, payload: lanPayload }]);
    expect(await inLan.waitForDatagrams(1)).toEqual([{ from: `${HOST}:40000`, payload: 'guest broadcast' }]);
  });

  test('two guests, 10 s of traffic: each datagram reaches each receiver once', async () => {
    const [a, b] = [await connect('storm-a'), await connect('storm-b')];
    const listen = (ns: Container['netns'], ifname: string) =>
      startUdpListener(ctx.bed, ns, { port: 1900, group: { address: SSDP_GROUP, interface: ifname } });
    const [inA, inB, inLan] = [
      await listen(a.guest.netns, a.ifname),
      await listen(b.guest.netns, b.ifname),
      await listen(h.vh.lan, 'lan0'),
    ];
    const count = 25;
    await Promise.all([
      sendUdp(h.vh.lan, {
        to: SSDP_GROUP,
        port: 1900,
        payload: 'from-lan',
        sourcePort: 1900,
        interface: 'lan0',
        count,
        intervalMs: 400,
      }),
      sendUdp(a.guest.netns, {
        to: SSDP_GROUP,
        port: 1900,
        payload: 'from-a',
        sourcePort: 1900,
        interface: a.ifname,
        count,
        intervalMs: 400,
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const tally = (received: { payload: string }[]) => {
      const counts: Record<string, number> = {};
      for (const { payload } of received) counts[payload] = (counts[payload] ?? 0) + 1;
      return counts;
    };
    // A listener also hears what its own namespace sent (loopback); everything else exactly `count` times.
    expect(tally(inA.received())).toEqual({ 'from-lan': count, 'from-a': count });
    expect(tally(inB.received())).toEqual({ 'from-lan': count, 'from-a': count });
    expect(tally(inLan.received())).toEqual({ 'from-lan': count, 'from-a': count });
  }, 60_000);

  test('a killed multicast helper is replaced and forwarding resumes without a manager action', async () => {
    const { guest, ifname } = await connect('restart-guest');
    const before = nodeProcessRunning(h.daemon.pid, mcastEntry);
    expect(before).toBeDefined();
    process.kill(before!, 'SIGKILL');
    await waitUntil(() => inSyncAfterDeath(h.daemon.output()), 10_000, 'a new multicast helper in sync');
    const { responses } = await ssdpSearch(guest.netns, { interface: ifname, timeoutMs: 3000 });
    expect(responses.map((r) => r.from)).toContain(`${LAN}:1900`);
  });
});
