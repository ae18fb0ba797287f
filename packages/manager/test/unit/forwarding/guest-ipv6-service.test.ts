import { type DeviceChange, NDProxyEventType } from '@patchpanel/ipc';
import pino from 'pino';
import type { DefaultDevice, PhysicalDevice } from '../../../src/devices';
import { type GuestIpv6Kernel, GuestIpv6Service, type UpstreamView } from '../../../src/forwarding';
import type { LinkSetting } from '../../../src/forwarding/ipv6/shared-link-settings';

const eth0: PhysicalDevice = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' };
const wlan0: PhysicalDevice = { ifname: 'wlan0', ifindex: 3, kind: 'wifi' };
const asDefault = (device: PhysicalDevice): DefaultDevice => ({ ...device, vpn: false });
// arc_ns0's MAC 02:00:00:aa:bb:01 → EUI-64 interface id ::ff:feaa:bb01.
const OWN_1 = '2001:db8:1::ff:feaa:bb01';
const OWN_2 = '2001:db8:2::ff:feaa:bb01';

function flagSetting(on: Set<string>): LinkSetting {
  return {
    apply: (ifname) => {
      if (on.has(ifname)) return undefined;
      on.add(ifname);
      return () => on.delete(ifname);
    },
  };
}

function fixture(view: UpstreamView = { devices: [eth0, wlan0], defaultDevice: asDefault(eth0) }) {
  const kernel = {
    routes: new Set<string>(),
    addresses: new Set<string>(),
    allMulticast: new Set<string>(),
    acceptRa: new Set<string>(),
  };
  const fake: GuestIpv6Kernel = {
    linkMac: (ifname) => (ifname.startsWith('arc_ns') ? Uint8Array.of(2, 0, 0, 0xaa, 0xbb, 1) : undefined),
    replaceHostRoute: (address, ifname) => void kernel.routes.add(`${address} dev ${ifname}`),
    deleteHostRoute: (address, ifname) => void kernel.routes.delete(`${address} dev ${ifname}`),
    addAddress: (ifname, address) => void kernel.addresses.add(`${address} dev ${ifname}`),
    deleteAddress: (ifname, address) => void kernel.addresses.delete(`${address} dev ${ifname}`),
    allMulticast: flagSetting(kernel.allMulticast),
    acceptRaWhileForwarding: flagSetting(kernel.acceptRa),
  };
  const sent: DeviceChange[] = [];
  const state = { view };
  const service = new GuestIpv6Service({
    kernel: fake,
    view: () => state.view,
    sendToProxy: (change) => sent.push(change),
    log: pino({ level: 'silent' }),
  });
  const report = (type: number, ifname: string, ip6addr?: string) =>
    service.onReport({ type, ifname, ...(ip6addr === undefined ? {} : { ip6addr }) });
  return { service, kernel, sent, state, report };
}

