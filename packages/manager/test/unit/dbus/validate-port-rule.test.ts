import fc from 'fast-check';
import type { PortRule } from '../../../src/api/patchpanel-api';
import { patchpanel } from '../../../src/dbus/proto-codec';
import { encodeModifyPortRuleRequest } from '../../../src/dbus/request-encoders';
import { parseModifyPortRuleRequest } from '../../../src/dbus/validate-port-rule';

type Wire = patchpanel.ModifyPortRuleRequest.$Properties;
const { Operation, RuleType, Protocol } = patchpanel.ModifyPortRuleRequest;

const encode = (message: Wire) => patchpanel.ModifyPortRuleRequest.encode(message).finish();
const parse = (message: Wire) => parseModifyPortRuleRequest(encode(message));

const access: Wire = { op: Operation.CREATE, type: RuleType.ACCESS, proto: Protocol.TCP, inputDstPort: 22 };
const lockdown: Wire = {
  op: Operation.CREATE,
  type: RuleType.LOCKDOWN,
  proto: Protocol.TCP,
  inputDstPort: 5555,
};
const forwarding: Wire = {
  op: Operation.CREATE,
  type: RuleType.FORWARDING,
  proto: Protocol.UDP,
  inputIfname: 'eth0',
  inputDstPort: 5353,
  dstIp: '100.115.92.6',
  dstPort: 53,
};

const HOSTILE_NAMES = [
  'eth0 -j ACCEPT',
  '../x',
  'a'.repeat(16),
  '-eth0',
  'eth0-',
  '.eth0',
  'eth0;id',
  'eth0\n',
  'eth\u00f60',
];
const BAD_IPV4 = [
  '1.2.3',
  '1.2.3.4.5',
  '256.1.1.1',
  '01.2.3.4',
  ' 1.2.3.4',
  '1.2.3.4 ',
  '1.2.3.4/24',
  '::1',
  'a.b.c.d',
];
const BAD_PORTS = [0, 65536, 65537, 131072 + 22, 0xffffffff];

