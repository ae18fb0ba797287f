import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { integrationSuite, type Netns, startRadvd } from '@patchpanel/testbed';

// Run `npx tsc -b packages/ndproxy-helper` first: the daemon runs from dist/ as plain Node.
const NDPROXYD = join(__dirname, '../../dist/ndproxyd.js');
const LAN_IP = '2001:db8:1::1';
const PREFIX = '2001:db8:1::/64';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function globalAddress(ns: Netns, ifname: string): Promise<string | undefined> {
  const { stdout } = await ns.exec(['ip', '-6', '-o', 'addr', 'show', 'dev', ifname, 'scope', 'global']);
  return /inet6 (2001:db8:1:[0-9a-f:]+)\/64/.exec(stdout)?.[1];
}

integrationSuite('ndproxyd between an upstream and a bridge, no manager', (ctx) => {
  test('a guest behind the bridge gets SLAAC from the lan prefix and the lan reaches it', async () => {
    const lan = await ctx.bed.netns('lan');
    const router = await ctx.bed.netns('router');
    const guest = await ctx.bed.netns('guest');
    await lan.sysctl({ 'net.ipv6.conf.all.forwarding': 1 });
    await ctx.bed.veth(lan, 'lan0', router, 'eth0', { aMac: '02:70:70:00:10:01', bMac: '02:70:70:00:10:02' });
    await ctx.bed.veth(router, 'vg0', guest, 'eth0', {
      aMac: '02:70:70:00:10:03',
      bMac: '02:70:70:00:10:04',
    });
    await ctx.bed.bridge(router, 'br0', ['vg0']);
    await lan.exec(['ip', '-6', 'addr', 'add', `${LAN_IP}/64`, 'dev', 'lan0', 'nodad']);

    const daemon = await ctx.bed.spawn(router, [process.execPath, NDPROXYD, 'eth0', 'br0'], {
      ready: { stdout: /"msg":"running"/, timeoutMs: 15_000 },
    });
    await startRadvd(ctx.bed, lan, { interface: 'lan0', prefix: PREFIX, minIntervalS: 3, maxIntervalS: 4 });

    const address = await until('the guest SLAAC address', 30_000, () => globalAddress(guest, 'eth0'));
    expect(address.startsWith('2001:db8:1:')).toBe(true);

    await until('the /128 route on the router', 15_000, async () => {
      const { stdout } = await router.exec(['ip', '-6', 'route', 'show', `${address}/128`]);
      return stdout.includes('dev br0') ? true : undefined;
    });
    await until('ping6 from the lan to the guest', 20_000, async () => {
      await lan.exec(['ping', '-6', '-c1', '-W1', address]);
      return true;
    });
    await guest.exec(['ping', '-6', '-c1', '-W2', LAN_IP]);

    const exit = await daemon.stop({ graceMs: 5_000 });
    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);

  test('it waits for a guest interface that appears late, and exits 1 without arguments', async () => {
    const router = await ctx.bed.netns('late');
    const peer = await ctx.bed.netns('late-peer');
    await ctx.bed.veth(peer, 'up0', router, 'eth0');
    const daemon = await ctx.bed.spawn(router, [process.execPath, NDPROXYD, 'eth0', 'br7']);
    await until('a failed pairing attempt', 10_000, async () =>
      daemon.output().includes('pairing failed, retrying') ? true : undefined,
    );
    await router.exec(['ip', 'link', 'add', 'br7', 'type', 'bridge']);
    await until('the pair', 10_000, async () =>
      daemon.output().includes('"msg":"running"') ? true : undefined,
    );
    expect(await daemon.stop({ graceMs: 5_000 })).toEqual({ code: 0, signal: null });

    const usage = await ctx.bed.spawn(router, [process.execPath, NDPROXYD]);
    expect(await usage.exited).toEqual({ code: 1, signal: null });
  }, 60_000);
});