describe('GuestIpv6Service', () => {
  test('a guest is paired with the default network, ALLMULTI on both ends, accept_ra=2 upstream', () => {
    const { service, kernel, sent } = fixture();
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    expect(sent).toEqual([{ action: 'start', upstream: 'eth0', guest: 'arc_ns0' }]);
    expect([...kernel.allMulticast].sort()).toEqual(['arc_ns0', 'eth0']);
    expect([...kernel.acceptRa]).toEqual(['eth0']);
  });

  test('reports become routes and the address, and all of it goes with the guest', () => {
    const { service, kernel, sent, report } = fixture();
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    service.add({ ifname: 'arc_ns1', upstream: 'default' });
    report(NDProxyEventType.ADD_ROUTE, 'arc_ns0', '2001:db8:1::5');
    report(NDProxyEventType.ADD_ADDR, 'arc_ns0', OWN_1);
    expect([...kernel.routes]).toEqual(['2001:db8:1::5 dev arc_ns0']);
    expect([...kernel.addresses]).toEqual([`${OWN_1} dev arc_ns0`]);
    service.remove('arc_ns0');
    expect(sent.at(-1)).toEqual({ action: 'stop', upstream: 'eth0', guest: 'arc_ns0' });
    expect(kernel.routes.size).toBe(0);
    expect(kernel.addresses.size).toBe(0);
    expect([...kernel.allMulticast].sort()).toEqual(['arc_ns1', 'eth0']);
    service.remove('arc_ns1');
    expect(kernel.allMulticast.size).toBe(0);
    expect(kernel.acceptRa.size).toBe(0);
  });

  test('a new prefix replaces the address; DEL_ADDR of another address changes nothing', () => {
    const { service, kernel, report } = fixture();
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    report(NDProxyEventType.ADD_ADDR, 'arc_ns0', OWN_1);
    report(NDProxyEventType.ADD_ADDR, 'arc_ns0', OWN_2);
    expect([...kernel.addresses]).toEqual([`${OWN_2} dev arc_ns0`]);
    report(NDProxyEventType.DEL_ADDR, 'arc_ns0', OWN_1);
    expect([...kernel.addresses]).toEqual([`${OWN_2} dev arc_ns0`]);
    report(NDProxyEventType.DEL_ADDR, 'arc_ns0', OWN_2);
    expect(kernel.addresses.size).toBe(0);
  });

  test('when the default network moves, the pair moves and the old routes go', () => {
    const { service, kernel, sent, state, report } = fixture();
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    service.add({ ifname: 'arc_ns1', upstream: { pinned: 'eth0' } });
    report(NDProxyEventType.ADD_ROUTE, 'arc_ns0', '2001:db8:1::5');
    state.view = { devices: [eth0, wlan0], defaultDevice: asDefault(wlan0) };
    service.reconcile();
    expect(sent.slice(2)).toEqual([
      { action: 'stop', upstream: 'eth0', guest: 'arc_ns0' },
      { action: 'start', upstream: 'wlan0', guest: 'arc_ns0' },
    ]);
    expect(kernel.routes.size).toBe(0);
    expect([...kernel.acceptRa].sort()).toEqual(['eth0', 'wlan0']);
    state.view = { devices: [wlan0], defaultDevice: asDefault(wlan0) };
    service.reconcile();
    expect(sent.at(-1)).toEqual({ action: 'stop', upstream: 'eth0', guest: 'arc_ns1' });
    expect([...kernel.acceptRa]).toEqual(['wlan0']);
  });

  test.each([
    ['an unknown type', NDProxyEventType.UNKNOWN, 'arc_ns0', '2001:db8:1::5'],
    ['an enum value from nowhere', 99, 'arc_ns0', '2001:db8:1::5'],
    ['no address', NDProxyEventType.ADD_ROUTE, 'arc_ns0', undefined],
    ['an interface not proxied', NDProxyEventType.ADD_ROUTE, 'eth0', '2001:db8:1::5'],
    ['a hostile interface name', NDProxyEventType.ADD_ROUTE, 'eth0 -j ACCEPT', '2001:db8:1::5'],
    ['a link-local address', NDProxyEventType.ADD_ROUTE, 'arc_ns0', 'fe80::1'],
    ['someone else’s address', NDProxyEventType.ADD_ADDR, 'arc_ns0', '2001:db8:1::1'],
  ])('a report with %s is refused and changes nothing', (_, type, ifname, address) => {
    const { service, kernel, report } = fixture();
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    expect(() => report(type, ifname, address)).not.toThrow();
    expect(kernel.routes.size + kernel.addresses.size).toBe(0);
  });

  test('a report after the pair stopped is ignored; no upstream means no pair', () => {
    const { service, kernel, sent, report } = fixture({ devices: [eth0], defaultDevice: undefined });
    service.add({ ifname: 'arc_ns0', upstream: 'default' });
    expect(sent).toEqual([]);
    report(NDProxyEventType.ADD_ROUTE, 'arc_ns0', '2001:db8:1::5');
    expect(kernel.routes.size).toBe(0);
    service.stop();
    expect(kernel.allMulticast.size).toBe(0);
  });
});
