import {
  createVirtualHost,
  echoRoundTrip,
  integrationSuite,
  type Netns,
  startEchoPeer,
  type TrackedProcess,
  type VirtualHost,
} from '@patchpanel/testbed';
import {
  buildPortRuleSet,
  createFirewall,
  type Firewall,
  type FirewallBackendKind,
  selectFirewallStore,
} from '../../../src/datapath/firewall';
import { base, namespace, silentLog } from '../../support/firewall-fixtures';

/**
 * lan (198.51.100.1) ── eth0 [host 198.51.100.2, FORWARD policy DROP, the firewall] arc_ns0 ── veth0 [inner]
 * The inner namespace is 100.115.92.130/30; the lan has no route to it, so only SNAT brings replies back.
 */
async function exitedWithin(process: TrackedProcess, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([process.exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * With iptables, the built-in chains get policy DROP so that only our rules let anything through. nftables
 * evaluates every table on a hook and a drop in any of them wins, so an accept in ours cannot override another
 * table's DROP: with it, the checks that need a default deny are left out (see the firewall README).
 */
const trafficSuite = (backend: Exclude<FirewallBackendKind, 'fake'>) =>
  integrationSuite(`firewall: traffic through the rules (${backend})`, (ctx) => {
    const denyByDefault = backend === 'iptables';
    let vh: VirtualHost;
    let inner: Netns;
    let firewall: Firewall;
    const innerIp = '100.115.92.130';
    const tcpConnects = (from: Netns, host: string, port: number) =>
      echoRoundTrip(from, { protocol: 'tcp', host, port, payload: 'through', timeoutMs: 1500 }).then(
        (r) => r.reply,
        () => 'failed',
      );

    beforeAll(async () => {
      vh = await createVirtualHost(ctx.bed, {});
      inner = await ctx.bed.netns('inner');
      await ctx.bed.veth(vh.host, 'arc_ns0', inner, 'veth0');
      await vh.host.exec(['ip', 'addr', 'add', '100.115.92.129/30', 'dev', 'arc_ns0']);
      await inner.exec(['ip', 'addr', 'add', `${innerIp}/30`, 'dev', 'veth0']);
      await inner.exec(['ip', 'route', 'add', 'default', 'via', '100.115.92.129']);
      await vh.host.sysctl({ 'net.ipv4.ip_forward': 1 });
      if (denyByDefault) await vh.host.exec(['iptables', '-P', 'FORWARD', 'DROP']);
      firewall = createFirewall({
        store: selectFirewallStore({ kind: backend, netnsPath: vh.host.path }, silentLog),
        log: silentLog,
      });
      await firewall.start(base());
      ctx.bed.onTeardown(() => firewall.stop());
    });

    async function pingSource(): Promise<string | undefined> {
      const capture = await ctx.bed.spawn(
        vh.lan,
        ['tcpdump', '-n', '-l', '-i', vh.lanInterface, '-c', '1', 'icmp[icmptype] == icmp-echo'],
        {
          ready: { stderr: /listening on/ },
        },
      );
      const pinged = await inner.exec(['ping', '-c', '1', '-W', '2', vh.lanIpv4]).then(
        () => true,
        () => false,
      );
      if (pinged) await exitedWithin(capture, 3000); // -c 1: it exits once it has printed the request
      await capture.stop({ graceMs: 1000 });
      const seen = /IP (\S+) > (\S+): ICMP echo request/.exec(capture.output());
      return pinged ? seen?.[1] : undefined;
    }

    test('a ping from the connected namespace reaches the lan from the host address, and not without the owner', async () => {
      expect(await pingSource()).toBeUndefined();
      await firewall.apply(namespace(0));
      expect(await pingSource()).toBe(vh.hostIpv4);
      await firewall.remove(namespace(0).owner);
      expect(await pingSource()).toBeUndefined();
    });

    test('a FORWARDING rule lets a TCP connection from the lan reach a server in the namespace', async () => {
      await startEchoPeer(ctx.bed, inner, { port: 7 });
      await firewall.apply(namespace(0));
      const forward = buildPortRuleSet({
        owner: 'port1',
        rule: {
          type: 'forwarding',
          protocol: 'tcp',
          inputIfname: 'eth0',
          inputDstIp: undefined,
          port: 8022,
          dstIp: innerIp,
          dstPort: 7,
        },
        lockdownExemptUid: undefined,
      });
      expect(await tcpConnects(vh.lan, vh.hostIpv4, 8022)).toBe('failed');
      await firewall.apply(forward);
      expect(await tcpConnects(vh.lan, vh.hostIpv4, 8022)).toBe('through');
      await firewall.remove(forward.owner);
      expect(await tcpConnects(vh.lan, vh.hostIpv4, 8022)).toBe('failed');
      await firewall.remove(namespace(0).owner);
    });

    test('ACCESS opens an input port (behind INPUT policy DROP with iptables); LOCKDOWN rejects another uid on loopback', async () => {
      await startEchoPeer(ctx.bed, vh.host, { port: 9 });
      const rule = (type: 'access' | 'lockdown', owner: string) =>
        buildPortRuleSet({
          owner,
          rule:
            type === 'access'
              ? { type, protocol: 'tcp', port: 9, inputIfname: 'eth0' }
              : { type, protocol: 'tcp', port: 9 },
          lockdownExemptUid: 1000,
        });
      if (denyByDefault) await vh.host.exec(['iptables', '-P', 'INPUT', 'DROP']);
      try {
        if (denyByDefault) expect(await tcpConnects(vh.lan, vh.hostIpv4, 9)).toBe('failed');
        await firewall.apply(rule('access', 'port2'));
        expect(await tcpConnects(vh.lan, vh.hostIpv4, 9)).toBe('through');
        await firewall.remove(rule('access', 'port2').owner);
      } finally {
        if (denyByDefault) await vh.host.exec(['iptables', '-P', 'INPUT', 'ACCEPT']);
      }
      expect(await tcpConnects(vh.host, '127.0.0.1', 9)).toBe('through');
      await firewall.apply(rule('lockdown', 'port3'));
      expect(await tcpConnects(vh.host, '127.0.0.1', 9)).toBe('failed'); // we are root, not uid 1000
      await firewall.remove(rule('lockdown', 'port3').owner);
      expect(await tcpConnects(vh.host, '127.0.0.1', 9)).toBe('through');
    });
  });

trafficSuite('iptables');
trafficSuite('nftables');
