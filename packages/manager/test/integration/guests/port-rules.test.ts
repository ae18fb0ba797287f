import { closeSync } from 'node:fs';
import { echoRoundTrip, integrationSuite, type Netns, startEchoPeer } from '@patchpanel/testbed';
import type { PortRule } from '../../../src/api/patchpanel-api';
import {
  encodeConnectNamespaceRequest,
  encodeModifyPortRuleRequest,
} from '../../../src/dbus/request-encoders';
import { type DaemonHarness, FIREWALL_BACKENDS, startDaemonHarness } from './daemon-harness';

/** Whether a TCP echo from `from` to host:port gets its payload back within a short bound. */
async function tcpReaches(from: Netns, host: string, port: number): Promise<boolean> {
  try {
    const { reply } = await echoRoundTrip(from, { protocol: 'tcp', host, port, timeoutMs: 1500 });
    return reply === 'patchpanel';
  } catch {
    return false;
  }
}

for (const firewall of FIREWALL_BACKENDS)
  integrationSuite(`ModifyPortRule end to end (${firewall})`, (ctx) => {
    let h: DaemonHarness;

    beforeAll(async () => {
      h = await startDaemonHarness(ctx, { firewall });
    });

    afterAll(async () => {
      await h.daemon.stop({ graceMs: 5000 });
    });

    test('FORWARDING: TCP from the lan to the host port reaches a server in a connected namespace', async () => {
      const guest = await ctx.bed.container('server');
      const { connection, lifelineFd } = await h.client.connectNamespace({ pid: guest.pid });
      await startEchoPeer(ctx.bed, guest.netns, { port: 7 });
      const rule: PortRule = {
        type: 'forwarding',
        protocol: 'tcp',
        inputIfname: 'eth0',
        inputDstIp: undefined,
        port: 8080,
        dstIp: connection.peerIpv4,
        dstPort: 7,
      };
      expect(await tcpReaches(h.vh.lan, h.vh.hostIpv4, 8080)).toBe(false);
      await h.client.modifyPortRule('create', rule);
      expect(await tcpReaches(h.vh.lan, h.vh.hostIpv4, 8080)).toBe(true);
      await h.client.modifyPortRule('delete', rule);
      expect(await tcpReaches(h.vh.lan, h.vh.hostIpv4, 8080)).toBe(false);
      closeSync(lifelineFd);
    });

    // With nftables an accept in our table cannot override another table's DROP (every table votes), so the
    // default deny is iptables' INPUT policy only; with nftables the rule is checked in the dump instead.
    test('ACCESS opens an input port that the host otherwise drops; DELETE closes it again', async () => {
      await startEchoPeer(ctx.bed, h.vh.host, { port: 9000 });
      const denyByDefault = firewall === 'iptables';
      if (denyByDefault) await h.vh.host.exec(['iptables', '-w', '-P', 'INPUT', 'DROP']);
      try {
        const rule: PortRule = { type: 'access', protocol: 'tcp', port: 9000, inputIfname: 'eth0' };
        expect(await tcpReaches(h.vh.lan, h.vh.hostIpv4, 9000)).toBe(!denyByDefault);
        await h.client.modifyPortRule('create', rule);
        expect(await tcpReaches(h.vh.lan, h.vh.hostIpv4, 9000)).toBe(true);
        expect(await h.hostRules()).toMatch(/dport 9000.*"pp:port\d+"|"pp:port\d+".*dport 9000/);
        await h.client.modifyPortRule('delete', rule);
        expect(await tcpReaches(h.vh.lan, h.vh.hostIpv4, 9000)).toBe(!denyByDefault);
        expect(await h.hostRules()).not.toMatch(/"pp:port\d+"/);
      } finally {
        if (denyByDefault) await h.vh.host.exec(['iptables', '-w', '-P', 'INPUT', 'ACCEPT']);
      }
    });

    test('LOCKDOWN rejects local connections to a loopback port (IPv6 here, both families are ruled); two CREATEs need two DELETEs', async () => {
      await startEchoPeer(ctx.bed, h.vh.host, { port: 9100, host: '::1' });
      const rule: PortRule = { type: 'lockdown', protocol: 'tcp', port: 9100 };
      expect(await tcpReaches(h.vh.host, '::1', 9100)).toBe(true);
      await h.client.modifyPortRule('create', rule);
      await h.client.modifyPortRule('create', rule);
      expect(await tcpReaches(h.vh.host, '::1', 9100)).toBe(false);
      await h.client.modifyPortRule('delete', rule);
      expect(await tcpReaches(h.vh.host, '::1', 9100)).toBe(false);
      await h.client.modifyPortRule('delete', rule);
      expect(await tcpReaches(h.vh.host, '::1', 9100)).toBe(true);
      await expect(h.client.modifyPortRule('delete', rule)).rejects.toMatchObject({
        code: 'PP_ERR_DBUS_REFUSED',
      });
    });

    test('hostile and malformed requests are refused and change nothing in the kernel', async () => {
      const guest = await ctx.bed.container('target');
      const before = [await h.hostLinks(), await h.hostRules()];
      const forward = (over: Partial<Record<string, unknown>>) =>
        encodeModifyPortRuleRequest('create', {
          type: 'forwarding',
          protocol: 'tcp',
          inputIfname: 'eth0',
          inputDstIp: undefined,
          port: 8081,
          dstIp: '100.115.92.130',
          dstPort: 7,
          ...over,
        } as PortRule);
      const hostilePortRules = [
        forward({ inputIfname: 'eth0 -j ACCEPT' }),
        forward({ inputIfname: 'averyveryverylongname0' }),
        forward({ inputIfname: '../etc' }),
        forward({ port: 0 }),
        forward({ port: 65536 }),
        forward({ dstPort: 70000 }),
        forward({ dstIp: '100.115.92.300' }),
        forward({ dstIp: '1.2.3.4; reboot' }),
        forward({ inputIfname: '' }),
        Buffer.from([0xff, 0xff, 0xff, 0xff]),
      ];
      for (const request of hostilePortRules) {
        const response = await h.client.call('ModifyPortRule', request);
        expect([...response]).toEqual([]); // success=false encodes to nothing
      }
      const hostProcess = await ctx.bed.spawn(h.vh.host, ['sleep', 'infinity']);
      for (const pid of [1, h.daemon.pid, 4_000_000, hostProcess.pid]) {
        const response = await h.client.call('ConnectNamespace', encodeConnectNamespaceRequest({ pid }), 0);
        expect([...response]).toEqual([]);
      }
      const unknownDevice = encodeConnectNamespaceRequest({ pid: guest.pid, outboundPhysicalDevice: 'eth9' });
      expect([...(await h.client.call('ConnectNamespace', unknownDevice, 0))]).toEqual([]);
      expect([await h.hostLinks(), await h.hostRules()]).toEqual(before);
    });
  });
