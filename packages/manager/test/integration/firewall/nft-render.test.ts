import { integrationSuite, type Netns } from '@patchpanel/testbed';
import { buildPortRuleSet, type RuleSet } from '../../../src/datapath/firewall';
import {
  type ListedChain,
  type NftJump,
  parseEchoedJumps,
  parseListing,
  renderBaseTable,
  renderInstall,
  renderRemove,
  renderRemoveFound,
} from '../../../src/datapath/firewall/nft';
import { BUILDER_CASES, base, namespace } from '../../support/firewall-fixtures';

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
  /** `nft list table inet patchpanel` right after renderBaseTable(): what removing every owner comes back to. */
  let baseOnly: string;

  const nft = async (args: readonly string[], commands?: readonly string[]): Promise<string> => {
    const input = commands === undefined ? undefined : `${commands.join('\n')}\n`;
    const { stdout, stderr } = await ns.exec(['nft', ...args], { input });
    expect(stderr).toBe('');
    return stdout;
  };
  const list = () => nft(['list', 'table', 'inet', 'patchpanel']);
  const listed = async (): Promise<ListedChain[]> =>
    parseListing(await nft(['-a', 'list', 'table', 'inet', 'patchpanel']));
  /** `nft -i -e -a` fed one line per transaction, as the daemon's session does; nft exits at end of input. */
  const interactive = (lines: readonly (readonly string[])[]) =>
    nft(
      ['-i', '-e', '-a'],
      lines.map((commands) => commands.join('; ')),
    );

  beforeAll(async () => {
    ns = await ctx.bed.netns('nft');
    await nft(['-f', '-'], renderBaseTable());
    baseOnly = await list();
  });

  test('every fixture loads on its own, the VPN base too', async () => {
    for (const set of [...OWNERS, base(7)]) {
      const under = set.owner === 'base' ? [] : renderInstall(base());
      const install = renderInstall(set);
      await nft(['-f', '-'], [...renderBaseTable(), ...under, ...install]);
      const names = (await listed()).map((c) => c.name);
      for (const command of install.filter((c) => c.startsWith('add chain')))
        expect(names).toContain(command.split(' ').pop());
    }
  });

  test('one batch (nft -f -): every rule in the chain it was meant for, tagged, jumps in position order', async () => {
    const commands = [...renderBaseTable(), ...OWNERS.flatMap((set) => renderInstall(set))];
    await nft(['-f', '-'], commands);
    const chains = await listed();
    const expected = rulesPerChain(commands);
    const actual = new Map(chains.filter((c) => c.rules.length > 0).map((c) => [c.name, c.rules.length]));
    expect(actual).toEqual(expected);
    for (const chain of chains) {
      const owner = /^pp_[a-z]+_([a-z][a-z0-9]*)_/.exec(chain.name)?.[1];
      for (const rule of chain.rules)
        expect(rule.text).toMatch(owner ? ` comment "pp:${owner}"` : / comment "pp:/);
    }
    // First: the newest ahead (port5, then port6 inserted ahead of it), then the base; last: in order.
    expect(chains.find((c) => c.name === 'pp_filter_FORWARD')?.rules.map((r) => r.jumpsTo)).toEqual([
      'pp_filter_port6_FORWARD',
      'pp_filter_port5_FORWARD',
      'pp_filter_base_FORWARD',
      'pp_filter_ns0_FORWARD',
      'pp_filter_ns1_FORWARD',
      'pp_filter_ns2_FORWARD',
    ]);
    // nft lists some rules in its own words: the family implied by the address, the mask widened by the value.
    const texts = chains.flatMap((c) => c.rules.map((r) => r.text));
    expect(texts).toContain(
      'iifname "arc_ns0" meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:ns0"',
    );
    expect(texts).toContain('ip saddr 100.115.92.128/30 oifname != "arc_ns0" masquerade comment "pp:ns0"');
    expect(texts).toContain('oifname "lo" udp dport 8080 meta skuid != 1000 reject comment "pp:port3"');
  });

  describe('through nft -i -e -a, one owner per line', () => {
    let echoed: string;
    let jumps: NftJump[];

    beforeAll(async () => {
      echoed = await interactive([renderBaseTable(), ...OWNERS.map((set) => renderInstall(set))]);
      jumps = parseEchoedJumps(echoed);
    });

    test('the echo names every rule the listing holds, with the same handle and text', async () => {
      const fromEcho = echoed
        .split('\n')
        .flatMap((line) => {
          const found =
            /^(?:add|insert) rule inet patchpanel (\S+) (?:handle \d+ )?(.*) # handle (\d+)$/.exec(line);
          return found === null ? [] : [`${found[1]} ${found[3]} ${found[2]}`];
        })
        .sort();
      const fromListing = (await listed()).flatMap((c) =>
        c.rules.map((r) => `${c.name} ${r.handle} ${r.text}`),
      );
      expect(fromEcho).toEqual(fromListing.sort());
    });

    test('every jump of every owner, with the handle the kernel gave it', async () => {
      const hookJumps = OWNERS.flatMap((set) =>
        renderInstall(set).filter((c) => /^(add|insert) rule inet patchpanel pp_[a-z]+_[A-Z]+ /.test(c)),
      );
      const chains = await listed();
      const inKernel = chains.flatMap((c) =>
        c.rules.filter((r) => r.jumpsTo !== undefined).map((r) => `${c.name} ${r.handle} ${r.jumpsTo}`),
      );
      expect(jumps.map((j) => `${j.chain} ${j.handle} ${j.target}`).sort()).toEqual(inKernel.sort());
      for (const command of hookJumps) {
        const [, chain, target, owner] =
          / rule inet patchpanel (\S+) jump (\S+) comment "pp:(\w+)"$/.exec(command) ?? [];
        expect(jumps).toContainEqual(expect.objectContaining({ chain, target, owner }));
      }
    });

    test('a removal the kernel refuses applies nothing: the base while namespaces jump into its chain', async () => {
      const before = await list();
      const { stderr } = await ns.exec(['nft', '-i'], {
        input: `${renderRemove(base(), jumps).join('; ')}\n`,
      });
      expect(stderr).toMatch(/Error: .*(busy|in use)/i);
      expect(await list()).toBe(before);
    });

    test('renderRemove with the echoed jumps, newest owner first, leaves the base chains only', async () => {
      for (const set of [...OWNERS].reverse()) await nft(['-f', '-'], renderRemove(set, jumps));
      expect(await list()).toBe(baseOnly);
    });
  });

  test('a replacement in one transaction: the old owner removed, the new one installed, new handles echoed', async () => {
    const echoed = await interactive([renderBaseTable(), renderInstall(base()), renderInstall(namespace(0))]);
    const next = namespace(0, { routeOnVpn: false });
    const replaced = await interactive([
      [...renderRemove(namespace(0), parseEchoedJumps(echoed)), ...renderInstall(next)],
    ]);
    expect(parseEchoedJumps(replaced).filter((j) => j.owner === 'ns0')).toHaveLength(3);
    const chains = await listed();
    const chain = chains.find((c) => c.name === 'pp_mangle_ns0_PREROUTING');
    expect(chain?.rules.map((r) => r.jumpsTo)).toEqual([undefined, undefined]);
    const into = chains.flatMap((c) => c.rules).filter((r) => r.jumpsTo === 'pp_mangle_ns0_PREROUTING');
    expect(into).toHaveLength(1);
  });

  test('renderRemoveFound from a real listing, the base first, leaves the base chains only', async () => {
    await nft(['-f', '-'], [...renderBaseTable(), ...OWNERS.flatMap((set) => renderInstall(set))]);
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
