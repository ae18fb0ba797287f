import { integrationSuite } from '@patchpanel/testbed';
import { formatMac } from '../../src/mac';
import { createTap, deleteTap, openTap, type TapDevice } from '../../src/tap';
import { ETHERTYPE_IPV4, ethernet, internetChecksum, ipv4Bytes } from '../support/frames';
import { nextMatching } from '../support/wait';

const VM_MAC = '02:00:00:00:77:01';
const PEER_MAC = '02:00:00:00:77:02';
const VM_IP = '10.77.0.9';
const PEER_IP = '10.77.0.2';
const ETHERTYPE_ARP = 0x0806;

interface LinkDetails {
  info_kind: string;
  info_data: {
    type: string;
    pi: boolean;
    vnet_hdr: boolean;
    persist: boolean;
    user?: string | number;
    group?: string | number;
  };
}

function arpRequest(): Buffer {
  const arp = Buffer.alloc(28);
  arp.writeUInt16BE(1, 0); // Ethernet
  arp.writeUInt16BE(ETHERTYPE_IPV4, 2);
  arp[4] = 6;
  arp[5] = 4;
  arp.writeUInt16BE(1, 6); // request
  Buffer.from(VM_MAC.replaceAll(':', ''), 'hex').copy(arp, 8);
  ipv4Bytes(VM_IP).copy(arp, 14);
  ipv4Bytes(PEER_IP).copy(arp, 24);
  return ethernet('ff:ff:ff:ff:ff:ff', VM_MAC, ETHERTYPE_ARP, arp);
}

function echoRequest(dstMac: string): Buffer {
  const icmp = Buffer.concat([Buffer.from([8, 0, 0, 0, 0x12, 0x34, 0, 1]), Buffer.from('vm ping')]);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + icmp.length, 2);
  header[8] = 64;
  header[9] = 1; // ICMP
  ipv4Bytes(VM_IP).copy(header, 12);
  ipv4Bytes(PEER_IP).copy(header, 16);
  header.writeUInt16BE(internetChecksum(header), 10);
  return ethernet(dstMac, VM_MAC, ETHERTYPE_IPV4, Buffer.concat([header, icmp]));
}

integrationSuite('netio TAP devices', (ctx) => {
  test('creates a persistent TAP from a template with owner, group and vnet_hdr, and deletes it', async () => {
    const host = await ctx.bed.netns('tap-make');
    const name = createTap({ name: 'vmtap%d', owner: 1000, group: 1000, vnetHdr: true, netns: host });
    expect(name).toBe('vmtap0');
    expect(createTap({ name: 'vmtap%d', netns: host })).toBe('vmtap1');
    const { stdout } = await host.exec(['ip', '-d', '-j', 'link', 'show', name]);
    const [link] = JSON.parse(stdout) as { linkinfo: LinkDetails }[];
    expect(link!.linkinfo.info_kind).toBe('tun');
    expect(link!.linkinfo.info_data).toMatchObject({ type: 'tap', pi: false, vnet_hdr: true, persist: true });
    expect(link!.linkinfo.info_data.user).toBeDefined();
    expect(link!.linkinfo.info_data.group).toBeDefined();
    expect(() => createTap({ name, netns: host })).toThrow(expect.objectContaining({ errnoName: 'EBUSY' }));

    deleteTap(name, { netns: host });
    deleteTap('vmtap1', { netns: host });
    await expect(host.exec(['ip', 'link', 'show', name])).rejects.toThrow();
    expect(() => deleteTap(name, { netns: host })).toThrow(expect.objectContaining({ errnoName: 'ENODEV' }));
  });

  test('a TAP opened as a guest exchanges ARP and ICMP echo with a namespace behind a bridge', async () => {
    const host = await ctx.bed.netns('tap-host');
    const peer = await ctx.bed.netns('tap-peer');
    await ctx.bed.veth(host, 'v0', peer, 'eth0', { bMac: PEER_MAC });
    await peer.exec(['ip', 'addr', 'add', `${PEER_IP}/24`, 'dev', 'eth0']);
    createTap({ name: 'vm0', vnetHdr: true, netns: host });
    const vm: TapDevice = openTap('vm0', { vnetHdr: true, netns: host });
    await ctx.bed.bridge(host, 'br0', ['v0', 'vm0']);
    try {
      const arpReply = nextMatching<Buffer>(
        vm,
        'frame',
        (f) => f.readUInt16BE(12) === ETHERTYPE_ARP && f.readUInt16BE(20) === 2,
      );
      expect(vm.write(arpRequest())).toBe(42);
      const reply = await arpReply;
      expect(formatMac(reply.subarray(0, 6))).toBe(VM_MAC);
      expect(formatMac(reply.subarray(22, 28))).toBe(PEER_MAC); // sender hardware address
      expect(reply.subarray(28, 32)).toEqual(ipv4Bytes(PEER_IP));

      const echoReply = nextMatching<Buffer>(
        vm,
        'frame',
        (f) => f.readUInt16BE(12) === ETHERTYPE_IPV4 && f[23] === 1 && f[34] === 0,
      );
      vm.write(echoRequest(PEER_MAC));
      const echo = await echoReply;
      expect(echo.subarray(26, 30)).toEqual(ipv4Bytes(PEER_IP));
      expect(echo.subarray(42).toString()).toBe('vm ping');
    } finally {
      vm.close();
    }
    expect(() => vm.write(arpRequest())).toThrow(expect.objectContaining({ code: 'PP_ERR_NETIO_CLOSED' }));
    deleteTap('vm0', { netns: host });
  });

  test('a TAP created by opening disappears when closed; a missing one cannot be opened', async () => {
    const host = await ctx.bed.netns('tap-own');
    const vm = openTap('guest0', { create: true, netns: host });
    await host.exec(['ip', 'link', 'show', 'guest0']);
    vm.close();
    await expect(host.exec(['ip', 'link', 'show', 'guest0'])).rejects.toThrow();
    expect(() => openTap('guest0', { netns: host })).toThrow(
      expect.objectContaining({ errnoName: 'ENODEV' }),
    );
  });
});
