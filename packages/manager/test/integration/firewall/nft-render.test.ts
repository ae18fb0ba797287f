import { integrationSuite, type Netns } from '@patchpanel/testbed';
import type { RuleSet } from '../../../src/datapath/firewall';
import {
  jumpedChains,
  jumpsInListing,
  type ListedChain,
  type NftJump,
  parseListing,
  renderInstall,
  renderRemove,
  renderRemoveFound,
  renderTable,
} from '../../../src/datapath/firewall/nft';
import { BUILDER_CASES, base, namespace } from '../../support/firewall-fixtures';
import { nftIn } from '../../support/nft-cli';

/** Every fixture of the goldens but the VPN base (a second `base`), in the order an owner may come. */
const OWNERS: readonly RuleSet[] = Object.entries(BUILDER_CASES)
  .filter(([name]) => name !== 'base-vpn-tun0')
  .map(([, set]) => set);

const RULE_COMMAND = /^(?:add|insert) rule inet patchpanel (\S+) /;

/** How many rules the commands add to each chain. */
function rulesPerChain(commands: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const command of commands) {
    const chain = RULE_COMMAND.exec(command)?.[1];
    if (chain !== undefined) counts.set(chain, (counts.get(chain) ?? 0) + 1);
  }
  return counts;
}

integrationSuite('firewall: nft rendering in nft itself', (ctx) => {
  let ns: Netns;
  /** `nft list table inet patchpanel` right after renderTable([]): what removing every owner comes back to. */
  let baseOnly: string;

  const { nft, list, listing } = nftIn(() => ns);
  const listed = async (): Promise<readonly ListedChain[]> => parseListing(await listing()).chains;
  /** `nft -i -a` fed one line per transaction, as the daemon's session does; nft exits at end of input. */
  const interactive = (lines: readonly (readonly string[])[]) =>
    nft(
      ['-i', '-a'],
      lines.map((commands) => commands.join('; ')),
    );

  beforeAll(async () => {
    ns = await ctx.bed.netns('nft');
    await nft(['-f', '-'], renderTable([]));
    baseOnly = await list();
  });

  test('every fixture loads on its own, the VPN base too', async () => {
    for (const set of [...OWNERS, base(7)]) {
      const install = renderInstall(set);
      await nft(['-f', '-'], renderTable(set.owner === 'base' ? [set] : [base(), set]));
      const names = (await listed()).map((c) => c.name);
      for (const command of install.filter((c) => c.startsWith('add chain')))
        expect(names).toContain(command.split(' ').pop());
    }
  });

  test('one batch (nft -f -): every rule in the chain it was meant for, tagged, jumps in position order', async () => {
    const commands = renderTable(OWNERS);
    await nft(['-f', '-'], commands);
    const chains = await listed();
    const expected = rulesPerChain(commands);
    const actual = new Map(chains.filter((c) => c.rules.length > 0).map((c) => [c.name, c.rules.length]));
    expect(actual).toEqual(expected);
    for (const chain of chains) {
      const owner = /^pp_[a-z]+_([a-z][a-z0-9]*)_/.exec(chain.name)?.[1];
      for (const rule of chain.rules.filter((r) => !r.text.includes(' vmap @')))
        expect(rule.text).toMatch(owner ? ` comment "pp:${owner}"` : / comment "pp:/);
    }
    // First: the newest ahead (port5, then port6 inserted ahead of it), then the base; then the maps the
    // guests are reached through, in map order.
    expect(chains.find((c) => c.name === 'pp_filter_FORWARD')?.rules.map((r) => r.jumpsTo ?? r.text)).toEqual(
      [
        'pp_filter_port6_FORWARD',
        'pp_filter_port5_FORWARD',
        'pp_filter_base_FORWARD',
        'iifname vmap @pp_filter_FORWARD_iif',
        'oifname vmap @pp_filter_FORWARD_oif',
        'ip saddr vmap @pp_filter_FORWARD_saddr4',
        'ip6 saddr vmap @pp_filter_FORWARD_saddr6',
      ],
    );
    const iif = parseListing(await listing()).maps.find((m) => m.name === 'pp_filter_FORWARD_iif');
    expect(iif?.elements.map((e) => e.jumpsTo).sort()).toEqual([
      'pp_filter_ns0_FORWARD_iif',
      'pp_filter_ns1_FORWARD_iif',
      'pp_filter_ns2_FORWARD_iif',
    ]);
    // nft lists some rules in its own words: the family implied by the address, the mask widened by the value.
    const texts = chains.flatMap((c) => c.rules.map((r) => r.text));
    expect(texts).toContain(
      'iifname "arc_ns0" meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:ns0"',
    );
    expect(texts).toContain('ip saddr 100.115.92.128/30 oifname != "arc_ns0" masquerade comment "pp:ns0"');
    expect(texts).toContain('oifname "lo" udp dport 8080 meta skuid != 1000 reject comment "pp:port3"');
  });

  describe('through nft -i -a, one owner per line', () => {
    let jumps: NftJump[];

    beforeAll(async () => {
      await interactive([renderTable([]), ...OWNERS.map((set) => renderInstall(set))]);
      const text = await listing();
      jumps = OWNERS.flatMap((set) => jumpsInListing(set, parseListing(text)));
    });

    test('every jump into a jumped hook chain, with the handle the kernel gave it', async () => {
      const jumped = OWNERS.flatMap((set) => jumpedChains(set));
      const inKernel = (await listed()).flatMap((c) =>
        c.rules
          .filter((r) => jumped.some((j) => j.base === c.name && j.target === r.jumpsTo))
          .map((r) => `${c.name} ${r.handle} ${r.jumpsTo}`),
      );
      expect(jumps.map((j) => `${j.chain} ${j.handle} ${j.target}`).sort()).toEqual(inKernel.sort());
      expect(jumps).toHaveLength(jumped.length);
    });

    test('a removal the kernel refuses applies nothing: the base while a namespace jumps into its chain', async () => {
      const before = await list();
      const { stderr } = await ns.exec(['nft', '-i'], {
        input: `${renderRemove(base(), jumps).join('; ')}\n`,
      });
      expect(stderr).toMatch(/Error: .*(busy|in use)/i);
      expect(await list()).toBe(before);
    });

    test('renderRemove, newest owner first, leaves the base chains and empty maps only', async () => {
      for (const set of [...OWNERS].reverse()) await nft(['-f', '-'], renderRemove(set, jumps));
      expect(await list()).toBe(baseOnly);
    });
  });

  test('a replacement in one transaction: the old guest removed, the new one installed, its element replaced', async () => {
    await interactive([renderTable([base(), namespace(0)])]);
    const next = namespace(0, { routeOnVpn: false });
    await interactive([[...renderRemove(namespace(0), []), ...renderInstall(next)]]);
    const text = await listing();
    const chain = parseListing(text).chains.find((c) => c.name === 'pp_mangle_ns0_PREROUTING_iif');
    expect(chain?.rules.map((r) => r.jumpsTo)).toEqual([undefined, undefined]);
    const iif = parseListing(text).maps.find((m) => m.name === 'pp_mangle_PREROUTING_iif');
    expect(iif?.elements).toEqual([{ key: '"arc_ns0"', jumpsTo: 'pp_mangle_ns0_PREROUTING_iif' }]);
  });

  test('renderRemoveFound from a real listing, the base first, leaves the base chains only', async () => {
    await nft(['-f', '-'], renderTable(OWNERS));
    for (const set of OWNERS) {
      const listing = await nft(['-a', 'list', 'table', 'inet', 'patchpanel']);
      const commands = renderRemoveFound(set.owner, listing);
      expect(commands.length).toBeGreaterThan(0);
      await nft(['-f', '-'], commands);
    }
    expect(await list()).toBe(baseOnly);
    expect(renderRemoveFound(base().owner, await nft(['-a', 'list', 'table', 'inet', 'patchpanel']))).toEqual(
      [],
    );
  });
});
