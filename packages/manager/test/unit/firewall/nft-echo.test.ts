import fc from 'fast-check';
import { ownerId } from '../../../src/datapath/firewall';
import { type NftJump, parseEchoedJumps, parseListing } from '../../../src/datapath/firewall/nft';

/**
 * Real `nft -i -e -a` output (nft 1.0.6) for renderInstall(base) and renderInstall(ns0) sent as one line each,
 * with some of the base's rules left out. nft prints rules in its own words, and the position of some
 * appended ones (`handle 18` right after the chain).
 */
const ECHOED = `
add chain inet patchpanel pp_mangle_base_OUTPUT # handle 13
add chain inet patchpanel pp_mangle_base_src_mark # handle 14
add chain inet patchpanel pp_mangle_base_vpn_mark # handle 15
add chain inet patchpanel pp_filter_base_FORWARD # handle 16
add chain inet patchpanel pp_filter_base_OUTPUT # handle 17
add rule inet patchpanel pp_mangle_base_OUTPUT meta mark set ct mark & 0xffff0000 comment "pp:base" # handle 18
add rule inet patchpanel pp_mangle_base_OUTPUT handle 18 jump pp_mangle_base_src_mark comment "pp:base" # handle 19
add rule inet patchpanel pp_mangle_base_OUTPUT meta mark & 0x0000c000 == 0x00008000 jump pp_mangle_base_vpn_mark comment "pp:base" # handle 20
add rule inet patchpanel pp_mangle_base_vpn_mark meta mark != 0x00000000/16 return comment "pp:base" # handle 24
add rule inet patchpanel pp_filter_base_FORWARD ct state { established, related } accept comment "pp:base" # handle 26
add rule inet patchpanel pp_filter_base_OUTPUT ip saddr 100.115.92.0/23 oifname "eth*" drop comment "pp:base" # handle 27
insert rule inet patchpanel pp_mangle_OUTPUT jump pp_mangle_base_OUTPUT comment "pp:base" # handle 33
insert rule inet patchpanel pp_filter_FORWARD jump pp_filter_base_FORWARD comment "pp:base" # handle 34
insert rule inet patchpanel pp_filter_OUTPUT jump pp_filter_base_OUTPUT comment "pp:base" # handle 35
# new generation 23 by process 7013 (nft)
add chain inet patchpanel pp_mangle_ns0_PREROUTING # handle 36
add chain inet patchpanel pp_nat_ns0_POSTROUTING # handle 37
add chain inet patchpanel pp_filter_ns0_FORWARD # handle 38
add rule inet patchpanel pp_mangle_ns0_PREROUTING iifname "arc_ns0" meta mark set meta mark & 0xffffc4ff | 0x00000400 comment "pp:ns0" # handle 39
add rule inet patchpanel pp_mangle_ns0_PREROUTING handle 39 iifname "arc_ns0" meta mark set ct mark & 0xffff0000 comment "pp:ns0" # handle 40
add rule inet patchpanel pp_mangle_ns0_PREROUTING iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0" # handle 41
add rule inet patchpanel pp_nat_ns0_POSTROUTING ip saddr 100.115.92.128/30 oifname != "arc_ns0" masquerade comment "pp:ns0" # handle 42
add rule inet patchpanel pp_filter_ns0_FORWARD iifname "arc_ns0" ct state invalid drop comment "pp:ns0" # handle 43
add rule inet patchpanel pp_filter_ns0_FORWARD handle 43 oifname "arc_ns0" accept comment "pp:ns0" # handle 44
add rule inet patchpanel pp_filter_ns0_FORWARD iifname "arc_ns0" accept comment "pp:ns0" # handle 45
add rule inet patchpanel pp_mangle_PREROUTING jump pp_mangle_ns0_PREROUTING comment "pp:ns0" # handle 46
add rule inet patchpanel pp_nat_POSTROUTING jump pp_nat_ns0_POSTROUTING comment "pp:ns0" # handle 47
add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 48
`;

const jump = (chain: string, target: string, owner: string, handle: number): NftJump => ({
  chain,
  handle,
  target,
  owner: ownerId(owner),
});

describe('echoed jumps', () => {
  test('every jump rule with its chain, target, owner and handle, in echo order', () => {
    expect(parseEchoedJumps(ECHOED)).toEqual([
      jump('pp_mangle_base_OUTPUT', 'pp_mangle_base_src_mark', 'base', 19),
      jump('pp_mangle_base_OUTPUT', 'pp_mangle_base_vpn_mark', 'base', 20),
      jump('pp_mangle_OUTPUT', 'pp_mangle_base_OUTPUT', 'base', 33),
      jump('pp_filter_FORWARD', 'pp_filter_base_FORWARD', 'base', 34),
      jump('pp_filter_OUTPUT', 'pp_filter_base_OUTPUT', 'base', 35),
      jump('pp_mangle_ns0_PREROUTING', 'pp_mangle_base_vpn_mark', 'ns0', 41),
      jump('pp_mangle_PREROUTING', 'pp_mangle_ns0_PREROUTING', 'ns0', 46),
      jump('pp_nat_POSTROUTING', 'pp_nat_ns0_POSTROUTING', 'ns0', 47),
      jump('pp_filter_FORWARD', 'pp_filter_ns0_FORWARD', 'ns0', 48),
    ]);
  });

  test('not ours: another table, no owner tag, a verdict that is not a jump, an error, a listing', () => {
    const other = [
      'add rule inet filter pp_filter_FORWARD jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 5',
      'add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns0_FORWARD # handle 6',
      'add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns0_FORWARD comment "someone" # handle 7',
      'add rule inet patchpanel pp_filter_FORWARD goto pp_filter_ns0_FORWARD comment "pp:ns0" # handle 8',
      'Error: Could not process rule: No such file or directory',
      'add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns9_FORWARD comment "pp:ns9"',
      '                                                ^^^^^^^^^^^^^^^^^^^^',
      '\t\tjump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 9',
      'add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 0',
    ];
    expect(parseEchoedJumps(other.join('\n'))).toEqual([]);
  });

  test('round trip: echoed lines among others give back exactly their jumps', () => {
    const name = fc.stringMatching(/^pp_[A-Za-z0-9_]{1,20}$/);
    const owner = fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/);
    const jumps = fc.array(
      fc.record({ chain: name, handle: fc.integer({ min: 1, max: 2 ** 40 }), target: name, owner }),
    );
    const noise = fc.array(fc.string().filter((line) => !line.includes('\n')));
    fc.assert(
      fc.property(jumps, noise, fc.boolean(), (list, lines, insert) => {
        const echoed = list.map(
          (j) =>
            `${insert ? 'insert' : 'add'} rule inet patchpanel ${j.chain} handle 3 meta mark 0x1 jump ${j.target} comment "pp:${j.owner}" # handle ${j.handle}`,
        );
        const text = [...lines.map((l) => `# ${l}`), ...echoed].join('\n');
        expect(parseEchoedJumps(text)).toEqual(list);
      }),
    );
  });

  test('any text parses without throwing', () => {
    fc.assert(fc.property(fc.string(), (text) => Array.isArray(parseEchoedJumps(text))));
  });
});

