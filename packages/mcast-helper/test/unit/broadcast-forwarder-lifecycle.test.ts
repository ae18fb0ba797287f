import {
  dgramError,
  flush,
  GUEST_A,
  GUEST_B,
  rig,
  rigWithGuests,
  syscallError,
  UPSTREAM,
} from './broadcast-forwarder-fakes';
import { buildPacket, ip, ipNumber, LAN_BROADCAST } from './broadcast-packets';

describe('BroadcastForwarder: guests and listeners', () => {
  test('the LAN listener opens with the first guest and closes with the last', () => {
    const { io, forwarder } = rig();
    expect(io.listeners).toEqual([]);
    forwarder.addGuest(GUEST_A.name);
    forwarder.addGuest(GUEST_B.name);
    expect(io.openCount(UPSTREAM)).toBe(1);
    forwarder.removeGuest(GUEST_A.name);
    expect(io.openCount(GUEST_A.name)).toBe(0);
    expect(io.openCount(UPSTREAM)).toBe(1);
    forwarder.removeGuest(GUEST_B.name);
    expect(io.listeners.every((l) => l.closed)).toBe(true);
  });

  test('a removed guest gets no more copies and its in-flight packets are ignored', () => {
    const { io, forwarder } = rigWithGuests();
    const removed = io.open(GUEST_A.name);
    forwarder.removeGuest(GUEST_A.name);
    io.open(UPSTREAM).deliver(buildPacket());
    removed.deliver(buildPacket({ source: ip(GUEST_A.guest) }));
    expect(io.raw.map((s) => s.device)).toEqual([GUEST_B.name]);
    expect(io.udp).toEqual([]);
  });

  test('adding a known guest or the upstream, or removing an unknown one, changes nothing', () => {
    const { io, forwarder } = rigWithGuests();
    expect(forwarder.addGuest(GUEST_A.name)).toBe(true);
    expect(forwarder.addGuest(UPSTREAM)).toBe(false);
    forwarder.removeGuest('nope0');
    expect(io.listeners).toHaveLength(3);
    expect(io.openCount(UPSTREAM)).toBe(1);
  });

  test('a guest whose listener cannot open is not added, and no LAN listener stays behind', () => {
    const { io, forwarder, lines } = rig();
    io.setAddress(GUEST_B.name, GUEST_B.cidr);
    io.failOpen = (device) => (device === GUEST_A.name ? syscallError('ENODEV') : undefined);
    expect(forwarder.addGuest(GUEST_A.name)).toBe(false);
    expect(io.listeners).toEqual([]);
    io.failOpen = (device) => (device === UPSTREAM ? syscallError('ENODEV') : undefined);
    expect(forwarder.addGuest(GUEST_B.name)).toBe(false);
    expect(io.openCount(GUEST_B.name)).toBe(0);
    expect(lines.filter((l) => l.level === 40).map((l) => l.guest)).toEqual([GUEST_A.name, GUEST_B.name]);
    io.failOpen = undefined;
    expect(forwarder.addGuest(GUEST_B.name)).toBe(true);
    expect(io.openCount(UPSTREAM)).toBe(1);
    io.open(UPSTREAM).deliver(buildPacket());
    expect(io.raw.map((s) => s.device)).toEqual([GUEST_B.name]);
  });

  test('close closes every listener, unsubscribes, and later calls do nothing', () => {
    const { io, forwarder } = rigWithGuests();
    forwarder.close();
    forwarder.close();
    expect(io.listeners.every((l) => l.closed)).toBe(true);
    expect(io.subscribers).toBe(0);
    expect(forwarder.addGuest('arc_c')).toBe(false);
    expect(io.openCount('arc_c')).toBe(0);
  });
});

