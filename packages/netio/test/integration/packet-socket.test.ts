import { integrationSuite } from '@patchpanel/testbed';
import { neighborDiscoveryFilter } from '../../src/bpf/filters';
import { ETH_P_ALL, ETH_P_IPV6, PacketType } from '../../src/constants';
import { formatMac } from '../../src/mac';
import { openPacketSocket, type PacketFrame, type PacketSocket } from '../../src/packet-socket';
import { openUdpSocket } from '../../src/udp';
import { ipv6Bytes, neighborAdvertisementFrame } from '../support/frames';
import { eventually, nextMatching } from '../support/wait';

const HOST_MAC = '02:00:00:00:01:0a';
const PEER_MAC = '02:00:00:00:01:0b';
const PEER_IP = '2001:db8::b';
/** Owned by nobody: only a proxy answering for it makes it reachable. */
const PROXIED_IP = '2001:db8::77';

const isSolicitationFor = (target: string) => (frame: PacketFrame) =>
  frame.data.length >= 78 && frame.data[54] === 135 && frame.data.subarray(62, 78).equals(ipv6Bytes(target));

integrationSuite('netio packet sockets', (ctx) => {
  const sockets: PacketSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) if (!socket.closed) socket.close();
  });
  const track = (socket: PacketSocket) => {
    sockets.push(socket);
    return socket;
  };

  test('receives an NS for an address nobody owns, and an NA sent back makes it REACHABLE', async () => {
    const host = await ctx.bed.netns('nd-host');
    const peer = await ctx.bed.netns('nd-peer');
    await ctx.bed.veth(host, 'gw0', peer, 'eth0', { aMac: HOST_MAC, bMac: PEER_MAC });
    await peer.exec(['ip', 'addr', 'add', `${PEER_IP}/64`, 'dev', 'eth0', 'nodad']);
    const proxy = track(
      openPacketSocket({
        protocol: ETH_P_IPV6,
        filter: neighborDiscoveryFilter(),
        interface: 'gw0',
        netns: host,
      }),
    );
    const solicitation = nextMatching(proxy, 'frame', isSolicitationFor(PROXIED_IP));

    // Any datagram to the proxied address makes the peer resolve it.
    const sender = openUdpSocket({ family: 6, netns: peer });
    sender.socket.send('resolve me', 9, PROXIED_IP);
    const frame = await solicitation;
    await sender.close();

    expect(frame.ifindex).toBe(proxy.ifindex);
    expect(frame.packetType).toBe(PacketType.Multicast);
    expect(frame.protocol).toBe(ETH_P_IPV6);
    expect(formatMac(frame.srcMac)).toBe(PEER_MAC);
    const data = frame.data;
    expect(formatMac(data.subarray(0, 6))).toBe('33:33:ff:00:00:77'); // full Ethernet header
    expect(formatMac(data.subarray(6, 12))).toBe(PEER_MAC);
    expect(data.readUInt16BE(12)).toBe(ETH_P_IPV6);
    expect(data[14]! >> 4).toBe(6); // full IPv6 header
    expect(data[21]).toBe(255); // hop limit
    expect(data.subarray(22, 38)).toEqual(ipv6Bytes(PEER_IP));
    expect(data.subarray(38, 54)).toEqual(ipv6Bytes('ff02::1:ff00:77'));

    const advertisement = neighborAdvertisementFrame({
      srcMac: HOST_MAC,
      dstMac: frame.srcMac,
      dstIp: PEER_IP,
      target: PROXIED_IP,
    });
    expect(proxy.send(advertisement)).toBe(advertisement.length);
    await eventually(async () => {
      const { stdout } = await peer.exec(['ip', '-6', 'neigh', 'show', PROXIED_IP, 'dev', 'eth0']);
      return stdout.includes(`lladdr ${HOST_MAC}`) && stdout.includes('REACHABLE');
    });
  });

  test('bound to all interfaces: reports the ingress ifindex, and marks our own frames as outgoing', async () => {
    const a = await ctx.bed.netns('all-a');
    const b = await ctx.bed.netns('all-b');
    await ctx.bed.veth(a, 'x0', b, 'x1');
    await ctx.bed.veth(a, 'y0', b, 'y1');
    const ethertype = 0x88b5; // IEEE local experimental
    const everywhere = track(openPacketSocket({ protocol: ETH_P_ALL, netns: b }));
    const receiver = track(openPacketSocket({ protocol: ethertype, netns: b }));
    const sender = track(openPacketSocket({ protocol: ethertype, interface: 'y0', netns: a }));
    expect(receiver.ifindex).toBe(0);

    const frame = Buffer.alloc(60);
    frame.fill(0xff, 0, 6);
    frame.writeUInt16BE(ethertype, 12);
    frame.write('netio', 14);
    const received = nextMatching<PacketFrame>(receiver, 'frame', () => true);
    sender.send(frame);
    const got = await received;
    const { stdout } = await b.exec(['cat', '/sys/class/net/y1/ifindex']);
    expect(got.ifindex).toBe(Number(stdout.trim()));
    expect(got.packetType).toBe(PacketType.Broadcast);
    expect(got.data).toEqual(frame);

    // A frame b itself sends is seen by b's other packet sockets as Outgoing.
    const own = nextMatching<PacketFrame>(everywhere, 'frame', (f) => f.packetType === PacketType.Outgoing);
    receiver.send(frame, { ifindex: got.ifindex });
    expect((await own).data.subarray(14, 19).toString()).toBe('netio');
    expect(receiver.stats()).toEqual({ packets: 1, drops: 0, truncated: 0 });
  });

  test('dgram mode strips the link header on receive and builds it on send', async () => {
    const a = await ctx.bed.netns('dg-a');
    const b = await ctx.bed.netns('dg-b');
    await ctx.bed.veth(a, 'd0', b, 'd1', { bMac: PEER_MAC });
    const ethertype = 0x88b6;
    const receiver = track(
      openPacketSocket({ mode: 'dgram', protocol: ethertype, interface: 'd1', netns: b }),
    );
    const sender = track(openPacketSocket({ mode: 'dgram', protocol: ethertype, interface: 'd0', netns: a }));
    const payload = Buffer.from('network layer only');
    const received = nextMatching<PacketFrame>(receiver, 'frame', () => true);
    expect(sender.send(payload, { mac: PEER_MAC })).toBe(payload.length);
    const got = await received;
    expect(got.data).toEqual(payload);
    expect(got.protocol).toBe(ethertype);
    expect(got.packetType).toBe(PacketType.Host);
  });
});
