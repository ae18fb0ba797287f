import type { RemoteInfo } from 'node:dgram';
import { integrationSuite, type Netns } from '@patchpanel/testbed';
import { ETH_P_IP } from '../../src/constants';
import { openPacketSocket } from '../../src/packet-socket';
import { openUdpSocket, type UdpSocket } from '../../src/udp';
import { sleep } from '../support/wait';

const PORT = 5353;
/** Long enough for a datagram on a veth to arrive many times over. */
const QUIET_MS = 300;

interface Family {
  family: 4 | 6;
  group: string;
  address: (side: 'a' | 'b', end: 1 | 2) => string;
}

const FAMILIES: Family[] = [
  { family: 4, group: '224.0.0.251', address: (side, end) => `10.${side === 'a' ? 1 : 2}.0.${end}/24` },
  { family: 6, group: 'ff02::fb', address: (side, end) => `fd00:${side === 'a' ? 1 : 2}::${end}/64` },
];

/** Collects the text of every datagram a socket receives. */
function inbox(udp: UdpSocket): string[] {
  const received: string[] = [];
  udp.socket.on('message', (message: Buffer, _from: RemoteInfo) => received.push(message.toString()));
  return received;
}

integrationSuite('netio UDP sockets', (ctx) => {
  let host: Netns;
  let sideA: Netns;
  let sideB: Netns;
  const sockets: UdpSocket[] = [];
  const open = (options: Parameters<typeof openUdpSocket>[0]) => {
    const udp = openUdpSocket(options);
    sockets.push(udp);
    return udp;
  };

  beforeAll(async () => {
    host = await ctx.bed.netns('udp-host');
    sideA = await ctx.bed.netns('udp-a');
    sideB = await ctx.bed.netns('udp-b');
    for (const ns of [host, sideA, sideB]) await ns.sysctl({ 'net.ipv6.conf.default.accept_dad': 0 });
    await ctx.bed.veth(host, 'devA', sideA, 'peerA');
    await ctx.bed.veth(host, 'devB', sideB, 'peerB');
    for (const { address } of FAMILIES) {
      await host.exec(['ip', 'addr', 'add', address('a', 1), 'dev', 'devA']);
      await host.exec(['ip', 'addr', 'add', address('b', 1), 'dev', 'devB']);
      await sideA.exec(['ip', 'addr', 'add', address('a', 2), 'dev', 'peerA']);
      await sideB.exec(['ip', 'addr', 'add', address('b', 2), 'dev', 'peerB']);
    }
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((udp) => (udp.closed ? undefined : udp.close())));
  });

  /** Sends one datagram to the group from each side's far end. */
  async function sendFromBothSides({ family, group }: Family, tag: string): Promise<void> {
    const fromA = open({ family, device: 'peerA', netns: sideA });
    const fromB = open({ family, device: 'peerB', netns: sideB });
    fromA.socket.send(`${tag} via A`, PORT, group);
    fromB.socket.send(`${tag} via B`, PORT, group);
    await sleep(QUIET_MS);
  }

  test.each(FAMILIES)(
    'IPv$family: a socket bound to device A never receives what arrives on device B',
    async (f) => {
      const onA = open({ family: f.family, device: 'devA', port: PORT, netns: host });
      const onB = open({ family: f.family, device: 'devB', port: PORT, netns: host });
      onA.joinGroup(f.group, 'devA');
      onB.joinGroup(f.group, 'devB');
      const [receivedA, receivedB] = [inbox(onA), inbox(onB)];
      await sendFromBothSides(f, 'bound');
      expect(receivedA).toEqual(['bound via A']);
      expect(receivedB).toEqual(['bound via B']);
    },
  );

  test.each(FAMILIES)('IPv$family: membership is per ifindex', async (f) => {
    const unbound = open({
      family: f.family,
      port: PORT,
      memberships: [{ group: f.group, interface: 'devA' }],
      netns: host,
    });
    const received = inbox(unbound);
    await sendFromBothSides(f, 'first');
    expect(received).toEqual(['first via A']);

    unbound.joinGroup(f.group, 'devB');
    await sendFromBothSides(f, 'second');
    expect(received.slice(1).sort()).toEqual(['second via A', 'second via B']);

    unbound.leaveGroup(f.group, 'devA');
    await sendFromBothSides(f, 'third');
    expect(received.slice(3)).toEqual(['third via B']);
  });

  test('IPv4: a group another socket joined on B does not leak into a socket joined on A only', async () => {
    const f = FAMILIES[0]!;
    const onlyA = open({
      family: 4,
      port: PORT,
      memberships: [{ group: f.group, interface: 'devA' }],
      netns: host,
    });
    open({ family: 4, port: PORT, memberships: [{ group: f.group, interface: 'devB' }], netns: host });
    const received = inbox(onlyA);
    await sendFromBothSides(f, 'isolated');
    // IP_MULTICAST_ALL is off. (IPv6 matches memberships by group only, whatever the interface: there,
    // device binding is what isolates, as the first test shows.)
    expect(received).toEqual(['isolated via A']);
  });

  test('multicast loop is off by default, and the multicast TTL is applied', async () => {
    const group = '224.0.0.252';
    const capture = openPacketSocket({ mode: 'dgram', protocol: ETH_P_IP, interface: 'peerA', netns: sideA });
    const ttlByPayload = new Map<string, number>();
    capture.on('frame', ({ data }) => {
      if (data[9] === 17) ttlByPayload.set(data.subarray(28).toString(), data[8]!);
    });
    const membership = [{ group, interface: 'devA' }];
    const looped = open({
      family: 4,
      device: 'devA',
      port: 6000,
      memberships: membership,
      multicastLoop: true,
      multicastTtl: 3,
      netns: host,
    });
    const silent = open({ family: 4, device: 'devA', port: 6001, memberships: membership, netns: host });
    const [fromLooped, fromSilent] = [inbox(looped), inbox(silent)];
    looped.socket.send('loop', 6000, group);
    silent.socket.send('no loop', 6001, group);
    await sleep(QUIET_MS);
    capture.close();
    expect(fromLooped).toEqual(['loop']);
    expect(fromSilent).toEqual([]);
    expect(ttlByPayload.get('loop')).toBe(3);
    expect(ttlByPayload.get('no loop')).toBe(1);
    expect(looped.socket.address().port).toBe(6000);
  });
});
