import fc from 'fast-check';
import {
  ACCEPT,
  type ChainName,
  type CtState,
  conntrackState,
  DROP,
  destination,
  dnat,
  type FamilyScope,
  inInterface,
  jump,
  localSocket,
  MASQUERADE,
  type Match,
  markMatch,
  outInterface,
  ownerChain,
  ownerId,
  ownerUid,
  protocol,
  REJECT,
  RETURN,
  type Rule,
  restoreMark,
  saveMark,
  setConnmark,
  setMark,
  snat,
  source,
  type Table,
  type Target,
  topChain,
} from '../../../src/datapath/firewall';
import { nftChainName, renderNftRule } from '../../../src/datapath/firewall/nft';
import { codeOf } from '../../support/firewall-fixtures';

const tag = ownerId('ns1');
const only = (match: Match): Rule => ({ matches: [match], target: ACCEPT });
const body = (rule: Rule, family: FamilyScope = 'both', table: Table = 'filter') =>
  renderNftRule(table, family, rule, undefined);

describe('chain names', () => {
  test('the table goes into the name: top-level, hook and own chains', () => {
    expect(nftChainName('filter', topChain('FORWARD'))).toBe('pp_filter_FORWARD');
    expect(nftChainName('nat', ownerChain(tag, 'POSTROUTING'))).toBe('pp_nat_ns1_POSTROUTING');
    expect(nftChainName('mangle', ownerChain(ownerId('base'), 'vpn_mark'))).toBe('pp_mangle_base_vpn_mark');
  });

  test.each([
    ['a chain that is not ours', 'filter', 'FORWARD'],
    ['a name with a space', 'filter', 'pp_a b'],
    ['a name with a quote', 'filter', 'pp_a"'],
    ['an unknown table', 'raw', 'pp_FORWARD'],
  ])('%s is refused', (_, table, chain) => {
    expect(codeOf(() => nftChainName(table as Table, chain as ChainName))).toBe('PP_ERR_FIREWALL_RULE');
  });
});

describe('matches', () => {
  test.each<[string, Match, string]>([
    ['input interface', inInterface('arc_ns1'), 'iifname "arc_ns1"'],
    ['output interface, inverted', outInterface('arc_ns1', { invert: true }), 'oifname != "arc_ns1"'],
    ['an interface prefix', outInterface('eth+'), 'oifname "eth*"'],
    ['an inverted prefix', inInterface('wlan+', { invert: true }), 'iifname != "wlan*"'],
    ['an IPv4 network', source('100.115.92.0/23'), 'ip saddr 100.115.92.0/23'],
    ['an IPv4 host', destination('100.115.92.130', { invert: true }), 'ip daddr != 100.115.92.130'],
    ['an IPv6 network', source('2001:db8::/64', { invert: true }), 'ip6 saddr != 2001:db8::/64'],
    ['an IPv6 host', destination('2001:db8::1'), 'ip6 daddr 2001:db8::1'],
    ['a protocol', protocol('udp'), 'meta l4proto udp'],
    ['a protocol and port', protocol('tcp', 22), 'tcp dport 22'],
    ['a mark', markMatch(0x400, 0x3f00), 'meta mark & 0x00003f00 == 0x00000400'],
    ['an inverted mark', markMatch(0, 0xffff0000, { invert: true }), 'meta mark & 0xffff0000 != 0x00000000'],
    ['one conntrack state', conntrackState('INVALID'), 'ct state invalid'],
    ['conntrack states', conntrackState('ESTABLISHED', 'RELATED'), 'ct state established,related'],
    ['a uid', ownerUid(1000), 'meta skuid 1000'],
    ['another uid', ownerUid(0, { invert: true }), 'meta skuid != 0'],
  ])('%s', (_, match, text) => {
    const family = match.kind === 'source' || match.kind === 'destination' ? match.cidr.family : 'both';
    const prefix = family === 'both' ? '' : `meta nfproto ${family} `;
    expect(body(only(match), family)).toBe(`${prefix}${text} accept`);
  });

  test('matches keep their declared order, after the family', () => {
    const rule: Rule = {
      matches: [ownerUid(1000, { invert: true }), outInterface('lo'), protocol('udp', 8080)],
      target: REJECT,
    };
    expect(body(rule, 'ipv6')).toBe(
      'meta nfproto ipv6 meta skuid != 1000 oifname "lo" udp dport 8080 reject',
    );
  });

  test('the socket match has no nft form: a coded error', () => {
    expect(codeOf(() => body(only(localSocket())))).toBe('PP_ERR_FIREWALL_RULE');
  });

  test('a value smuggled past the constructors is refused, not written', () => {
    const quoted = {
      kind: 'in',
      ifname: 'eth0" accept; flush ruleset; #',
      invert: false,
    } as unknown as Match;
    const state = { kind: 'conntrack', states: ['NEW; flush ruleset' as CtState] } as Match;
    const none = { kind: 'conntrack', states: [] } as Match;
    for (const match of [quoted, state, none])
      expect(codeOf(() => body(only(match)))).toBe('PP_ERR_FIREWALL_RULE');
    expect(codeOf(() => renderNftRule('filter', 'ipv5' as FamilyScope, only(inInterface('lo')), tag))).toBe(
      'PP_ERR_FIREWALL_RULE',
    );
  });
});

