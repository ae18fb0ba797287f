import fc from 'fast-check';
import { AttrStream, rt } from 'netlink';
import { formatIp } from '../../../src/addressing/ip-text';
import { routeRequest, ruleRequest } from '../../../src/devices/netlink/kernel-encode';
import {
  type KernelRoute,
  linkFromMessage,
  routeFromMessage,
  ruleFromMessage,
} from '../../../src/devices/netlink/kernel-objects';
import { route, rule } from '../../support/kernel-fixtures';

function routeMessage(data: rt.Route, attrs: rt.RouteAttrs): rt.RouteMessage {
  return { kind: 'route', data, attrs };
}

describe('routeFromMessage', () => {
  test('a default route as the netlink package parses it (enum names, header table)', () => {
    const parsed = routeFromMessage(
      routeMessage(
        {
          family: 2,
          dstLen: 0,
          tos: 0,
          table: 254,
          protocol: 'BOOT',
          scope: 'UNIVERSE',
          type: 'UNICAST',
          flags: {},
        },
        { table: 254, priority: 100, gateway: Buffer.from([198, 51, 100, 1]), oif: 2 },
      ),
    );
    expect(parsed).toEqual(
      route({ dst: '0.0.0.0', gateway: '198.51.100.1', metric: 100, oif: 2, protocol: 3, scope: 0, type: 1 }),
    );
  });

  test('a table above 255 comes from the attribute, an unknown protocol stays a number', () => {
    const parsed = routeFromMessage(
      routeMessage(
        {
          family: 10,
          dstLen: 64,
          table: 252,
          protocol: 112 as rt.RouteProtocol,
          scope: 'UNIVERSE',
          type: 'UNICAST',
        },
        { table: 1002, dst: Buffer.from('fe800000000000000000000000000000', 'hex'), oif: 2, priority: 256 },
      ),
    );
    expect(parsed).toMatchObject({
      family: 6,
      table: 1002,
      dst: 'fe80::',
      dstLen: 64,
      protocol: 112,
      metric: 256,
    });
  });

  test('multipath: the first hop gives the interface; onlink comes from the flags', () => {
    const hops = Buffer.alloc(16);
    hops.writeUInt16LE(16, 0);
    hops.writeInt32LE(7, 4);
    const parsed = routeFromMessage(
      routeMessage({ family: 2, type: 'UNICAST', flags: { __unknown: 4 } }, { multipath: hops }),
    );
    expect(parsed).toMatchObject({ oif: 7, multipath: true, onlink: true });
  });

  test('other families are skipped', () => {
    expect(routeFromMessage(routeMessage({ family: 7 }, {}))).toBeUndefined();
  });
});

describe('links and rules', () => {
  test('a link needs an index and a name', () => {
    expect(linkFromMessage({ kind: 'link', data: { index: 3 }, attrs: { ifname: 'eth1' } })).toEqual({
      ifindex: 3,
      ifname: 'eth1',
    });
    expect(linkFromMessage({ kind: 'link', data: { index: 3 }, attrs: {} })).toBeUndefined();
  });

  test('a rule as dumped: action by name, table from the attribute', () => {
    const parsed = ruleFromMessage({
      kind: 'rule',
      data: { family: 2, table: 252, action: 'toTbl' },
      attrs: { table: 1002, priority: 1000, fwmark: 65667072, fwmask: 4294901760, protocol: 112 },
    });
    expect(parsed).toEqual(rule({}));
  });
});

/** Through the netlink package's binary encoder and parser, as a request meets the kernel's format. */
function onTheWire(message: rt.Message, type: rt.MessageType): rt.Message {
  const stream = new AttrStream();
  if (message.kind === 'route') rt.formatRouteMessage(message, stream);
  if (message.kind === 'rule') rt.formatRuleMessage(message, stream);
  return rt.parseMessage(type, Buffer.concat(stream.bufs));
}

describe('requests round trip through the wire format', () => {
  const v4 = fc.ipV4();
  const v6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIp);
  const arbitraryRoute: fc.Arbitrary<KernelRoute> = fc
    .record({
      family: fc.constantFrom(4 as const, 6 as const),
      table: fc.integer({ min: 1, max: 0xffff }),
      dstLen: fc.integer({ min: 0, max: 32 }),
      tos: fc.constantFrom(0, 0x10),
      metric: fc.nat(),
      oif: fc.option(fc.integer({ min: 1, max: 1 << 20 }), { nil: undefined }),
      withGateway: fc.boolean(),
      scope: fc.constantFrom(0, 253),
      type: fc.constantFrom(1, 6),
      protocol: fc.integer({ min: 0, max: 255 }),
      onlink: fc.boolean(),
      a: v4,
      b: v6,
    })
    .map(({ withGateway, a, b, ...fields }) =>
      route({
        ...fields,
        dst: fields.dstLen === 0 ? (fields.family === 4 ? '0.0.0.0' : '::') : fields.family === 4 ? a : b,
        gateway: withGateway ? (fields.family === 4 ? a : b) : undefined,
        prefsrc: withGateway ? undefined : fields.family === 4 ? a : b,
      }),
    );

  test('routeRequest then routeFromMessage gives the route back', () => {
    fc.assert(
      fc.property(arbitraryRoute, (r) => {
        const wire = onTheWire({ kind: 'route', ...routeRequest(r) }, rt.MessageType.NEWROUTE);
        expect(wire.kind === 'route' && routeFromMessage(wire)).toEqual(r);
      }),
    );
  });

  test('ruleRequest then ruleFromMessage gives the rule back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1001, max: 0xffff }),
        fc.constantFrom(4 as const, 6 as const),
        (table, family) => {
          const r = rule({ table, family, fwmark: table * 0x10000 });
          const wire = onTheWire({ kind: 'rule', ...ruleRequest(r) }, rt.MessageType.NEWRULE);
          expect(wire.kind === 'rule' && ruleFromMessage(wire)).toEqual(r);
        },
      ),
    );
  });
});
