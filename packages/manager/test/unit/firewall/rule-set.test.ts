import {
  ACCEPT,
  type ChainName,
  chainsIn,
  conntrackState,
  destination,
  dnat,
  familiesOf,
  inInterface,
  jump,
  MASQUERADE,
  type Match,
  outInterface,
  ownerUid,
  protocol,
  REJECT,
  ruleSet,
  setMark,
  source,
} from '../../../src/datapath/firewall';
import { codeOf, namespace } from '../../support/firewall-fixtures';

describe('a rule is refused where it cannot exist', () => {
  test.each([
    ['MASQUERADE in filter', () => ruleSet('x', 'last').add('ipv4', 'filter', 'FORWARD', [], MASQUERADE)],
    [
      'MASQUERADE in nat PREROUTING',
      () => ruleSet('x', 'last').add('ipv4', 'nat', 'PREROUTING', [], MASQUERADE),
    ],
    [
      'DNAT in nat POSTROUTING',
      () => ruleSet('x', 'last').add('ipv4', 'nat', 'POSTROUTING', [], dnat('10.0.0.1')),
    ],
    ['MARK in filter', () => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [], setMark(1, 1))],
    ['REJECT in nat', () => ruleSet('x', 'last').add('both', 'nat', 'OUTPUT', [], REJECT)],
    ['filter PREROUTING', () => ruleSet('x', 'last').add('both', 'filter', 'PREROUTING', [], ACCEPT)],
    [
      '-o in PREROUTING',
      () => ruleSet('x', 'last').add('both', 'mangle', 'PREROUTING', [outInterface('eth0')], ACCEPT),
    ],
    [
      '-i in POSTROUTING',
      () => ruleSet('x', 'last').add('both', 'nat', 'POSTROUTING', [inInterface('eth0')], ACCEPT),
    ],
    ['owner in INPUT', () => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [ownerUid(0)], ACCEPT)],
    [
      'an IPv4 source in a rule for both',
      () => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [source('10.0.0.0/8')], ACCEPT),
    ],
    [
      'an IPv6 destination in an IPv4 rule',
      () => ruleSet('x', 'last').add('ipv4', 'filter', 'INPUT', [destination('::1')], ACCEPT),
    ],
    [
      'an IPv4 DNAT in an IPv6 rule',
      () => ruleSet('x', 'last').add('ipv6', 'nat', 'PREROUTING', [], dnat('10.0.0.1', 80)),
    ],
    [
      'two protocol matches',
      () => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [protocol('tcp'), protocol('udp')], ACCEPT),
    ],
    [
      'an empty conntrack match',
      () => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [conntrackState()], ACCEPT),
    ],
    ['an unknown family', () => ruleSet('x', 'last').add('ipv5' as 'ipv4', 'filter', 'INPUT', [], ACCEPT)],
    ['a bad local chain name', () => ruleSet('x', 'last').add('both', 'filter', 'My-Chain', [], ACCEPT)],
  ])('%s', (_why, build) => {
    expect(codeOf(build)).toBe('PP_ERR_FIREWALL_RULE');
  });

  test('values smuggled past the constructors are caught when the rule is added', () => {
    const hostile = { kind: 'in', ifname: 'eth0 -j ACCEPT', invert: false } as unknown as Match;
    const badPort = { kind: 'protocol', protocol: 'tcp', destinationPort: 70000 } as unknown as Match;
    const notOurs = jump('INPUT' as ChainName);
    expect(codeOf(() => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [hostile], ACCEPT))).toBe(
      'PP_ERR_FIREWALL_RULE',
    );
    expect(codeOf(() => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [badPort], ACCEPT))).toBe(
      'PP_ERR_FIREWALL_RULE',
    );
    expect(codeOf(() => ruleSet('x', 'last').add('both', 'filter', 'INPUT', [], notOurs))).toBe(
      'PP_ERR_FIREWALL_RULE',
    );
  });
});

describe("jumps between an owner's own chains", () => {
  test('the target chain needs rules in the same table and every family of the jump', () => {
    const b = ruleSet('x', 'last');
    b.add('both', 'mangle', 'OUTPUT', [], jump(b.chain('sub')));
    b.add('ipv4', 'mangle', 'sub', [], setMark(1, 1));
    expect(codeOf(() => b.build())).toBe('PP_ERR_FIREWALL_RULE');
    b.add('ipv6', 'mangle', 'sub', [], setMark(1, 1));
    expect(b.build().rules).toHaveLength(3);
  });

  test('hook chains are reached from pp_<HOOK> only', () => {
    const b = ruleSet('x', 'last');
    expect(codeOf(() => b.chain('FORWARD'))).toBe('PP_ERR_FIREWALL_RULE');
    b.add('both', 'filter', 'INPUT', [], jump('pp_x_FORWARD' as ChainName));
    expect(codeOf(() => b.build())).toBe('PP_ERR_FIREWALL_RULE');
  });
});

describe('rule set queries', () => {
  test('equal inputs give equal keys; a difference changes the key', () => {
    expect(namespace(1).key).toBe(namespace(1).key);
    expect(namespace(1).key).not.toBe(namespace(1, { routeOnVpn: false }).key);
  });

  test('families and chains per table follow the declarations', () => {
    const set = namespace(2);
    expect(familiesOf(set)).toEqual(['ipv4', 'ipv6']);
    expect(chainsIn(set, 'ipv6', 'nat')).toEqual([]);
    expect(chainsIn(set, 'ipv4', 'nat')).toEqual([
      { id: 'POSTROUTING', name: 'pp_ns2_POSTROUTING', hook: 'POSTROUTING' },
    ]);
    for (const family of ['ipv4', 'ipv6'] as const) {
      expect(chainsIn(set, family, 'filter')).toEqual([
        { id: 'FORWARD', name: 'pp_ns2_FORWARD', hook: 'FORWARD' },
      ]);
    }
  });

  test('a rule set cannot change after build', () => {
    const set = namespace(3);
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(set.rules)).toBe(true);
  });
});