describe('BroadcastForwarder: address changes', () => {
  test('a new LAN address re-opens the LAN listener with the new broadcast, the old one closed', () => {
    const { io } = rigWithGuests();
    const old = io.open(UPSTREAM);
    io.setAddress(UPSTREAM, '10.0.0.2/16');
    expect(old.closed).toBe(true);
    expect(io.open(UPSTREAM).directedBroadcast).toBe(ipNumber('10.0.255.255'));
    // The old directed broadcast no longer passes; the new one does, and our new address counts as our own.
    io.open(UPSTREAM).deliver(buildPacket({ destination: LAN_BROADCAST }));
    io.open(UPSTREAM).deliver(buildPacket({ source: ip('10.0.0.2') }));
    io.open(UPSTREAM).deliver(buildPacket({ source: ip('10.0.0.9'), destination: ip('10.0.255.255') }));
    old.deliver(buildPacket());
    expect(io.raw).toHaveLength(2);
  });

  test('a prefix change alone re-opens; the same address again does not', () => {
    const { io } = rigWithGuests();
    io.setAddress(UPSTREAM, '192.168.1.2/24');
    expect(io.listeners.filter((l) => l.device === UPSTREAM)).toHaveLength(1);
    io.setAddress(UPSTREAM, '192.168.1.2/23');
    expect(io.open(UPSTREAM).directedBroadcast).toBe(ipNumber('192.168.1.255'));
    io.setAddress(UPSTREAM, '192.168.1.2/25');
    expect(io.open(UPSTREAM).directedBroadcast).toBe(ipNumber('192.168.1.127'));
    expect(io.listeners.filter((l) => l.device === UPSTREAM)).toHaveLength(3);
  });

  test('a guest address change re-opens its listener, and ingress copies use the new broadcast', () => {
    const { io } = rigWithGuests();
    io.setAddress(GUEST_A.name, '100.115.92.25/30');
    expect(io.open(GUEST_A.name).directedBroadcast).toBe(ipNumber('100.115.92.27'));
    io.open(UPSTREAM).deliver(buildPacket({ destination: LAN_BROADCAST }));
    expect([...io.raw[0]!.packet.subarray(16, 20)]).toEqual(ip('100.115.92.27'));
  });

  test('a guest that gets its address after being added starts forwarding', () => {
    const { io, forwarder } = rig();
    forwarder.addGuest('late0');
    expect(io.open('late0').directedBroadcast).toBeUndefined();
    io.setAddress('late0', '100.115.92.33/30');
    expect(io.open('late0').directedBroadcast).toBe(ipNumber('100.115.92.35'));
    io.open(UPSTREAM).deliver(buildPacket());
    expect(io.raw.map((s) => s.device)).toEqual(['late0']);
  });

  test('a LAN address removed: the listener re-opens for limited broadcasts only', () => {
    const { io } = rigWithGuests();
    io.setAddress(UPSTREAM, undefined);
    expect(io.open(UPSTREAM).directedBroadcast).toBeUndefined();
  });

  test('events before any guest, or for unknown devices, are harmless', () => {
    const { io, forwarder } = rig({ lan: undefined });
    io.setAddress(UPSTREAM, '192.168.7.2/24');
    io.setAddress('other0', '10.1.1.1/24');
    expect(io.listeners).toEqual([]);
    forwarder.addGuest(GUEST_A.name);
    expect(io.open(UPSTREAM).directedBroadcast).toBe(ipNumber('192.168.7.255'));
    forwarder.removeGuest(GUEST_A.name);
    io.setAddress(UPSTREAM, '192.168.8.2/24');
    expect(io.openCount(UPSTREAM)).toBe(0);
  });

  test('a listener that cannot re-open is counted, and the previous one keeps working', () => {
    const { io, counters, lines } = rigWithGuests();
    const before = io.open(UPSTREAM);
    io.failOpen = () => syscallError('ENOBUFS');
    io.setAddress(UPSTREAM, '10.0.0.2/16');
    expect(counters.snapshot()['listener-open-failed']).toBe(1);
    expect(lines.some((l) => l.level === 40 && l.device === UPSTREAM)).toBe(true);
    expect(io.open(UPSTREAM)).toBe(before);
    before.deliver(buildPacket({ destination: LAN_BROADCAST }));
    expect(io.raw).toHaveLength(2);
    io.failOpen = undefined;
    io.setAddress(UPSTREAM, '10.0.0.2/16');
    expect(io.open(UPSTREAM).directedBroadcast).toBe(ipNumber('10.0.255.255'));
  });
});

describe('BroadcastForwarder: egress send failures', () => {
  const guestPacket = () => buildPacket({ source: ip(GUEST_A.guest) });

  test.each([
    ['rejected with ENETDOWN', { sync: false, error: dgramError('ENETDOWN') }, 'drop:network-down'],
    ['rejected with EADDRINUSE', { sync: false, error: dgramError('EADDRINUSE') }, 'drop:send-failed'],
    ['thrown synchronously', { sync: true, error: syscallError('ENODEV') }, 'drop:send-failed'],
  ] as const)('a send %s is counted, never thrown', async (_name, failure, counter) => {
    const { io, counters } = rigWithGuests();
    io.failUdp = () => failure;
    expect(() => io.open(GUEST_A.name).deliver(guestPacket())).not.toThrow();
    await flush();
    expect(counters.snapshot()).toEqual({ [counter]: 1 });
  });
});
