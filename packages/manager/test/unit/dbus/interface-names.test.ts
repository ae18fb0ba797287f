import { isValidInterfaceName } from '../../../src/dbus/interface-names';

describe('the interface-name rule (spec §8.1)', () => {
  test.each(['', 'eth0', 'wlan0', 'eth0.100', 'veth-a', 'a', 'a'.repeat(15), 'E1-2.x'])(
    'accepts %j',
    (name) => {
      expect(isValidInterfaceName(name)).toBe(true);
    },
  );

  test.each([
    'eth0 -j ACCEPT',
    '../x',
    'a'.repeat(16),
    'a'.repeat(100),
    '-eth0',
    'eth0-',
    '.eth0',
    'eth0.',
    '-',
    '.',
    'eth0;reboot',
    'eth0\n',
    'eth0\0',
    'eth 0',
    'arc_eth0', // the rule allows no underscore
    'ëth0',
    'eth0/1',
    '$(id)',
  ])('rejects %j', (name) => {
    expect(isValidInterfaceName(name)).toBe(false);
  });
});