describe('ModifyPortRule validation (spec §8.1, ports 1..65535)', () => {
  test.each<[string, Wire, ReturnType<typeof parseModifyPortRuleRequest>]>([
    [
      'ACCESS on every interface',
      access,
      { operation: 'create', rule: { type: 'access', protocol: 'tcp', port: 22, inputIfname: undefined } },
    ],
    [
      'ACCESS on eth0, DELETE',
      { ...access, op: Operation.DELETE, proto: Protocol.UDP, inputIfname: 'eth0', inputDstPort: 65535 },
      { operation: 'delete', rule: { type: 'access', protocol: 'udp', port: 65535, inputIfname: 'eth0' } },
    ],
    [
      'LOCKDOWN drops the interface',
      { ...lockdown, inputIfname: 'lo' },
      { operation: 'create', rule: { type: 'lockdown', protocol: 'tcp', port: 5555 } },
    ],
    [
      'FORWARDING without an input address',
      forwarding,
      {
        operation: 'create',
        rule: {
          type: 'forwarding',
          protocol: 'udp',
          inputIfname: 'eth0',
          inputDstIp: undefined,
          port: 5353,
          dstIp: '100.115.92.6',
          dstPort: 53,
        },
      },
    ],
    [
      'FORWARDING to port 1 from a given address',
      { ...forwarding, inputDstIp: '198.51.100.2', inputDstPort: 1, dstPort: 1 },
      {
        operation: 'create',
        rule: {
          type: 'forwarding',
          protocol: 'udp',
          inputIfname: 'eth0',
          inputDstIp: '198.51.100.2',
          port: 1,
          dstIp: '100.115.92.6',
          dstPort: 1,
        },
      },
    ],
  ])('accepts %s', (_name, message, expected) => {
    expect(parse(message)).toEqual(expected);
  });

  const rejected: Array<[string, Wire, string]> = [
    ['op INVALID_OPERATION', { ...access, op: Operation.INVALID_OPERATION }, 'op'],
    ['op 3', { ...access, op: 3 as patchpanel.ModifyPortRuleRequest.Operation }, 'op'],
    ['type INVALID_RULE_TYPE', { ...access, type: RuleType.INVALID_RULE_TYPE }, 'type'],
    ['type 4', { ...access, type: 4 as patchpanel.ModifyPortRuleRequest.RuleType }, 'type'],
    ['proto INVALID_PROTOCOL', { ...access, proto: Protocol.INVALID_PROTOCOL }, 'proto'],
    ['proto 3', { ...access, proto: 3 as patchpanel.ModifyPortRuleRequest.Protocol }, 'proto'],
    ['FORWARDING without an interface', { ...forwarding, inputIfname: '' }, 'input_ifname'],
    ['FORWARDING without a destination', { ...forwarding, dstIp: '' }, 'dst_ip'],
    ...[access, lockdown, forwarding].flatMap((base) =>
      BAD_PORTS.map((port): [string, Wire, string] => [
        `${base.type} port ${port}`,
        { ...base, inputDstPort: port },
        'input_dst_port',
      ]),
    ),
    ...BAD_PORTS.map((port): [string, Wire, string] => [
      `FORWARDING dst_port ${port}`,
      { ...forwarding, dstPort: port },
      'dst_port',
    ]),
    ...[access, lockdown, forwarding].flatMap((base) =>
      HOSTILE_NAMES.map((name): [string, Wire, string] => [
        `${base.type} ifname ${JSON.stringify(name)}`,
        { ...base, inputIfname: name },
        'input_ifname',
      ]),
    ),
    ...BAD_IPV4.map((ip): [string, Wire, string] => [
      `dst_ip ${JSON.stringify(ip)}`,
      { ...forwarding, dstIp: ip },
      'dst_ip',
    ]),
    ...BAD_IPV4.map((ip): [string, Wire, string] => [
      `input_dst_ip ${JSON.stringify(ip)}`,
      { ...forwarding, inputDstIp: ip },
      'input_dst_ip',
    ]),
  ];

  test.each(rejected)('rejects %s', (_name, message, field) => {
    expect(() => parse(message)).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_INVALID_REQUEST', field }),
    );
  });

  test('port 65536 is refused, not wrapped to 0, and 65537 is refused, not wrapped to 1', () => {
    // The hand-encoded request: op CREATE, type ACCESS, proto TCP, input_dst_port 65536 (varint 80 80 04).
    expect(() => parseModifyPortRuleRequest(Buffer.from('08011001180130808004', 'hex'))).toThrow(/65536/);
    expect(() => parse({ ...access, inputDstPort: 65537 })).toThrow(/65537/);
  });

  test.each(['0880', '2205657468', '0f', 'ff'])('undecodable %s', (text) => {
    expect(() => parseModifyPortRuleRequest(Buffer.from(text, 'hex'))).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_UNDECODABLE' }),
    );
  });

  const port = fc.integer({ min: 1, max: 65535 });
  const ifname = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,13}[A-Za-z0-9])?$/);
  const protocol = fc.constantFrom('tcp' as const, 'udp' as const);
  const rule: fc.Arbitrary<PortRule> = fc.oneof(
    fc.record({
      type: fc.constant('access' as const),
      protocol,
      port,
      inputIfname: fc.option(ifname, { nil: undefined }),
    }),
    fc.record({ type: fc.constant('lockdown' as const), protocol, port }),
    fc.record({
      type: fc.constant('forwarding' as const),
      protocol,
      inputIfname: ifname,
      inputDstIp: fc.option(fc.ipV4(), { nil: undefined }),
      port,
      dstIp: fc.ipV4(),
      dstPort: port,
    }),
  );

  test('every valid rule survives the client encoder and the daemon parser unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom('create' as const, 'delete' as const), rule, (operation, r) => {
        expect(parseModifyPortRuleRequest(encodeModifyPortRuleRequest(operation, r))).toEqual({
          operation,
          rule: r,
        });
      }),
    );
  });

  test('any bytes give a rule or a coded refusal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          parseModifyPortRuleRequest(bytes);
        } catch (err) {
          expect(err).toMatchObject({
            code: expect.stringMatching(/^PP_ERR_DBUS_(UNDECODABLE|INVALID_REQUEST)$/),
          });
        }
      }),
      { numRuns: 2000 },
    );
  });
});
