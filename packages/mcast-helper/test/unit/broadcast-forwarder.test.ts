import {
  flush,
  GUEST_A,
  GUEST_B,
  rig,
  rigWithGuests,
  syscallError,
  UPSTREAM,
} from './broadcast-forwarder-fakes';
import {
  buildPacket,
  headerSum,
  ip,
  ipNumber,
  LAN_BROADCAST,
  LAN_SENDER,
  LIMITED,
  udpSum,
} from './broadcast-packets';

const bytes = (packet: Uint8Array, from: number, to: number) => [...packet.subarray(from, to)];

describe('BroadcastForwarder: LAN to guests', () => {
  test('listeners filter on the directed broadcast of their own interface', () => {
    const { io } = rigWithGuests();
    expect(io.open(UPSTREAM).directedBroadcast).toBe(ipNumber('192.168.1.255'));
    expect(io.open(GUEST_A.name).directedBroadcast).toBe(ipNumber(GUEST_A.broadcast));
    expect(io.open(GUEST_B.name).directedBroadcast).toBe(ipNumber(GUEST_B.broadcast));
  });

  test('a limited broadcast reaches every guest unchanged, source and ports kept', () => {
    const { io, counters } = rigWithGuests();
    const packet = buildPacket({ sourcePort: 5000, destinationPort: 9999, ttl: 3 });
    io.open(UPSTREAM).deliver(packet);
    expect(io.raw.map((s) => s.device)).toEqual([GUEST_A.name, GUEST_B.name]);
    for (const { packet: copy } of io.raw) expect([...copy]).toEqual([...packet]);
    expect(counters.snapshot()['lan-to-guest']).toBe(2);
    expect(io.udp).toEqual([]);
  });

  test("a directed broadcast is readdressed to each guest's own broadcast, checksums valid", () => {
    const { io } = rigWithGuests();
    io.open(UPSTREAM).deliver(buildPacket({ destination: LAN_BROADCAST, payload: [7, 7, 7] }));
    const [a, b] = io.raw;
    expect(bytes(a!.packet, 16, 20)).toEqual(ip(GUEST_A.broadcast));
    expect(bytes(b!.packet, 16, 20)).toEqual(ip(GUEST_B.broadcast));
    for (const { packet } of io.raw) {
      expect(bytes(packet, 12, 16)).toEqual(LAN_SENDER);
      expect(headerSum(packet)).toBe(0xffff);
      expect(udpSum(packet)).toBe(0xffff);
    }
  });

  test("the host's own packets are dropped: outgoing ones and those from the LAN address", () => {
    const { io, counters } = rigWithGuests();
    io.open(UPSTREAM).deliver(buildPacket(), true);
    io.open(UPSTREAM).deliver(buildPacket({ source: ip('192.168.1.2') }));
    expect(io.raw).toEqual([]);
    expect(counters.snapshot()).toMatchObject({ 'drop:outgoing': 1, 'drop:own-address': 1 });
  });

  test('packets the core rejects are counted under its reason', () => {
    const { io, counters } = rigWithGuests();
    io.open(UPSTREAM).deliver(buildPacket({ sourcePort: 68 }));
    io.open(UPSTREAM).deliver(buildPacket({ destination: ip('192.168.2.255') }));
    io.open(UPSTREAM).deliver(Uint8Array.of(0x45, 0));
    expect(io.raw).toEqual([]);
    expect(counters.snapshot()).toEqual({
      'drop:low-source-port': 1,
      'drop:not-broadcast': 1,
      'drop:truncated-header': 1,
    });
  });

  test('a LAN without an address accepts limited broadcasts only', () => {
    const { io, counters } = rigWithGuests({ lan: undefined });
    expect(io.open(UPSTREAM).directedBroadcast).toBeUndefined();
    io.open(UPSTREAM).deliver(buildPacket());
    io.open(UPSTREAM).deliver(buildPacket({ destination: LAN_BROADCAST }));
    expect(io.raw).toHaveLength(2);
    expect(counters.snapshot()['drop:not-broadcast']).toBe(1);
  });

  test('a guest without an address is skipped; one whose /31 has no broadcast gets limited ones only', () => {
    const r = rig();
    r.forwarder.addGuest('bare0');
    r.io.setAddress('p2p0', '100.115.92.20/31');
    r.forwarder.addGuest('p2p0');
    r.io.open(UPSTREAM).deliver(buildPacket());
    r.io.open(UPSTREAM).deliver(buildPacket({ destination: LAN_BROADCAST }));
    expect(r.io.raw.map((s) => s.device)).toEqual(['p2p0']);
    expect(r.counters.snapshot()).toMatchObject({
      'lan-to-guest': 1,
      'drop:guest-without-address': 2,
      'drop:guest-without-broadcast': 1,
    });
  });
});

