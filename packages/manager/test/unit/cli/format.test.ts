import {
  connectionFields,
  formatDeviceChange,
  formatDevices,
  formatFields,
  formatTable,
  portRuleFields,
} from '../../../src/cli/format';

describe('human output', () => {
  test('key/value lines align their values', () => {
    const connection = {
      subnet: { base: '100.115.92.128', prefixLength: 30 },
      hostIfname: 'arc_ns0',
      hostIpv4: '100.115.92.129',
      peerIfname: 'veth0',
      peerIpv4: '100.115.92.130',
    };
    expect(formatFields(connectionFields(connection))).toBe(
      [
        'subnet       100.115.92.128/30',
        'host_ifname  arc_ns0',
        'host_ipv4    100.115.92.129',
        'peer_ifname  veth0',
        'peer_ipv4    100.115.92.130',
        '',
      ].join('\n'),
    );
  });

  test('port rules read as one line per field', () => {
    const rule = {
      type: 'forwarding' as const,
      protocol: 'udp' as const,
      inputIfname: 'eth0',
      inputDstIp: '198.51.100.2',
      port: 53,
      dstIp: '100.115.92.130',
      dstPort: 5353,
    };
    expect(formatFields(portRuleFields({ operation: 'delete', rule }))).toBe(
      'operation  delete\nrule       forwarding udp 198.51.100.2@eth0:53 -> 100.115.92.130:5353\nsuccess    true\n',
    );
    const access = { type: 'access' as const, protocol: 'tcp' as const, port: 22, inputIfname: undefined };
    expect(portRuleFields({ operation: 'create', rule: access })[1]).toEqual(['rule', 'access tcp *:22']);
  });

  test('devices as a table, and a word when there are none', () => {
    const device = {
      ifname: 'vmtap0',
      ipv4Address: '100.115.92.26',
      subnet: { base: '100.115.92.24', prefixLength: 30 },
      guestKind: 'termina_vm' as const,
    };
    expect(formatDevices([device])).toBe(
      'ifname  ipv4           subnet            guest\nvmtap0  100.115.92.26  100.115.92.24/30  termina_vm\n',
    );
    expect(formatDevices([])).toBe('no devices\n');
    expect(formatDeviceChange({ change: 'removed', device })).toBe(
      'removed  vmtap0  100.115.92.26  100.115.92.24/30  termina_vm\n',
    );
  });

  test('a table pads every column to its widest cell', () => {
    expect(
      formatTable([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]),
    ).toBe('a    bb\nccc  d\n');
  });
});
