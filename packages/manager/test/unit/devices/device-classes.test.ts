import {
  compileDevicePatterns,
  DEFAULT_DEVICE_PATTERNS,
  deviceKindOf,
  diffDevices,
  sameDefault,
} from '../../../src/devices/device-classes';

describe('deviceKindOf (spec §3.1, case-insensitive prefixes)', () => {
  test.each([
    ['eth0', 'ethernet'],
    ['ETH1', 'ethernet'],
    ['usb0', 'ethernet'],
    ['wlan0', 'wifi'],
    ['Wlan1', 'wifi'],
    ['mlan0', 'wifi'],
    ['wwan0', 'cellular'],
    ['rmnet_data0', 'cellular'],
    ['veth0', 'other'],
    ['arc_eth0', 'other'],
    ['lo', 'other'],
    ['et', 'other'],
  ])('%s is %s', (ifname, kind) => {
    expect(deviceKindOf(ifname)).toBe(kind);
  });
});

describe('compileDevicePatterns', () => {
  const isPhysical = compileDevicePatterns(DEFAULT_DEVICE_PATTERNS);

  test.each(['eth0', 'eth1', 'usb0', 'wlan0', 'mlan0', 'wwan0', 'rmnet_data0', 'eth'])(
    'default matches %s',
    (name) => {
      expect(isPhysical(name)).toBe(true);
    },
  );

  test.each(['veth0', 'arc_eth0', 'lo', 'br0', 'ETH0', 'vmtap0', 'arc_ns0', 'ppp0'])(
    'default does not match %s',
    (name) => {
      expect(isPhysical(name)).toBe(false);
    },
  );

  test('? is one character, * any run, the rest literal', () => {
    const matches = compileDevicePatterns(['en?s*', 'wg.0']);
    expect(['enps0', 'enXs', 'wg.0'].map(matches)).toEqual([true, true, true]);
    expect(['ens0', 'en', 'wgx0'].map(matches)).toEqual([false, false, false]);
  });

  test.each([[[]], [['']], [['eth 0']], [['a/b']], [['eth:1']], [['x'.repeat(16)]]])(
    'refuses %j with PP_ERR_DEVICE_CONFIG',
    (patterns) => {
      expect(() => compileDevicePatterns(patterns)).toThrow(
        expect.objectContaining({ code: 'PP_ERR_DEVICE_CONFIG' }),
      );
    },
  );
});

describe('diffDevices', () => {
  const eth1 = { ifname: 'eth1', ifindex: 3, kind: 'ethernet' } as const;
  const eth2 = { ifname: 'eth2', ifindex: 4, kind: 'ethernet' } as const;

  test('additions and removals', () => {
    expect(diffDevices([eth1], [eth2])).toEqual({ added: [eth2], removed: [eth1] });
    expect(diffDevices([eth1, eth2], [eth2, eth1])).toEqual({ added: [], removed: [] });
  });

  test('a rename is a removal and an addition of the same ifindex', () => {
    const wlan1 = { ifname: 'wlan1', ifindex: 3, kind: 'wifi' } as const;
    expect(diffDevices([eth1, eth2], [wlan1, eth2])).toEqual({ added: [wlan1], removed: [eth1] });
  });

  test('sameDefault compares name, index, kind and vpn', () => {
    expect(sameDefault(undefined, undefined)).toBe(true);
    expect(sameDefault({ ...eth1, vpn: false }, undefined)).toBe(false);
    expect(sameDefault({ ...eth1, vpn: false }, { ...eth1, vpn: false })).toBe(true);
    expect(sameDefault({ ...eth1, vpn: false }, { ...eth1, vpn: true })).toBe(false);
  });
});