/** Real `nft -a list table inet patchpanel` output (nft 1.0.6), base chains left out but two. */
const LISTED = `table inet patchpanel { # handle 4
	chain pp_mangle_PREROUTING { # handle 1
		type filter hook prerouting priority mangle; policy accept;
		jump pp_mangle_ns0_PREROUTING comment "pp:ns0" # handle 46
	}

	chain pp_filter_FORWARD { # handle 11
		type filter hook forward priority filter; policy accept;
		jump pp_filter_port5_FORWARD comment "pp:port5" # handle 54
		jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 48
	}

	chain pp_mangle_base_vpn_mark { # handle 15
		meta mark != 0x00000000/16 return comment "pp:base" # handle 24
	}

	chain pp_mangle_ns0_PREROUTING { # handle 36
		iifname "arc_ns0" meta mark set ct mark & 0xffff0000 comment "pp:ns0" # handle 40
		iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0" # handle 41
	}

	chain pp_filter_ns0_FORWARD { # handle 38
		iifname "arc_ns0" ct state invalid drop comment "pp:ns0" # handle 43
	}
}
`;

describe('listing', () => {
  test('chains in order, each rule with its text, its handle and the chain it jumps to', () => {
    const chains = parseListing(LISTED);
    expect(chains.map((c) => c.name)).toEqual([
      'pp_mangle_PREROUTING',
      'pp_filter_FORWARD',
      'pp_mangle_base_vpn_mark',
      'pp_mangle_ns0_PREROUTING',
      'pp_filter_ns0_FORWARD',
    ]);
    expect(chains[1]?.rules).toEqual([
      {
        text: 'jump pp_filter_port5_FORWARD comment "pp:port5"',
        handle: 54,
        jumpsTo: 'pp_filter_port5_FORWARD',
      },
      { text: 'jump pp_filter_ns0_FORWARD comment "pp:ns0"', handle: 48, jumpsTo: 'pp_filter_ns0_FORWARD' },
    ]);
    expect(chains[3]?.rules).toEqual([
      {
        text: 'iifname "arc_ns0" meta mark set ct mark & 0xffff0000 comment "pp:ns0"',
        handle: 40,
        jumpsTo: undefined,
      },
      {
        text: 'iifname "arc_ns0" jump pp_mangle_base_vpn_mark comment "pp:ns0"',
        handle: 41,
        jumpsTo: 'pp_mangle_base_vpn_mark',
      },
    ]);
    expect(chains.map((c) => c.rules.length)).toEqual([1, 2, 1, 2, 1]);
  });

  test('without blank lines (as a session passes it on), nothing (no table), a set, goto, a comment naming a jump', () => {
    const compact = LISTED.split('\n').filter((l) => l.trim() !== '');
    expect(parseListing(compact.join('\n'))).toEqual(parseListing(LISTED));
    expect(parseListing('')).toEqual([]);
    const other = `table inet patchpanel {
	set s { # handle 3
		type ipv4_addr
		elements = { 192.0.2.1 }
	}
	chain a { # handle 1
		goto pp_b # handle 4
		accept comment "jump pp_b" # handle 5
	}
}`;
    expect(parseListing(other)).toEqual([
      {
        name: 'a',
        rules: [
          { text: 'goto pp_b', handle: 4, jumpsTo: 'pp_b' },
          { text: 'accept comment "jump pp_b"', handle: 5, jumpsTo: undefined },
        ],
      },
    ]);
  });

  test.each([
    ['a rule outside a chain', 'table inet patchpanel {\n\taccept # handle 3\n}'],
    ['a brace too many', 'table inet patchpanel {\n}\n}'],
    ['a block left open', 'table inet patchpanel {\n\tchain a {\n}'],
  ])('%s: a coded error', (_, text) => {
    expect(() => parseListing(text)).toThrow(expect.objectContaining({ code: 'PP_ERR_FIREWALL_INSPECT' }));
  });

  test('any text: chains, or a coded error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('table t {', 'chain c {', '}', 'jump x # handle 2', 'y', '')),
        (lines) => {
          try {
            expect(Array.isArray(parseListing(lines.join('\n')))).toBe(true);
          } catch (err) {
            expect((err as { code?: string }).code).toBe('PP_ERR_FIREWALL_INSPECT');
          }
        },
      ),
    );
  });
});