describe('BroadcastForwarder: guests to the LAN', () => {
  const fromGuest = (spec: Parameters<typeof buildPacket>[0] = {}) =>
    buildPacket({ source: ip(GUEST_A.guest), sourcePort: 40000, destinationPort: 9999, ...spec });

  test('a limited broadcast leaves the LAN as its payload to 255.255.255.255 from the same port', async () => {
    const { io, counters } = rigWithGuests();
    io.open(GUEST_A.name).deliver(fromGuest({ payload: [1, 2, 3] }));
    expect(io.udp).toEqual([
      {
        device: UPSTREAM,
        datagram: {
          sourcePort: 40000,
          destination: 0xffffffff,
          destinationPort: 9999,
          payload: Uint8Array.of(1, 2, 3),
        },
      },
    ]);
    await flush();
    expect(counters.snapshot()['guest-to-lan']).toBe(1);
  });

  test("a directed broadcast goes to the LAN's directed broadcast", () => {
    const { io } = rigWithGuests();
    io.open(GUEST_B.name).deliver(
      buildPacket({ source: ip(GUEST_B.guest), destination: ip(GUEST_B.broadcast), sourcePort: 2000 }),
    );
    expect(io.udp[0]!.datagram).toMatchObject({ destination: ipNumber('192.168.1.255'), sourcePort: 2000 });
  });

  test('without a LAN address a directed broadcast is dropped, a limited one still goes', async () => {
    const { io, counters } = rigWithGuests({ lan: undefined });
    io.open(GUEST_A.name).deliver(fromGuest({ destination: ip(GUEST_A.broadcast) }));
    io.open(GUEST_A.name).deliver(fromGuest({ destination: LIMITED }));
    expect(io.udp.map((s) => s.datagram.destination)).toEqual([0xffffffff]);
    await flush();
    expect(counters.snapshot()).toEqual({ 'drop:no-lan-broadcast': 1, 'guest-to-lan': 1 });
  });

  test('outgoing packets, the bridge address and foreign sources (our injected copies) stay', () => {
    const { io, counters } = rigWithGuests();
    const listener = io.open(GUEST_A.name);
    listener.deliver(fromGuest(), true);
    listener.deliver(fromGuest({ source: ip('100.115.92.5') }));
    listener.deliver(fromGuest({ source: LAN_SENDER }));
    expect(io.udp).toEqual([]);
    expect(counters.snapshot()).toEqual({
      'drop:outgoing': 1,
      'drop:own-address': 1,
      'drop:outside-guest-subnet': 1,
    });
  });

  test('never guest to guest: a guest broadcast produces no raw copy at all', () => {
    const { io } = rigWithGuests();
    io.open(GUEST_A.name).deliver(fromGuest());
    io.open(GUEST_A.name).deliver(fromGuest({ destination: ip(GUEST_A.broadcast) }));
    expect(io.raw).toEqual([]);
    expect(io.udp.map((s) => s.device)).toEqual([UPSTREAM, UPSTREAM]);
  });

  test('a guest that has no address yet forwards nothing', () => {
    const r = rig();
    r.forwarder.addGuest('bare0');
    r.io.open('bare0').deliver(fromGuest());
    expect(r.io.udp).toEqual([]);
    expect(r.counters.snapshot()['drop:guest-without-address']).toBe(1);
  });
});

describe('BroadcastForwarder: send failures', () => {
  test('a failing guest is counted and the others still get their copy; ENETDOWN is not logged', () => {
    const { io, counters, lines } = rigWithGuests();
    io.failRaw = (device) => (device === GUEST_A.name ? syscallError('ENETDOWN') : undefined);
    io.open(UPSTREAM).deliver(buildPacket());
    expect(io.raw.map((s) => s.device)).toEqual([GUEST_B.name]);
    expect(counters.snapshot()).toMatchObject({ 'drop:network-down': 1, 'lan-to-guest': 1 });
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  test('other errors are counted every time and logged once per device and errno', () => {
    const { io, counters, lines } = rigWithGuests();
    io.failRaw = () => syscallError('EPERM');
    for (let i = 0; i < 3; i++) io.open(UPSTREAM).deliver(buildPacket());
    expect(counters.snapshot()['drop:send-failed']).toBe(6);
    expect(lines.filter((l) => l.level === 40).map((l) => l.device)).toEqual([GUEST_A.name, GUEST_B.name]);
  });
});
