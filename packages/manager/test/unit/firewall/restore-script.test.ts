import {
  ACCEPT,
  conntrackState,
  DROP,
  destination,
  dnat,
  inInterface,
  jump,
  localSocket,
  MASQUERADE,
  markMatch,
  outInterface,
  ownerChain,
  ownerId,
  ownerUid,
  protocol,
  REJECT,
  RETURN,
  type Rule,
  renderRestoreScript,
  renderRuleSpec,
  restoreMark,
  saveMark,
  setConnmark,
  setMark,
  snat,
  source,
  topChain,
} from '../../../src/datapath/firewall';

const tag = ownerId('ns1');
const spec = (rule: Rule) => renderRuleSpec(rule, tag);

describe('rule text', () => {
  test('address matches lead, modules follow in order, the owner tag sits before the target', () => {
    const rule: Rule = {
      matches: [
        markMatch(0x8000, 0xc000, { invert: true }),
        protocol('tcp', 8080),
        outInterface('eth+', { invert: true }),
        conntrackState('ESTABLISHED', 'RELATED'),
        source('100.115.92.0/23'),
        inInterface('arc_ns1'),
        destination('10.0.0.1', { invert: true }),
        ownerUid(1000, { invert: true }),
        localSocket(),
      ],
      target: ACCEPT,
    };
    expect(spec(rule)).toBe(
      '-s 100.115.92.0/23 ! -d 10.0.0.1/32 -i arc_ns1 ! -o eth+ -p tcp -m tcp --dport 8080' +
        ' -m mark ! --mark 0x00008000/0x0000c000 -m conntrack --ctstate ESTABLISHED,RELATED' +
        ' -m owner ! --uid-owner 1000 -m socket --nowildcard -m comment --comment pp:ns1 -j ACCEPT',
    );
  });

  test.each([
    [DROP, '-j DROP'],
    [REJECT, '-j REJECT'],
    [RETURN, '-j RETURN'],
    [MASQUERADE, '-j MASQUERADE'],
    [snat('198.51.100.2'), '-j SNAT --to-source 198.51.100.2'],
    [dnat('100.115.92.130'), '-j DNAT --to-destination 100.115.92.130'],
    [dnat('100.115.92.130', 22), '-j DNAT --to-destination 100.115.92.130:22'],
    [dnat('2001:db8::2', 22), '-j DNAT --to-destination [2001:db8::2]:22'],
    [setMark(0x03ea0000, 0xffff0000), '-j MARK --set-mark 0x03ea0000/0xffff0000'],
    [restoreMark(0xffff0000), '-j CONNMARK --restore-mark --mask 0xffff0000'],
    [saveMark(0x3f00), '-j CONNMARK --save-mark --mask 0x00003f00'],
    [setConnmark(0x03ea0000, 0xffff0000), '-j CONNMARK --set-mark 0x03ea0000/0xffff0000'],
    [jump(ownerChain(ownerId('base'), 'vpn_mark')), '-j pp_base_vpn_mark'],
  ])('target %j', (target, text) => {
    expect(renderRuleSpec({ matches: [], target }, undefined)).toBe(text);
  });
});

test('a transaction is one *table … COMMIT section per batch, ops in order', () => {
  const chain = ownerChain(tag, 'FORWARD');
  const rule: Rule = { matches: [inInterface('arc_ns1')], target: ACCEPT };
  const script = renderRestoreScript({
    family: 'ipv4',
    batches: [
      {
        table: 'filter',
        ops: [
          { op: 'declare', chain },
          { op: 'append', chain, rule, tag },
          { op: 'insert', chain: topChain('FORWARD'), rule: { matches: [], target: jump(chain) }, tag },
          { op: 'delete', chain: topChain('FORWARD'), rule: { matches: [], target: jump(chain) }, tag },
          {
            op: 'delete-found',
            chain: 'FORWARD',
            handle: { text: '-m comment --comment "pp:base" -j pp_FORWARD' },
          },
          { op: 'flush', chain },
          { op: 'remove', chain },
        ],
      },
      { table: 'nat', ops: [{ op: 'flush', chain: topChain('POSTROUTING') }] },
    ],
  });
  expect(script).toBe(
    [
      '*filter',
      ':pp_ns1_FORWARD - [0:0]',
      '-A pp_ns1_FORWARD -i arc_ns1 -m comment --comment pp:ns1 -j ACCEPT',
      '-I pp_FORWARD 1 -m comment --comment pp:ns1 -j pp_ns1_FORWARD',
      '-D pp_FORWARD -m comment --comment pp:ns1 -j pp_ns1_FORWARD',
      '-D FORWARD -m comment --comment "pp:base" -j pp_FORWARD',
      '-F pp_ns1_FORWARD',
      '-X pp_ns1_FORWARD',
      'COMMIT',
      '*nat',
      '-F pp_POSTROUTING',
      'COMMIT',
      '',
    ].join('\n'),
  );
});
