import { parseCommandLine } from '../../../src/cli/command-line';

const usageError = (argv: string[]) => {
  try {
    parseCommandLine(argv);
  } catch (err) {
    return err;
  }
  throw new Error(`${argv.join(' ')} parsed`);
};

describe('parseCommandLine: connect-ns', () => {
  test('only --pid: the defaults of the ChromeOS clients', () => {
    expect(parseCommandLine(['connect-ns', '--pid', '4242'])).toEqual({
      kind: 'connect-ns',
      globals: { busAddress: undefined, json: false },
      request: { pid: 4242, outboundPhysicalDevice: undefined, routeOnVpn: false, trafficSource: undefined },
    });
  });

  test('every flag, with the global ones before or after the command', () => {
    const argv = ['connect-ns', '--pid', '7', '--outbound', 'eth1', '--route-on-vpn', '--source', 'arc'];
    const expected = {
      kind: 'connect-ns',
      globals: { busAddress: 'unix:path=/tmp/bus', json: true },
      request: { pid: 7, outboundPhysicalDevice: 'eth1', routeOnVpn: true, trafficSource: 'arc' },
    };
    expect(parseCommandLine(['--json', '--bus-address', 'unix:path=/tmp/bus', ...argv])).toEqual(expected);
    expect(parseCommandLine([...argv, '--bus-address=unix:path=/tmp/bus', '--json'])).toEqual(expected);
  });

  test.each([
    [['connect-ns'], /required option '--pid <pid>'/],
    [['connect-ns', '--pid', '0'], /--pid.*'0' is invalid/],
    [['connect-ns', '--pid', '12abc'], /'12abc' is invalid/],
    [['connect-ns', '--pid', '-3'], /'-3' is invalid|unknown option/],
    [['connect-ns', '--pid', '0x10'], /'0x10' is invalid/],
    [['connect-ns', '--pid', '4194305'], /'4194305' is invalid/],
    [['connect-ns', '--pid', '5', '--outbound', 'eth0 -j ACCEPT'], /--outbound.*is invalid/],
    [['connect-ns', '--pid', '5', '--outbound', 'abcdefghijklmnop'], /--outbound.*is invalid/],
    [['connect-ns', '--pid', '5', '--source', 'tether_downstream'], /Allowed choices/],
    [['connect-ns', '--pid', '5', 'extra'], /too many arguments/],
    [['connect-ns', '--pid', '5', '--bogus'], /unknown option '--bogus'/],
  ])('%j is a usage error', (argv, message) => {
    expect(usageError(argv)).toMatchObject({
      code: 'PP_ERR_CLI_USAGE',
      message: expect.stringMatching(message),
    });
  });
});

