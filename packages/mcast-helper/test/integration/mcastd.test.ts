import { join } from 'node:path';
import {
  integrationSuite,
  sendUdp,
  ssdpSearch,
  startSsdpResponder,
  startUdpListener,
} from '@patchpanel/testbed';

// Run `npx tsc -b packages/mcast-helper` first: the daemon runs from dist/ as plain Node.
const MCASTD = join(__dirname, '../../dist/mcastd.js');

async function until(what: string, timeoutMs: number, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

integrationSuite('mcastd between an upstream and a guest bridge, no manager', (ctx) => {
  test('it waits for the bridge, then mDNS crosses both ways and an M-SEARCH gets its unicast answer', async () => {
    const lan = await ctx.bed.netns('lan');
    const vm = await ctx.bed.netns('vm');
    const guest = await ctx.bed.netns('guest');
    await ctx.bed.veth(lan, 'lan0', vm, 'eth0');
    await lan.exec(['ip', 'addr', 'add', '198.51.100.1/24', 'dev', 'lan0']);
    await vm.exec(['ip', 'addr', 'add', '198.51.100.2/24', 'dev', 'eth0']);
    const daemon = await ctx.bed.spawn(vm, [process.execPath, MCASTD, 'eth0', 'br7']);
    await until('a failed attempt', 10_000, () => daemon.output().includes('guest not added, retrying'));
    await ctx.bed.veth(vm, 'vg0', guest, 'eth0');
    await ctx.bed.bridge(vm, 'br7', ['vg0']);
    await vm.exec(['ip', 'addr', 'add', '100.115.92.193/28', 'dev', 'br7']);
    await guest.exec(['ip', 'addr', 'add', '100.115.92.194/28', 'dev', 'eth0']);
    await until('the forwarders', 15_000, () => daemon.output().includes('"msg":"running"'));

    const mdns = { port: 5353, group: { address: '224.0.0.251' } };
    const inGuest = await startUdpListener(ctx.bed, guest, {
      ...mdns,
      group: { ...mdns.group, interface: 'eth0' },
    });
    const inLan = await startUdpListener(ctx.bed, lan, {
      ...mdns,
      group: { ...mdns.group, interface: 'lan0' },
    });
    const send = (ns: typeof lan, ifname: string, payload: string) =>
      sendUdp(ns, { to: '224.0.0.251', port: 5353, payload, sourcePort: 5353, interface: ifname });
    await send(lan, 'lan0', 'from the lan');
    await send(guest, 'eth0', 'from the guest');
    expect((await inGuest.waitForDatagrams(2)).map((d) => d.payload).sort()).toEqual([
      'from the guest',
      'from the lan',
    ]);
    const fromGuest = (await inLan.waitForDatagrams(2)).find((d) => d.payload === 'from the guest');
    expect(fromGuest?.from).toBe('198.51.100.2:5353');

    await startSsdpResponder(ctx.bed, lan, { interface: 'lan0', location: 'http://198.51.100.1:80/d.xml' });
    const { responses } = await ssdpSearch(guest, { interface: 'eth0', timeoutMs: 2000 });
    expect(responses.map((r) => r.from)).toContain('198.51.100.1:1900');

    const exit = await daemon.stop({ graceMs: 5_000 });
    expect(exit).toEqual({ code: 0, signal: null });
    const stopped = daemon
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"stopped"'));
    expect(stopped).toMatch(/"ssdp":\{[^}]*"reply-to-guest":1/);
  }, 60_000);

  test('exit 1 without arguments, and for a name that is not an interface name', async () => {
    const ns = await ctx.bed.netns('args');
    const usage = await ctx.bed.spawn(ns, [process.execPath, MCASTD, 'eth0']);
    expect(await usage.exited).toEqual({ code: 1, signal: null });
    const hostile = await ctx.bed.spawn(ns, [process.execPath, MCASTD, 'eth0', 'eth0 -j ACCEPT']);
    expect(await hostile.exited).toEqual({ code: 1, signal: null });
    expect(hostile.output()).toContain('PP_ERR_MCAST_INVALID_ARGUMENT');
  });
});
