import pino from 'pino';
import { Counters } from '../../src/counters';
import { MDNS, MulticastForwarder, SSDP } from '../../src/multicast';
import { avahiHttpResponse } from './mdns-captures';
import { type FakePort, fakeIo } from './multicast-fakes';

const logger = pino({ level: 'silent' });
const bytes = (text: string) => new TextEncoder().encode(text);
const MDNS4 = { address: '224.0.0.251', port: 5353 };
const SSDP4 = { address: '239.255.255.250', port: 1900 };

function forwarder(protocol = SSDP, io = fakeIo({ ipv4: { eth0: [198, 51, 100, 2] } })) {
  const counters = new Counters();
  const fwd = new MulticastForwarder({
    protocol,
    upstream: 'eth0',
    io: io.io,
    counters,
    logger,
    replyWindowMs: 10_000,
  });
  return { fwd, counters, ...io };
}

const payloads = (port: FakePort) => port.sent.map((s) => new TextDecoder().decode(s.payload));

describe('MulticastForwarder: who receives what', () => {
  test('LAN → every guest of the same family, to the group; never back to the LAN', () => {
    const { fwd, find } = forwarder();
    fwd.addGuest('arc_ns0');
    fwd.addGuest('arc_ns1');
    find('group', 'eth0', 4).deliver({
      payload: bytes('NOTIFY'),
      from: { address: '198.51.100.1', port: 1900 },
    });
    for (const guest of ['arc_ns0', 'arc_ns1']) {
      expect(find('group', guest, 4).sent).toEqual([{ payload: bytes('NOTIFY'), to: SSDP4 }]);
      expect(find('group', guest, 6).sent).toEqual([]);
    }
    expect(find('group', 'eth0', 4).sent).toEqual([]);
  });

  test('a guest → the other guests and the LAN, never back to itself', () => {
    const { fwd, find, counters } = forwarder();
    fwd.addGuest('arc_ns0');
    fwd.addGuest('arc_ns1');
    find('group', 'arc_ns0', 4).deliver({
      payload: bytes('NOTIFY'),
      from: { address: '100.115.92.130', port: 1900 },
    });
    expect(payloads(find('group', 'arc_ns1', 4))).toEqual(['NOTIFY']);
    expect(find('group', 'arc_ns0', 4).sent).toEqual([]);
    expect(payloads(find('group', 'eth0', 4))).toEqual(['NOTIFY']);
    expect(counters.snapshot()).toEqual({ 'guest-to-guest': 1, 'guest-to-lan': 1 });
  });

  test('a family that cannot be bound is left out; a guest with no family at all is refused', () => {
    const io = fakeIo({ fail: (_, family) => family === 6 });
    const { fwd, ports } = forwarder(SSDP, io);
    expect(fwd.addGuest('arc_ns0')).toBe(true);
    expect(fwd.addGuest('arc_ns0')).toBe(false);
    expect(ports.map((p) => `${p.device}/${p.family}`)).toEqual(['eth0/4', 'arc_ns0/4']);
    const none = forwarder(SSDP, fakeIo({ fail: () => true }));
    expect(none.fwd.addGuest('arc_ns0')).toBe(false);
    expect(none.fwd.guestCount).toBe(0);
  });

  test('without an upstream port of that family a guest datagram still reaches the other guests', () => {
    const io = fakeIo({ fail: (device, family) => device === 'eth0' && family === 6 });
    const { fwd, find, counters } = forwarder(SSDP, io);
    fwd.addGuest('arc_ns0');
    fwd.addGuest('arc_ns1');
    find('group', 'arc_ns0', 6).deliver({ payload: bytes('x'), from: { address: 'fe80::1', port: 1900 } });
    expect(payloads(find('group', 'arc_ns1', 6))).toEqual(['x']);
    expect(counters.snapshot()['drop:no-upstream-ipv6']).toBe(1);
  });

  test('removeGuest and close release every port', () => {
    const { fwd, ports } = forwarder();
    fwd.addGuest('arc_ns0');
    fwd.addGuest('arc_ns1');
    fwd.removeGuest('arc_ns0');
    expect(ports.filter((p) => p.device === 'arc_ns0').every((p) => p.closed)).toBe(true);
    expect(ports.filter((p) => p.device !== 'arc_ns0').some((p) => p.closed)).toBe(false);
    fwd.close();
    expect(ports.every((p) => p.closed)).toBe(true);
  });
});

