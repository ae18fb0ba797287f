import type { DefaultDevice, PhysicalDevice } from '../../../src/devices';
import { chooseUpstream, UplinkPairs, type UpstreamView } from '../../../src/forwarding';

const eth0: PhysicalDevice = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' };
const wlan0: PhysicalDevice = { ifname: 'wlan0', ifindex: 3, kind: 'wifi' };
const asDefault = (device: PhysicalDevice): DefaultDevice => ({ ...device, vpn: false });

function fixture() {
  const calls: string[] = [];
  const refuse = new Set<string>();
  const state: { view: UpstreamView } = { view: { devices: [eth0, wlan0], defaultDevice: asDefault(eth0) } };
  const pairs = new UplinkPairs({
    choose: chooseUpstream,
    view: () => state.view,
    hooks: {
      start: (upstream, guest) => {
        calls.push(`start ${upstream} ${guest}`);
        return !refuse.has(upstream);
      },
      stop: (upstream, guest) => void calls.push(`stop ${upstream} ${guest}`),
    },
  });
  return { pairs, calls, refuse, state };
}

describe('UplinkPairs', () => {
  test('a guest follows the default network: stop on the old upstream before start on the new', () => {
    const { pairs, calls, state } = fixture();
    pairs.add({ ifname: 'arc_ns0', upstream: 'default' });
    pairs.add({ ifname: 'arc_ns0', upstream: 'default' });
    state.view = { devices: [eth0, wlan0], defaultDevice: asDefault(wlan0) };
    pairs.reconcile();
    pairs.reconcile();
    pairs.remove('arc_ns0');
    pairs.remove('arc_ns0');
    expect(calls).toEqual([
      'start eth0 arc_ns0',
      'stop eth0 arc_ns0',
      'start wlan0 arc_ns0',
      'stop wlan0 arc_ns0',
    ]);
  });

  test('a start that fails leaves the guest unpaired, is tried again on the next reconcile, and is never stopped', () => {
    const { pairs, calls, refuse } = fixture();
    refuse.add('eth0');
    pairs.add({ ifname: 'arc_ns0', upstream: { pinned: 'eth0' } });
    refuse.clear();
    pairs.reconcile();
    pairs.stop();
    expect(calls).toEqual(['start eth0 arc_ns0', 'start eth0 arc_ns0', 'stop eth0 arc_ns0']);
  });
});
