import { integrationSuite, type Netns } from '@patchpanel/testbed';
import { FirewallCommitError, type RuleSet } from '../../../src/datapath/firewall';
import {
  installOps,
  jumpsInListing,
  NftablesSocket,
  type NftOp,
  nftCommand,
  nftMessage,
  parseListing,
  removeOps,
  renderInstall,
  renderTable,
} from '../../../src/datapath/firewall/nft';
import { ruleSet } from '../../../src/datapath/firewall/rule-set';
import * as r from '../../../src/datapath/firewall/rules';
import { BUILDER_CASES, base, namespace } from '../../support/firewall-fixtures';
import { nftIn } from '../../support/nft-cli';

/** Every match and statement of the model that nftables can express, each in a rule of its own. */
function everyShape(): RuleSet {
  const b = ruleSet('shapes', 'first');
  b.add(
    'both',
    'filter',
    'sub',
    [r.inInterface('eth+'), r.outInterface('wlan0', { invert: true })],
    r.RETURN,
  );
  b.add(
    'ipv4',
    'filter',
    'INPUT',
    [r.source('10.0.0.0/8'), r.destination('192.0.2.1/32')],
    r.jump(b.chain('sub')),
  );
  b.add('ipv6', 'filter', 'INPUT', [r.source('fd00::/64', { invert: true }), r.protocol('udp')], r.DROP);
  b.add('ipv6', 'filter', 'INPUT', [r.destination('2001:db8::1/128'), r.protocol('tcp', 22)], r.REJECT);
  b.add('both', 'filter', 'INPUT', [r.protocol('tcp', 22)], r.REJECT);
  b.add('ipv4', 'filter', 'INPUT', [r.protocol('tcp', 23)], r.REJECT);
  b.add('ipv6', 'filter', 'INPUT', [r.protocol('tcp', 24)], r.REJECT);
  b.add('both', 'filter', 'OUTPUT', [r.markMatch(0x100, 0xff00), r.ownerUid(0, { invert: true })], r.ACCEPT);
  b.add('both', 'filter', 'OUTPUT', [r.markMatch(0x1, 0xffffffff, { invert: true })], r.DROP);
  b.add('both', 'filter', 'FORWARD', [r.conntrackState('ESTABLISHED', 'RELATED')], r.ACCEPT);
  b.add('both', 'filter', 'FORWARD', [r.conntrackState('NEW', 'INVALID', 'UNTRACKED')], r.DROP);
  b.add('both', 'mangle', 'PREROUTING', [], r.setMark(0x200, 0xff00));
  b.add('both', 'mangle', 'PREROUTING', [], r.restoreMark(0xffff0000));
  b.add('both', 'mangle', 'POSTROUTING', [], r.saveMark(0xffff0000));
  b.add('both', 'mangle', 'POSTROUTING', [], r.setConnmark(0x10000, 0xffff0000));
  b.add('ipv4', 'nat', 'POSTROUTING', [r.source('100.64.0.0/10')], r.snat('192.0.2.9'));
  b.add('ipv6', 'nat', 'POSTROUTING', [r.source('fd00::/8')], r.snat('2001:db8::9'));
  b.add('ipv4', 'nat', 'PREROUTING', [r.protocol('udp', 53)], r.dnat('100.115.92.6', 5353));
  b.add('ipv4', 'nat', 'PREROUTING', [r.protocol('tcp', 80)], r.dnat('100.115.92.7'));
  b.add('ipv6', 'nat', 'PREROUTING', [r.protocol('tcp', 81)], r.dnat('fd00::7', 8081));
  b.add('both', 'nat', 'POSTROUTING', [r.outInterface('eth0')], r.MASQUERADE);
  return b.build();
}

/** The fixtures (each with the base under it), every shape, and a guest with an IPv6 network key. */
const CASES: Readonly<Record<string, RuleSet>> = {
  ...Object.fromEntries(Object.entries(BUILDER_CASES).filter(([name]) => !name.startsWith('base'))),
  'every shape': everyShape(),
};

integrationSuite('firewall: nftables through netlink, as nft writes it', (ctx) => {
  let ns: Netns;
  let kernel: NftablesSocket;

  const { nft, list, listing } = nftIn(() => ns);
  const commit = (ops: readonly NftOp[]) =>
    kernel.commit(ops.map(nftMessage), (i) => nftCommand(ops[i] as NftOp));

  beforeAll(async () => {
    ns = await ctx.bed.netns('nftnl');
    kernel = NftablesSocket.open({ path: ns.path });
  });
  afterAll(() => kernel.close());

  test.each(Object.keys(CASES))(
    '%s: installed by netlink, nft lists what it lists when it installs it',
    async (name) => {
      const set = CASES[name] as RuleSet;
      await nft(['-f', '-'], renderTable([base()]));
      const baseOnly = await list();
      await nft(['-f', '-'], renderInstall(set));
      const byNft = await list();
      await nft(['-f', '-'], renderTable([base()]));
      commit(installOps(set));
      expect(await list()).toBe(byNft);
      const jumps = jumpsInListing(set, parseListing(await listing()));
      commit(removeOps(set, jumps));
      expect(await list()).toBe(baseOnly);
    },
  );

  test('adjacent guest networks: each interval added and removed by itself', async () => {
    await nft(['-f', '-'], renderTable([base()]));
    await nft(['-f', '-'], renderInstall(namespace(1)));
    const second = await list();
    await nft(['-f', '-'], renderTable([base()]));
    for (const n of [0, 1, 2]) commit(installOps(namespace(n)));
    commit(removeOps(namespace(0), []));
    commit(removeOps(namespace(2), []));
    expect(await list()).toBe(second);
  });

  test('a batch with one refused request applies nothing and names it', async () => {
    await nft(['-f', '-'], renderTable([base()]));
    const before = await list();
    const ops: NftOp[] = [
      ...installOps(namespace(3)),
      { op: 'delete-chain', chain: 'pp_filter_nosuch_FORWARD' },
    ];
    expect(() => commit(ops)).toThrow(FirewallCommitError);
    expect(() => commit(ops)).toThrow(/delete chain inet patchpanel pp_filter_nosuch_FORWARD: ENOENT/);
    expect(await list()).toBe(before);
  });
});
