import { integrationSuite } from '@patchpanel/testbed';
import { udpBroadcastFilter } from '../../src/bpf/filters';
import { ETH_P_IP } from '../../src/constants';
import { openPacketSocket, type PacketFrame } from '../../src/packet-socket';
import { openRawIpv4Socket } from '../../src/raw-ipv4';
import { ipv4UdpPacket } from '../support/frames';
import { nextMatching } from '../support/wait';

integrationSuite('netio raw IPv4', (ctx) => {
  test('a datagram with a foreign source leaves the chosen device byte for byte', async () => {
    const host = await ctx.bed.netns('raw-host');
    const farA = await ctx.bed.netns('raw-a');
    const farB = await ctx.bed.netns('raw-b');
    await ctx.bed.veth(host, 'brA', farA, 'capA');
    await ctx.bed.veth(host, 'brB', farB, 'capB');
    await host.exec(['ip', 'addr', 'add', '10.9.1.1/24', 'dev', 'brA']);
    await host.exec(['ip', 'addr', 'add', '10.9.2.1/24', 'dev', 'brB']);
    const capture = (netns: typeof farA, device: string) =>
      openPacketSocket({
        mode: 'dgram',
        protocol: ETH_P_IP,
        filter: udpBroadcastFilter(),
        interface: device,
        netns,
      });
    const [captureA, captureB] = [capture(farA, 'capA'), capture(farB, 'capB')];
    const seenOnA: Buffer[] = [];
    captureA.on('frame', (frame) => seenOnA.push(frame.data));

    const packet = ipv4UdpPacket({
      src: '192.0.2.99', // belongs to nobody here: the forwarder keeps the LAN sender's address
      dst: '255.255.255.255',
      srcPort: 40000,
      dstPort: 40001,
      ttl: 7,
      id: 0xbeef,
      payload: Buffer.from('broadcast payload'),
    });
    const raw = openRawIpv4Socket({ device: 'brB', netns: host });
    const onB = nextMatching<PacketFrame>(captureB, 'frame', () => true);
    expect(raw.send(packet)).toBe(packet.length);
    expect((await onB).data).toEqual(packet);

    raw.setDevice('brA');
    const onA = nextMatching<PacketFrame>(captureA, 'frame', () => true);
    raw.send(packet);
    expect((await onA).data).toEqual(packet);
    expect(seenOnA).toHaveLength(1); // the first send did not leak onto A

    raw.close();
    captureA.close();
    captureB.close();
  });
});
