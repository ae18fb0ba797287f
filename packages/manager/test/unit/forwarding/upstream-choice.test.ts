import type { DefaultDevice, PhysicalDevice } from '../../../src/devices';
import { chooseUpstream } from '../../../src/forwarding';

const eth0: PhysicalDevice = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' };
const wlan0: PhysicalDevice = { ifname: 'wlan0', ifindex: 3, kind: 'wifi' };
const asDefault = (device: PhysicalDevice, vpn = false): DefaultDevice => ({ ...device, vpn });

describe('chooseUpstream', () => {
  test('a pinned guest uses its device while it exists, whatever the default network', () => {
    const policy = { pinned: 'wlan0' };
    expect(chooseUpstream(policy, { devices: [eth0, wlan0], defaultDevice: asDefault(eth0) })).toBe('wlan0');
    expect(chooseUpstream(policy, { devices: [eth0], defaultDevice: asDefault(eth0) })).toBeUndefined();
  });

  test('a following guest uses the default network, none without one or when it is a VPN', () => {
    expect(chooseUpstream('default', { devices: [eth0, wlan0], defaultDevice: asDefault(wlan0) })).toBe(
      'wlan0',
    );
    expect(chooseUpstream('default', { devices: [eth0], defaultDevice: undefined })).toBeUndefined();
    const tun: PhysicalDevice = { ifname: 'tun0', ifindex: 9, kind: 'other' };
    expect(
      chooseUpstream('default', { devices: [eth0], defaultDevice: asDefault(tun, true) }),
    ).toBeUndefined();
  });
});