describe('parseCommandLine: port-rule', () => {
  const forwarding = [
    ...['--type', 'forwarding', '--proto', 'tcp', '--port', '8080', '--ifname', 'eth0'],
    ...['--dst-ip', '100.115.92.130', '--dst-port', '8000'],
  ];

  test('a forwarding rule, with and without --input-dst-ip', () => {
    expect(parseCommandLine(['port-rule', 'create', ...forwarding])).toMatchObject({
      kind: 'port-rule',
      change: {
        operation: 'create',
        rule: {
          type: 'forwarding',
          protocol: 'tcp',
          inputIfname: 'eth0',
          inputDstIp: undefined,
          port: 8080,
          dstIp: '100.115.92.130',
          dstPort: 8000,
        },
      },
    });
    const pinned = parseCommandLine(['port-rule', 'delete', ...forwarding, '--input-dst-ip', '198.51.100.2']);
    expect(pinned).toMatchObject({ change: { operation: 'delete', rule: { inputDstIp: '198.51.100.2' } } });
  });

  test('access with and without an interface, lockdown', () => {
    const access = ['port-rule', 'create', '--type', 'access', '--proto', 'udp', '--port', '5353'];
    expect(parseCommandLine(access)).toMatchObject({
      change: { rule: { type: 'access', protocol: 'udp', port: 5353, inputIfname: undefined } },
    });
    expect(parseCommandLine([...access, '--ifname', 'wlan0'])).toMatchObject({
      change: { rule: { inputIfname: 'wlan0' } },
    });
    const lockdown = ['port-rule', 'delete', '--type', 'lockdown', '--proto', 'tcp', '--port', '65535'];
    expect(parseCommandLine(lockdown)).toMatchObject({
      change: { operation: 'delete', rule: { type: 'lockdown', protocol: 'tcp', port: 65535 } },
    });
  });

  const without = (flag: string) => {
    const i = forwarding.indexOf(flag);
    return [...forwarding.slice(0, i), ...forwarding.slice(i + 2)];
  };
  const replaced = (flag: string, value: string) =>
    forwarding.map((v, i) => (forwarding[i - 1] === flag ? value : v));

  test.each([
    [['port-rule', ...forwarding], /missing required argument 'operation'/],
    [['port-rule', 'update', ...forwarding], /'update' is invalid.*create, delete/],
    [['port-rule', 'create', ...without('--type')], /required option '--type <type>'/],
    [['port-rule', 'create', ...without('--proto')], /required option '--proto <proto>'/],
    [['port-rule', 'create', ...without('--port')], /required option '--port <port>'/],
    [['port-rule', 'create', ...without('--ifname')], /forwarding rule needs --ifname/],
    [['port-rule', 'create', ...without('--dst-ip')], /forwarding rule needs --dst-ip/],
    [['port-rule', 'create', ...without('--dst-port')], /forwarding rule needs --dst-port/],
    [
      ['port-rule', 'create', ...replaced('--type', 'nat')],
      /Allowed choices are access, lockdown, forwarding/,
    ],
    [['port-rule', 'create', ...replaced('--proto', 'icmp')], /Allowed choices are tcp, udp/],
    [['port-rule', 'create', ...replaced('--port', '0')], /--port.*'0' is invalid/],
    [['port-rule', 'create', ...replaced('--port', '65536')], /'65536' is invalid/],
    [['port-rule', 'create', ...replaced('--dst-port', '70000')], /--dst-port.*is invalid/],
    [['port-rule', 'create', ...replaced('--dst-ip', '100.115.92.256')], /--dst-ip.*is invalid/],
    [['port-rule', 'create', ...replaced('--dst-ip', '100.115.092.1')], /--dst-ip.*is invalid/],
    [['port-rule', 'create', ...replaced('--ifname', 'eth0 -j ACCEPT')], /--ifname.*is invalid/],
    [['port-rule', 'create', ...replaced('--ifname', '-eth0')], /--ifname.*is invalid/],
    [
      ['port-rule', 'create', '--type', 'lockdown', '--proto', 'tcp', '--port', '80', '--ifname', 'lo'],
      /lockdown rule does not take --ifname/,
    ],
    [
      ['port-rule', 'create', '--type', 'access', '--proto', 'tcp', '--port', '80', '--dst-port', '81'],
      /access rule does not take --dst-port/,
    ],
  ])('%j is a usage error', (argv, message) => {
    expect(usageError(argv)).toMatchObject({
      code: 'PP_ERR_CLI_USAGE',
      message: expect.stringMatching(message),
    });
  });
});

describe('parseCommandLine: the rest', () => {
  test('devices and watch take only the global flags', () => {
    expect(parseCommandLine(['devices'])).toEqual({
      kind: 'devices',
      globals: { busAddress: undefined, json: false },
    });
    expect(parseCommandLine(['--json', 'watch'])).toEqual({
      kind: 'watch',
      globals: { busAddress: undefined, json: true },
    });
    expect(usageError(['devices', 'all'])).toMatchObject({ code: 'PP_ERR_CLI_USAGE' });
  });

  test('help is text to print, not an error; no command or an unknown one is a usage error', () => {
    const help = parseCommandLine(['--help']);
    expect(help).toMatchObject({ kind: 'help', text: expect.stringContaining('connect-ns') });
    expect(parseCommandLine(['port-rule', '--help'])).toMatchObject({
      text: expect.stringContaining('--dst-ip'),
    });
    expect(usageError([])).toMatchObject({ message: expect.stringMatching(/a command is needed/) });
    expect(usageError(['connect'])).toMatchObject({
      message: expect.stringMatching(/unknown command 'connect'/),
    });
  });

  test.each(['garbage', 'unix:', '/run/dbus/system_bus_socket'])(
    '--bus-address %s is a usage error',
    (address) => {
      expect(usageError(['--bus-address', address, 'devices'])).toMatchObject({ code: 'PP_ERR_CLI_USAGE' });
    },
  );
});
