import fc from 'fast-check';
import {
  ACCEPT,
  cidr,
  ifname,
  ifnamePattern,
  inInterface,
  markMask,
  ownerChain,
  ownerId,
  port,
  renderRuleSpec,
  routingTag,
  trafficSourceMark,
  uid,
} from '../../../src/datapath/firewall';
import { codeOf } from '../../support/firewall-fixtures';

const RULE_ERROR = 'PP_ERR_FIREWALL_RULE';

describe('interface names', () => {
  test.each(['eth0', 'arc_ns12', 'wlan-1.2', 'abcdefghijklmno'])('%s is accepted', (name) => {
    expect(ifname(name)).toBe(name);
  });

  test.each([
    '',
    'abcdefghijklmnop',
    '-eth0',
    'eth0-',
    '.eth0',
    'eth0.',
    'eth0 -j ACCEPT',
    'eth0\n-A INPUT',
    'eth"0',
    'eth0+',
    'eth/0',
  ])('%j is refused with a coded error', (name) => {
    expect(codeOf(() => ifname(name))).toBe(RULE_ERROR);
  });

  test('a prefix pattern ends in + and leaves room for it', () => {
    expect(ifnamePattern('eth+')).toBe('eth+');
    expect(codeOf(() => ifnamePattern('+'))).toBe(RULE_ERROR);
    expect(codeOf(() => ifnamePattern('abcdefghijklmno+'))).toBe(RULE_ERROR);
    expect(codeOf(() => ifnamePattern('eth++'))).toBe(RULE_ERROR);
  });

  test('property: anything accepted renders as exactly one word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        let name: string;
        try {
          name = ifname(text);
        } catch (err) {
          return (err as { code?: string }).code === RULE_ERROR;
        }
        const spec = renderRuleSpec({ matches: [inInterface(name)], target: ACCEPT }, undefined);
        return /^[A-Za-z0-9_.-]{1,15}$/.test(name) && spec === `-i ${name} -j ACCEPT`;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('numbers', () => {
  test.each([0, 65536, -1, 1.5, Number.NaN, 2 ** 32])('port %p is refused', (value) => {
    expect(codeOf(() => port(value))).toBe(RULE_ERROR);
  });

  test('property: ports are exactly the integers 1..65535', () => {
    fc.assert(
      fc.property(fc.integer({ min: -70_000, max: 140_000 }), (value) => {
        const ok = codeOf(() => port(value)) === undefined;
        return ok === (value >= 1 && value <= 65535);
      }),
    );
  });

  test('uids are 32-bit, -1 excluded', () => {
    expect(uid(0)).toBe(0);
    expect(codeOf(() => uid(0xffffffff))).toBe(RULE_ERROR);
    expect(codeOf(() => uid(-1))).toBe(RULE_ERROR);
  });

  test('a mark has no bit outside its mask', () => {
    expect(markMask(0x8100, 0xff00)).toEqual({ value: 0x8100, mask: 0xff00 });
    expect(markMask(5)).toEqual({ value: 5, mask: 0xffffffff });
    expect(codeOf(() => markMask(0x1ff, 0xff))).toBe(RULE_ERROR);
    expect(codeOf(() => markMask(0, 2 ** 32))).toBe(RULE_ERROR);
  });

  test('fwmark layout of spec §5.3', () => {
    expect(routingTag(2)).toBe(0x03ea0000);
    expect(routingTag(7)).toBe(0x03ef0000);
    expect(codeOf(() => routingTag(0))).toBe(RULE_ERROR);
    expect(codeOf(() => routingTag(64536))).toBe(RULE_ERROR);
    expect(trafficSourceMark('system')).toBe(0x400);
    expect(trafficSourceMark('arc')).toBe(0x2000);
    expect(trafficSourceMark('arc_vpn')).toBe(0x2400);
  });
});

describe('addresses', () => {
  test('CIDRs are parsed with their family; a bare address is a host', () => {
    expect(cidr('100.115.92.0/23')).toEqual({ family: 'ipv4', address: '100.115.92.0', prefixLength: 23 });
    expect(cidr('100.115.92.130')).toEqual({ family: 'ipv4', address: '100.115.92.130', prefixLength: 32 });
    expect(cidr('2001:db8::/64')).toEqual({ family: 'ipv6', address: '2001:db8::', prefixLength: 64 });
  });

  test.each([
    '100.115.92.1/23',
    '1.2.3.4/33',
    '1.2.3.4/',
    '01.2.3.4',
    '1.2.3',
    'fe80::1%eth0',
    '2001:db8::/129',
    '1.2.3.4/8/8',
    'x',
  ])('%j is refused', (text) => {
    expect(codeOf(() => cidr(text))).toBe(RULE_ERROR);
  });
});

describe('owners and chains', () => {
  test.each(['base', 'ns3', 'port12', 'abcdefghijklm'])('owner %s is accepted', (id) => {
    expect(ownerId(id)).toBe(id);
  });

  test.each(['', 'ns_3', 'Ns3', '3ns', 'abcdefghijklmn', 'ns-3', 'pp:x'])('owner %j is refused', (id) => {
    expect(codeOf(() => ownerId(id))).toBe(RULE_ERROR);
  });

  test('chain names fit in 28 characters', () => {
    expect(ownerChain(ownerId('abcdefghijklm'), 'POSTROUTING')).toBe('pp_abcdefghijklm_POSTROUTING');
    expect(codeOf(() => ownerChain(ownerId('abcdefghijklm'), 'vpn_mark_long'))).toBe(RULE_ERROR);
    expect(codeOf(() => ownerChain(ownerId('base'), 'Vpn'))).toBe(RULE_ERROR);
  });
});
