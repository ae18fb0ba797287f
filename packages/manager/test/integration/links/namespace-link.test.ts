import { type Container, integrationSuite, type Netns } from '@patchpanel/testbed';
import {
  applyNamespaceLink,
  type NamespaceLinkSpec,
  removeNamespaceLink,
} from '../../../src/datapath/links/namespace-link';
import { Rtnetlink } from '../../../src/datapath/links/rtnetlink';

integrationSuite('namespace links over rtnetlink', (ctx) => {
  let host: Netns;
  let guest: Container;
  let nl: Rtnetlink;
  let spec: NamespaceLinkSpec;

  beforeAll(async () => {
    host = await ctx.bed.netns('host');
    guest = await ctx.bed.container('guest');
    // A socket in the bed's host namespace: the daemon's view, never the machine's root namespace.
    nl = Rtnetlink.open({ path: host.path });
    spec = {
      netns: { pid: guest.pid },
      netnsPath: `/proc/${guest.pid}/ns/net`,
      hostIfname: 'arc_ns0',
      hostMac: '02:00:00:00:0a:01',
      hostAddress: '100.115.92.129',
      peerIfname: 'veth0',
      peerMac: '02:00:00:00:0a:02',
      peerAddress: '100.115.92.130',
      prefixLength: 30,
    };
  });

  afterAll(() => nl.close());

  test('the pair is born across the namespaces, addressed, up, with the guest routed via the host', async () => {
    applyNamespaceLink(nl, spec);
    const hostSide = await host.exec(['ip', '-o', 'addr', 'show', 'dev', 'arc_ns0']);
    expect(hostSide.stdout).toContain('inet 100.115.92.129/30');
    const guestLink = await guest.netns.exec(['ip', '-o', 'link', 'show', 'dev', 'veth0']);
    expect(guestLink.stdout).toContain('link/ether 02:00:00:00:0a:02');
    expect(guestLink.stdout).toMatch(/state UP|LOWER_UP/);
    const route = await guest.netns.exec(['ip', 'route', 'show', 'default']);
    expect(route.stdout.trim()).toBe('default via 100.115.92.129 dev veth0');
    const ping = await guest.netns.exec(['ping', '-c', '1', '-W', '2', '100.115.92.129']);
    expect(ping.stdout).toContain('1 received');
  });

  test('applying twice fails cleanly and leaves the first pair intact', async () => {
    expect(() => applyNamespaceLink(nl, spec)).toThrow(
      expect.objectContaining({ code: 'PP_ERR_NETLINK', errno: 'EEXIST' }),
    );
    const stillThere = await host.exec(['ip', '-o', 'addr', 'show', 'dev', 'arc_ns0']);
    expect(stillThere.stdout).toContain('100.115.92.129/30');
  });

  test('removal takes both ends with their addresses and routes; removing again is a no-op', async () => {
    removeNamespaceLink(nl, spec);
    removeNamespaceLink(nl, spec);
    expect((await host.exec(['ip', '-o', 'link'])).stdout).not.toContain('arc_ns0');
    expect((await guest.netns.exec(['ip', '-o', 'link'])).stdout).not.toContain('veth0');
    expect((await guest.netns.exec(['ip', 'route'])).stdout.trim()).toBe('');
  });

  test('a failure half way leaves nothing behind', async () => {
    const bad = { ...spec, peerAddress: '100.115.92.129', hostAddress: '100.115.92.129', peerIfname: 'lo' };
    expect(() => applyNamespaceLink(nl, bad)).toThrow(expect.objectContaining({ code: 'PP_ERR_NETLINK' }));
    expect((await host.exec(['ip', '-o', 'link'])).stdout).not.toContain('arc_ns0');
  });
});
