import pino from 'pino';
import { Counters } from '../../src/counters';
import {
  ForwardingService,
  type GuestForwarder,
  type NamedForwarder,
} from '../../src/proxy/forwarding-service';

function recording(name: string, calls: string[], refuse = false): NamedForwarder {
  const counters = new Counters();
  const forwarder: GuestForwarder = {
    addGuest: (ifname) => {
      calls.push(`${name} add ${ifname}`);
      counters.increment('added');
      if (name === 'broken') throw new Error('EPERM');
      return !refuse;
    },
    removeGuest: (ifname) => void calls.push(`${name} remove ${ifname}`),
    close: () => void calls.push(`${name} close`),
  };
  return { name, forwarder, counters };
}

function service(names = ['mdns', 'ssdp']) {
  const calls: string[] = [];
  const created: string[] = [];
  const svc = new ForwardingService({
    createForwarders: (upstream) => {
      created.push(upstream);
      return names.map((name) => recording(name, calls));
    },
    logger: pino({ level: 'silent' }),
  });
  return { svc, calls, created };
}

describe('ForwardingService', () => {
  test('forwarders are made with the first guest of an upstream and closed with its last', () => {
    const { svc, calls, created } = service();
    svc.apply({ action: 'start', upstream: 'eth0', guest: 'arc_ns0' });
    svc.apply({ action: 'start', upstream: 'eth0', guest: 'arc_ns1' });
    svc.apply({ action: 'start', upstream: 'eth0', guest: 'arc_ns1' });
    svc.apply({ action: 'stop', upstream: 'eth0', guest: 'arc_ns0' });
    svc.apply({ action: 'stop', upstream: 'eth0', guest: 'arc_ns0' });
    expect(created).toEqual(['eth0']);
    expect(svc.stats()).toEqual({ eth0: { mdns: { added: 2 }, ssdp: { added: 2 } } });
    svc.apply({ action: 'stop', upstream: 'eth0', guest: 'arc_ns1' });
    expect(calls).toEqual([
      'mdns add arc_ns0',
      'ssdp add arc_ns0',
      'mdns add arc_ns1',
      'ssdp add arc_ns1',
      'mdns remove arc_ns0',
      'ssdp remove arc_ns0',
      'mdns remove arc_ns1',
      'ssdp remove arc_ns1',
      'mdns close',
      'ssdp close',
    ]);
    expect(svc.stats()).toEqual({});
  });

  test('a teardown without a guest closes that upstream only; none changes nothing; close ends all', () => {
    const { svc, calls } = service(['mdns']);
    svc.apply({ action: 'start', upstream: 'eth0', guest: 'arc_ns0' });
    svc.apply({ action: 'start', upstream: 'wlan0', guest: 'arc_ns1' });
    svc.apply({ action: 'none', upstream: 'eth0' });
    svc.apply({ action: 'remove-upstream', upstream: 'eth0' });
    expect(Object.keys(svc.stats())).toEqual(['wlan0']);
    svc.close();
    expect(calls.filter((c) => c.endsWith('close'))).toEqual(['mdns close', 'mdns close']);
    expect(svc.stats()).toEqual({});
  });

  test('a forwarder that throws on a guest is logged; the others still get it', () => {
    const { svc, calls } = service(['broken', 'ssdp']);
    expect(() => svc.apply({ action: 'start', upstream: 'eth0', guest: 'arc_ns0' })).not.toThrow();
    expect(calls).toEqual(['broken add arc_ns0', 'ssdp add arc_ns0']);
  });
});
