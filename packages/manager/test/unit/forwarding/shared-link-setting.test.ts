import { SharedLinkSetting } from '../../../src/forwarding/ipv6/shared-link-settings';

function fakeSetting(initiallyOn: string[] = []) {
  const on = new Set(initiallyOn);
  const calls: string[] = [];
  const setting = new SharedLinkSetting({
    apply: (ifname) => {
      if (on.has(ifname)) return undefined;
      on.add(ifname);
      calls.push(`on ${ifname}`);
      return () => {
        on.delete(ifname);
        calls.push(`off ${ifname}`);
      };
    },
  });
  return { setting, on, calls };
}

describe('SharedLinkSetting', () => {
  test('the first user applies it, the last one undoes it', () => {
    const { setting, on, calls } = fakeSetting();
    setting.acquire('eth0');
    setting.acquire('eth0');
    setting.release('eth0');
    expect(on.has('eth0')).toBe(true);
    setting.release('eth0');
    expect(on.has('eth0')).toBe(false);
    expect(calls).toEqual(['on eth0', 'off eth0']);
  });

  test('a setting the host had made before is left on; an unknown release does nothing', () => {
    const { setting, on, calls } = fakeSetting(['eth0']);
    setting.acquire('eth0');
    setting.release('eth0');
    setting.release('wlan0');
    expect(on.has('eth0')).toBe(true);
    expect(calls).toEqual([]);
  });
});
