import type { DeviceChange } from '@patchpanel/ipc';
import pino from 'pino';
import type { PhysicalDevice } from '../../../src/devices';
import { GuestMulticastService } from '../../../src/forwarding';

const eth0: PhysicalDevice = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' };

function fixture() {
  const multicast = new Set<string>(['eth0']);
  const sent: DeviceChange[] = [];
  const service = new GuestMulticastService({
    isMulticast: (ifname) => multicast.has(ifname),
    view: () => ({ devices: [eth0], defaultDevice: { ...eth0, vpn: false } }),
    sendToForwarder: (change) => sent.push(change),
    log: pino({ level: 'silent' }),
  });
  return { service, multicast, sent };
}

describe('GuestMulticastService', () => {
  test('a guest is paired with its upstream and unpaired when it goes', () => {
    const { service, sent } = fixture();
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    service.remove('arc_ns0');
    expect(sent).toEqual([
      { action: 'start', upstream: 'eth0', guest: 'arc_ns0' },
      { action: 'stop', upstream: 'eth0', guest: 'arc_ns0' },
    ]);
  });

  test('no pair while the upstream lacks IFF_MULTICAST; it starts on a later reconcile once it has it', () => {
    const { service, multicast, sent } = fixture();
    multicast.clear();
    service.add({ ifname: 'arc_ns0', upstream: { pinned: 'eth0' } });
    service.stop();
    expect(sent).toEqual([]);
    service.add({ ifname: 'arc_ns1', upstream: { pinned: 'eth0' } });
    multicast.add('eth0');
    service.reconcile();
    expect(sent).toEqual([{ action: 'start', upstream: 'eth0', guest: 'arc_ns1' }]);
  });
});