describe('MulticastForwarder: towards the LAN', () => {
  test('an IPv4 mDNS answer from a guest carries the upstream address in its A records; the guests get it as is', () => {
    const { fwd, find, counters } = forwarder(MDNS);
    fwd.addGuest('arc_ns0');
    fwd.addGuest('arc_ns1');
    const answer = avahiHttpResponse([100, 115, 92, 130]).build();
    find('group', 'arc_ns0', 4).deliver({ payload: answer, from: { address: '100.115.92.130', port: 5353 } });
    const [sent] = find('group', 'eth0', 4).sent;
    expect(sent?.to).toEqual(MDNS4);
    expect(Buffer.from(sent!.payload).includes(Buffer.from([198, 51, 100, 2]))).toBe(true);
    expect(Buffer.from(sent!.payload).includes(Buffer.from([100, 115, 92, 130]))).toBe(false);
    expect(find('group', 'arc_ns1', 4).sent[0]?.payload).toEqual(answer);
    expect(counters.snapshot()['mdns-rewritten']).toBe(1);
  });

  test('no IPv4 address on the upstream: the IPv4 mDNS copy for the LAN is dropped', () => {
    const { fwd, find, counters } = forwarder(MDNS, fakeIo());
    fwd.addGuest('arc_ns0');
    find('group', 'arc_ns0', 4).deliver({
      payload: bytes('q'),
      from: { address: '100.115.92.130', port: 5353 },
    });
    expect(find('group', 'eth0', 4).sent).toEqual([]);
    expect(counters.snapshot()['drop:no-upstream-address']).toBe(1);
  });

  test('an ephemeral source port is kept towards the LAN, and the unicast answer is relayed back as from the responder', () => {
    const { fwd, find, rawSends, advance, ports } = forwarder();
    fwd.addGuest('arc_ns0');
    const guest = { address: '100.115.92.130', port: 40000 };
    find('group', 'arc_ns0', 4).deliver({ payload: bytes('M-SEARCH'), from: guest });
    const reply = find('reply', 'eth0', 4);
    expect(reply.port).toBe(40000);
    expect(payloads(reply)).toEqual(['M-SEARCH']);
    expect(reply.sent[0]?.to).toEqual(SSDP4);
    expect(find('group', 'eth0', 4).sent).toEqual([]);
    reply.deliver({ payload: bytes('HTTP/1.1 200 OK'), from: { address: '198.51.100.1', port: 1900 } });
    expect(rawSends).toEqual([
      {
        device: 'arc_ns0',
        from: { address: '198.51.100.1', port: 1900 },
        to: guest,
        payload: bytes('HTTP/1.1 200 OK'),
      },
    ]);
    advance(9_999);
    find('group', 'arc_ns0', 4).deliver({ payload: bytes('M-SEARCH'), from: guest });
    expect(ports.filter((p) => p.kind === 'reply')).toHaveLength(1);
    advance(10_000);
    expect(reply.closed).toBe(true);
  });

  test('IPv6 answers to an ephemeral port are not relayed, and a removed guest gets no more relays', () => {
    const { fwd, find, rawSends, counters } = forwarder();
    fwd.addGuest('arc_ns0');
    find('group', 'arc_ns0', 6).deliver({
      payload: bytes('M-SEARCH'),
      from: { address: 'fe80::2', port: 40001 },
    });
    find('reply', 'eth0', 6).deliver({ payload: bytes('200'), from: { address: 'fe80::1', port: 1900 } });
    expect(counters.snapshot()['drop:ipv6-reply']).toBe(1);
    find('group', 'arc_ns0', 4).deliver({
      payload: bytes('M-SEARCH'),
      from: { address: '100.115.92.130', port: 40002 },
    });
    const reply = find('reply', 'eth0', 4);
    fwd.removeGuest('arc_ns0');
    expect(reply.closed).toBe(true);
    expect(rawSends).toEqual([]);
  });
});
