import type { DefaultDevice, PhysicalDevice } from '../../../src/devices';
import { UplinkPairs, type UpstreamView } from '../../../src/forwarding';

const eth0: PhysicalDevice = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' };
const wlan0: PhysicalDevice = { ifname: 'wlan0', ifindex: 3, kind: 'wifi' };
const asDefault = (device: PhysicalDevice): DefaultDevice => ({ ...device, vpn: false });

/** Records each start and stop; starting on an upstream in `refuse` fails. */
class RecordingPairs extends UplinkPairs {
  readonly calls: string[] = [];
  readonly refuse = new Set<string>();

  constructor(view: () => UpstreamView) {
    super(view);
  }

  protected startPair(upstream: string, guest: string): boolean {
    this.calls.push(`start ${upstream} ${guest}`);
    return !this.refuse.has(upstream);
  }

  protected stopPair(upstream: string, guest: string): void {
    this.calls.push(`stop ${upstream} ${guest}`);
  }
}

function fixture() {
  const state: { view: UpstreamView } = { view: { devices: [eth0, wlan0], defaultDevice: asDefault(eth0) } };
  const pairs = new RecordingPairs(() => state.view);
  return { pairs, calls: pairs.calls, refuse: pairs.refuse, state };
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