describe('targets', () => {
  test.each<[string, Table, FamilyScope, Target, string]>([
    ['accept', 'filter', 'both', ACCEPT, 'accept'],
    ['drop', 'filter', 'both', DROP, 'drop'],
    ['reject', 'filter', 'both', REJECT, 'reject'],
    ['return', 'mangle', 'both', RETURN, 'return'],
    ['masquerade', 'nat', 'ipv4', MASQUERADE, 'meta nfproto ipv4 masquerade'],
    ['IPv4 SNAT', 'nat', 'ipv4', snat('198.51.100.2'), 'meta nfproto ipv4 snat ip to 198.51.100.2'],
    ['IPv6 SNAT', 'nat', 'ipv6', snat('2001:db8::2'), 'meta nfproto ipv6 snat ip6 to 2001:db8::2'],
    ['IPv4 DNAT', 'nat', 'ipv4', dnat('100.115.92.130'), 'meta nfproto ipv4 dnat ip to 100.115.92.130'],
    [
      'IPv4 DNAT, port',
      'nat',
      'ipv4',
      dnat('100.115.92.130', 22),
      'meta nfproto ipv4 dnat ip to 100.115.92.130:22',
    ],
    [
      'IPv6 DNAT, port',
      'nat',
      'ipv6',
      dnat('2001:db8::1', 80),
      'meta nfproto ipv6 dnat ip6 to [2001:db8::1]:80',
    ],
    [
      'set-mark: clear the mask, set the value',
      'mangle',
      'both',
      setMark(0x400, 0x3f00),
      'meta mark set meta mark & 0xffffc0ff | 0x00000400',
    ],
    [
      'set-mark: the whole mark',
      'mangle',
      'both',
      setMark(7, 0xffffffff),
      'meta mark set meta mark & 0x00000000 | 0x00000007',
    ],
    ['restore-mark', 'mangle', 'both', restoreMark(0xffff0000), 'meta mark set ct mark & 0xffff0000'],
    ['save-mark', 'mangle', 'both', saveMark(0xffff0000), 'ct mark set meta mark & 0xffff0000'],
    [
      'set-connmark',
      'mangle',
      'both',
      setConnmark(0x8000, 0xc000),
      'ct mark set ct mark & 0xffff3fff | 0x00008000',
    ],
    [
      'jump, named in its table',
      'mangle',
      'both',
      jump(ownerChain(ownerId('base'), 'vpn_mark')),
      'jump pp_mangle_base_vpn_mark',
    ],
  ])('%s', (_, table, family, target, text) => {
    expect(body({ matches: [], target }, family, table)).toBe(text);
  });

  test('the owner tag comes last', () => {
    const rule: Rule = { matches: [inInterface('arc_ns1')], target: setMark(0x400, 0x3f00) };
    expect(renderNftRule('mangle', 'both', rule, tag)).toBe(
      'iifname "arc_ns1" meta mark set meta mark & 0xffffc0ff | 0x00000400 comment "pp:ns1"',
    );
  });
});

describe('properties', () => {
  const ifnames = fc.constantFrom('eth0', 'arc_ns1', 'wlan+', 'lo', 'a.b-c_d');
  const matches = fc.oneof(
    fc.tuple(ifnames, fc.boolean()).map(([name, invert]) => inInterface(name, { invert })),
    fc.tuple(ifnames, fc.boolean()).map(([name, invert]) => outInterface(name, { invert })),
    fc
      .tuple(
        fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp'),
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      )
      .map(([p, port]) => protocol(p, port)),
    fc.tuple(fc.nat({ max: 0xff }), fc.boolean()).map(([v, invert]) => markMatch(v << 8, 0xff00, { invert })),
    fc
      .subarray<CtState>(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'], { minLength: 1 })
      .map((s) => conntrackState(...s)),
    fc.tuple(fc.nat({ max: 0xfffffffe }), fc.boolean()).map(([u, invert]) => ownerUid(u, { invert })),
  );
  const targets = fc.oneof(
    fc.constantFrom(ACCEPT, DROP, RETURN),
    fc.tuple(fc.nat({ max: 0xffff }), fc.nat({ max: 0xffff })).map(([v, m]) => setMark(v & m, m)),
    fc.nat({ max: 0xffffffff }).map((m) => restoreMark(m)),
    fc.nat({ max: 0xffffffff }).map((m) => saveMark(m)),
  );

  test('one line, one command: no `;`, no newline, quotes paired, one comment at the end', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(matches, { selector: (m) => m.kind, maxLength: 6 }),
        targets,
        (ms, target) => {
          const text = renderNftRule('mangle', 'both', { matches: ms, target }, tag);
          expect(text).not.toMatch(/[;\n#]/);
          expect((text.match(/"/g) ?? []).length % 2).toBe(0);
          expect(text.endsWith(' comment "pp:ns1"')).toBe(true);
          expect(text.split(' comment ')).toHaveLength(2);
        },
      ),
    );
  });

  test('a set-mark keeps exactly the bits outside its mask and sets its value', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), (raw, mask) => {
        const value = (raw & mask) >>> 0;
        const text = body({ matches: [], target: setMark(value, mask) }, 'both', 'mangle');
        const [, keep, set] = /& (0x[0-9a-f]{8}) \| (0x[0-9a-f]{8})$/.exec(text) ?? [];
        expect(Number(keep)).toBe(~mask >>> 0);
        expect(Number(set)).toBe(value);
      }),
    );
  });
});
